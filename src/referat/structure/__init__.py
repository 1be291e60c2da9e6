"""Finding the structure of one meeting's minutes: header, items and their sections.

Pure Python, no model: `parse(text)` reads the text line by line against the house styles
in configs/structure.toml (carried by the pipeline, see `load_styles`) and returns the header
and the items. Text that is not minutes gives a header and no items, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from referat.analysis import Item, Meeting
from referat.structure.flattened import unflatten
from referat.structure.header import parse_header
from referat.structure.items import build_items
from referat.structure.lines import split_lines
from referat.structure.sections import section_headings
from referat.structure.styles import StyleTable, load_styles

__all__ = ["Structure", "parse", "parse_meetings", "split_meetings", "load_styles", "StyleTable"]


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
    lines = unflatten(split_lines(text), styles)
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


def _shifted(structure: Structure, offset: int) -> Structure:
    for item in structure.items:
        item.start, item.end = item.start + offset, item.end + offset
        for section in item.sections:
            section.start, section.end = section.start + offset, section.end + offset
    return structure


def parse_meetings(text: str, styles: StyleTable | None = None, lexicon=None) -> list[tuple[int, int, Structure]]:
    """(start, end, structure) of each meeting in a text that may hold several (see
    referat.structure.meetings), offsets into the whole text. The last (for one meeting, the
    only) meeting's structure is the one found while looking for a new header, so a text of one
    meeting is parsed once."""
    from referat.structure.meetings import meeting_starts

    styles = styles or load_styles()
    if lexicon is None:
        from referat.lexicon import Lexicon

        lexicon = Lexicon.shipped()
    found, offset = [], 0
    while True:  # the rest after a new header is read again: its numbering starts afresh
        rest = text[offset:]
        lines = unflatten(split_lines(rest), styles)
        items = build_items(rest, lines, section_headings(lines, styles), styles)
        starts = [start for start in meeting_starts(lines, items, styles) if start > 0]
        if not starts:
            meeting = parse_header(rest, lines, items, styles, lexicon)
            found.append((offset, len(text), _shifted(Structure(meeting=meeting, items=items), offset)))
            return found
        end = offset + starts[0]
        found.append((offset, end, _shifted(parse(text[offset:end], styles, lexicon), offset)))
        offset = end


def split_meetings(text: str, styles: StyleTable | None = None, lexicon=None) -> list[tuple[int, int]]:
    """(start, end) of each meeting in a text that may hold several; one range covering the
    text for one meeting."""
    return [(start, end) for start, end, _ in parse_meetings(text, styles, lexicon)]
