"""Section headings (Resumé, Sagsfremstilling, Beslutning, ...) inside items."""

from __future__ import annotations

from dataclasses import dataclass

from referat.structure.lines import BLANKS, Line
from referat.structure.styles import StyleTable

# a heading line is short; running text that happens to start with a heading word is not
MAX_HEADING_LINE = 140


@dataclass(frozen=True, slots=True)
class SectionHeading:
    line: int
    name: str
    heading: str
    start: int          # offset of the heading's first character
    body_start: int     # offset where the section's own text starts (after heading and colon)


def find_section_heading(line: Line, styles: StyleTable) -> SectionHeading | None:
    """The section heading this line is, or None. "Beslutning: Godkendt." is an inline one."""
    stripped = line.stripped
    if not stripped or len(stripped) > MAX_HEADING_LINE or stripped[0].isdigit():
        return None
    name = styles.section_name(stripped)
    if name:
        return SectionHeading(line.index, name, stripped.rstrip(":").strip(), line.indent, line.end)
    head, colon, rest = stripped.partition(":")
    if colon and rest.strip() and len(head) <= 60:
        name = styles.section_name(head)
        if name:
            body = line.indent + len(head) + 1
            body += len(rest) - len(rest.lstrip(BLANKS))
            return SectionHeading(line.index, name, head.strip(), line.indent, body)
    return None


def section_headings(lines: list[Line], styles: StyleTable) -> list[SectionHeading | None]:
    """For every line, the section heading it is (or None)."""
    return [find_section_heading(line, styles) for line in lines]
