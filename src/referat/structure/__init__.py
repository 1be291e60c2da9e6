"""Finding the structure of one meeting's minutes: header, items and their sections.

Pure Python, no model: `parse(text)` reads the text line by line against the house styles
in configs/structure.toml (carried by the pipeline, see `load_styles`) and returns the header
and the items. Text that is not minutes gives a header and no items, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from referat.analysis import Item, Meeting
from referat.structure.header import parse_header
from referat.structure.items import build_items
from referat.structure.lines import split_lines
from referat.structure.sections import section_headings
from referat.structure.styles import StyleTable, load_styles

__all__ = ["Structure", "parse", "split_meetings", "load_styles", "StyleTable"]


@dataclass
class Structure:
    meeting: Meeting
    items: list[Item] = field(default_factory=list)


def parse(text: str, styles: StyleTable | None = None, lexicon=None, *, items: list[dict] | None = None,
          meeting: dict | None = None) -> Structure:
    """The header and the items of one meeting's minutes. `styles` and `lexicon`
    (referat.lexicon.Lexicon) default to the ones the shipped pipeline carries.

    `items` and `meeting` are what the file's format states (a FirstAgenda JSON's items and
    participants, see referat.io): stated items are taken as they are, and the header is read
    from the text only for the fields the format leaves empty."""
    styles = styles or load_styles()
    if lexicon is None:
        from referat.lexicon import Lexicon

        lexicon = Lexicon.shipped()
    lines = split_lines(text)
    if items is not None:
        found = [Item.from_dict(item) for item in items]
    else:
        headings = section_headings(lines, styles)
        found = build_items(text, lines, headings, styles)
    parsed = parse_header(text, lines, found, styles, lexicon)
    if meeting:
        stated = Meeting.from_dict(meeting)
        for name in ("municipality", "committee", "date", "time", "place", "kind"):
            if getattr(stated, name):
                setattr(parsed, name, getattr(stated, name))
        if stated.members or stated.absent:
            parsed.members, parsed.absent = stated.members, stated.absent
    return Structure(meeting=parsed, items=found)


def split_meetings(text: str, styles: StyleTable | None = None, lexicon=None) -> list[tuple[int, int]]:
    """(start, end) of each meeting in a text that may hold several (see
    referat.structure.meetings); one range covering the text for one meeting."""
    from referat.structure.meetings import meeting_starts

    styles = styles or load_styles()
    cuts, offset = [0], 0
    while True:  # the rest after a new header is read again: its numbering starts afresh
        rest = text[offset:]
        lines = split_lines(rest)
        items = build_items(rest, lines, section_headings(lines, styles), styles)
        starts = [start for start in meeting_starts(lines, items, styles) if start > 0]
        if not starts:
            break
        offset += starts[0]
        cuts.append(offset)
    cuts.append(len(text))
    return list(zip(cuts, cuts[1:]))
