"""referat: structured data from Danish municipal committee minutes.

    >>> import referat
    >>> analysis = referat.analyse(text)
    >>> analysis.meeting.committee, [item.label for item in analysis.items]

`analyse`, `analyse_many` and `load` are imported on first use, so `import referat` (and the
command line's start) does not load spaCy and numpy before they are needed.
"""

from referat.analysis import Analysis, Entity, Item, Meeting, Member, Section
from referat.errors import (CorpusError, DecodeError, EmptyTextError, ModelError, NotTextError,
                            ReferatError)

__all__ = [
    "analyse", "analyse_all", "analyse_file", "analyse_many", "load",
    "Analysis", "Meeting", "Member", "Item", "Section", "Entity",
    "ReferatError", "EmptyTextError", "DecodeError", "NotTextError", "CorpusError", "ModelError",
]
__version__ = "0.2.0"

_API = ("analyse", "analyse_all", "analyse_file", "analyse_many", "load")


def __getattr__(name: str):
    if name in _API:
        from referat import api

        return getattr(api, name)
    raise AttributeError(f"module 'referat' has no attribute {name!r}")
