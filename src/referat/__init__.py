"""referat: structured data from Danish municipal committee minutes.

    >>> import referat
    >>> analysis = referat.analyse(text)
    >>> analysis.meeting.committee, [item.label for item in analysis.items]
"""

from referat.analysis import Analysis, Entity, Item, Meeting, Member, Section
from referat.api import analyse, analyse_many, load
from referat.errors import (CorpusError, DecodeError, EmptyTextError, ModelError, NotTextError,
                            ReferatError)

__all__ = [
    "analyse", "analyse_many", "load",
    "Analysis", "Meeting", "Member", "Item", "Section", "Entity",
    "ReferatError", "EmptyTextError", "DecodeError", "NotTextError", "CorpusError", "ModelError",
]
__version__ = "0.1.0"
