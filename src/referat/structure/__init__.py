"""Finding the structure of one meeting's minutes: header, items and their sections.

Pure Python, no model: `parse(text)` reads the text line by line against the house styles
in configs/structure.toml (shipped as referat/data/structure.toml) and returns the header
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

__all__ = ["Structure", "parse", "load_styles", "StyleTable"]


@dataclass
class Structure:
    meeting: Meeting
    items: list[Item] = field(default_factory=list)


def _default_parties():
    try:
        from referat.parties import PartyTable
    except ImportError:  # the parties table is optional for the parser
        return None
    return PartyTable.load()


def parse(text: str, styles: StyleTable | None = None, parties=None) -> Structure:
    """The header and the items of one meeting's minutes."""
    styles = styles or load_styles()
    parties = parties if parties is not None else _default_parties()
    lines = split_lines(text)
    headings = section_headings(lines, styles)
    items = build_items(text, lines, headings, styles)
    meeting = parse_header(text, lines, items, styles, parties)
    return Structure(meeting=meeting, items=items)
