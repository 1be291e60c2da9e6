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

__all__ = ["Structure", "parse", "load_styles", "StyleTable"]


@dataclass
class Structure:
    meeting: Meeting
    items: list[Item] = field(default_factory=list)


def parse(text: str, styles: StyleTable | None = None, lexicon=None) -> Structure:
    """The header and the items of one meeting's minutes. `styles` and `lexicon`
    (referat.lexicon.Lexicon) default to the ones the shipped pipeline carries."""
    styles = styles or load_styles()
    if lexicon is None:
        from referat.lexicon import Lexicon

        lexicon = Lexicon.shipped()
    lines = split_lines(text)
    headings = section_headings(lines, styles)
    items = build_items(text, lines, headings, styles)
    meeting = parse_header(text, lines, items, styles, lexicon)
    return Structure(meeting=meeting, items=items)
