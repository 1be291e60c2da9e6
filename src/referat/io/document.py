"""The `Document`: what every reader returns and the pipeline reads (text plus hints)."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

FORMATS = ("pdf", "html", "docx", "firstagenda", "text")


@dataclass
class Document:
    """One file read as text.

    `pages` holds, for a PDF, the offset in `text` where each page starts. `meeting` and
    `items` are facts the format itself states (FirstAgenda JSON), shaped like
    `Meeting.to_dict()` and `Item.to_dict()` with offsets into `text`; None otherwise.
    """

    text: str
    format: str
    name: str | None = None
    encoding: str | None = None
    pages: list[int] = field(default_factory=list)
    meeting: dict | None = None
    items: list[dict] | None = None
    warnings: list[str] = field(default_factory=list)

    def page_of(self, offset: int) -> int | None:
        """The 1-based page holding `offset`, or None for a document without pages."""
        if not self.pages:
            return None
        return max(1, bisect_right(self.pages, offset))
