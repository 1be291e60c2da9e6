"""A minutes text as lines with their offsets: the unit every structure rule reads."""

from __future__ import annotations

from dataclasses import dataclass

BLANKS = " \t\u00a0\u2007\u202f\ufeff\r\n\x0c\x0b"


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the text: `start` is the offset of its first character, `text` is the
    line without its line break, and `indent` is the offset of its first non-blank character."""

    index: int
    start: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip(BLANKS)

    @property
    def indent(self) -> int:
        return self.start + (len(self.text) - len(self.text.lstrip(BLANKS)))

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def split_lines(text: str) -> list[Line]:
    """Split on '\\n' only (so offsets match the text exactly), dropping each '\\r'."""
    lines = []
    offset = 0
    for index, raw in enumerate(text.split("\n")):
        lines.append(Line(index, offset, raw.rstrip("\r")))
        offset += len(raw) + 1
    return lines
