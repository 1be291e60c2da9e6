"""Item headings found from what follows them, not from how they are numbered.

Many minutes print items without a number (agenda web pages, a page or PDF that holds one
item, headings with a committee tag or a kind code in front), and numbered lists in an item's
body look like headings. What every item has is its sections, in an order that minutes keep
(Resumé, Sagsfremstilling, ..., Indstilling, Beslutning): a section that comes earlier in that
order than the one before it starts a new item, and so does a case-number line between two
sections. The item's title is the title-like line just above that point, past the lines that
only number the item ("Punkt 7", "Sag nr. 7 (ØU 12/2021)") or give its case number.
"""

from __future__ import annotations

import re

from referat.structure.lines import BLANKS, Line
from referat.structure.sections import SectionHeading
from referat.structure.styles import HeadingStyle, StyleTable

#: how many non-blank lines above a section the title may stand
LOOKBACK_LINES = 4
BLOCK_STYLE = HeadingStyle(name="block", pattern=re.compile(r"(?!)"), weight=1)
_LETTER = re.compile(r"[A-Za-zÆØÅæøåÉé]{2}")
_LABEL = re.compile(r"^(?P<label>[A-Za-zÆØÅæøå .]{2,30}?)[ \t\u00a0]*:[ \t\u00a0]*\S")


def _rank(styles: StyleTable) -> dict[str, int]:
    return {name: index for index, name in enumerate(styles.item.get("section_order", ()))}


def is_title_like(text: str, styles: StyleTable) -> bool:
    """Could this line be an item's title: short, with words, not a sentence end, a table row,
    a header label ("Mødested: ...") or a section heading."""
    stripped = text.strip(BLANKS)
    if not (3 <= len(stripped) <= int(styles.item.get("max_title_length", 220))):
        return False
    if "\t" in stripped or "|" in stripped or not _LETTER.search(stripped):
        return False
    if stripped[-1] in ".,;:" and not stripped.endswith(("...", "…", "m.v.", "m.m.", "mv.", "mm.", "nr.", "kr.")):
        return False
    first = stripped[0]
    if not (first.isupper() or first.isdigit() or first in "(\"'“„«§"):
        return False
    label = _LABEL.match(stripped)
    header = styles.header
    known = set(header["date_labels"]) | set(header["time_labels"]) | set(header["place_labels"]) | \
        set(header["member_labels"]) | set(header["absent_labels"]) | set(header["committee_labels"])
    if label and " ".join(label["label"].lower().split()) in known:
        return False
    return styles.section_name(stripped) is None


def block_boundaries(lines: list[Line], headings: list[SectionHeading | None], styles: StyleTable) -> list[int]:
    """The indices of lines that open an item: a section heading that restarts the section
    order (or is the text's first, or follows a case number printed since the last section, or
    a line that only numbers an item: "Sag nr. 51"), and a case-number line (an item may have no
    section at all: "Eventuelt")."""
    rank = _rank(styles)
    case_number = styles.item["case_number"]
    number_line = styles.item["number_line"]
    boundaries, previous, case_seen, number_seen = [], None, False, False
    for line in lines:
        heading = headings[line.index]
        if heading is None:
            if number_line.match(line.text):
                number_seen = previous is not None  # "Sag nr. 51" over "Eventuelt" and its Beslutning
            elif case_number.match(line.text):
                case_seen = True
                boundaries.append(line.index)
            continue
        here = rank.get(heading.name)
        before = rank.get(previous.name) if previous is not None else None
        opens = (previous is None and not case_seen) or (
            here is not None and before is not None and (here < before or number_seen) and not case_seen)
        if opens:
            boundaries.append(line.index)
        if here is not None:
            previous, case_seen, number_seen = heading, False, False
    return boundaries


def block_headings(lines: list[Line], headings: list[SectionHeading | None], styles: StyleTable, candidate_type):
    """Heading candidates (of `candidate_type`, the items module's Candidate) for every item
    that the sections show, with the title line above each; None where a boundary has no
    title-like line above it (then this way of finding items does not fit the text)."""
    case_number = styles.item["case_number"]
    number_line = styles.item["number_line"]
    status_line = styles.item["status_line"]
    metadata = {label.lower() for label in styles.item.get("metadata_labels", ())}
    found = []
    floor = -1
    for boundary in block_boundaries(lines, headings, styles):
        number = case = None
        title_line = None
        seen = 0
        index = boundary - 1
        while index > floor and seen < LOOKBACK_LINES:
            line = lines[index]
            index -= 1
            stripped = line.stripped
            if not stripped:
                continue
            seen += 1
            if headings[line.index] is not None:
                break
            numbered = number_line.match(line.text)  # before the case number: "Sag nr. 7 (KB 12/2019)"
            if numbered:
                number = number or numbered["number"]
                continue
            match = case_number.match(line.text)
            if match:
                case = case or match.group("case_number").rstrip(".,;")
                continue
            label = _LABEL.match(stripped)
            if status_line.match(line.text) or (label and " ".join(label["label"].lower().split()) in metadata):
                continue
            if is_title_like(stripped, styles):
                title_line = line
            break
        if title_line is None:
            floor = boundary
            continue
        start = title_line.indent
        if number is None:  # "Punkt 7" over the title: the item starts there
            above = next((line for line in reversed(lines[floor + 1:title_line.index]) if line.stripped), None)
            numbered = number_line.match(above.text) if above is not None else None
            if numbered:
                number = numbered["number"]
                start = above.indent
        title = title_line.stripped
        title_number = styles.item.get("title_number")
        prefixed = title_number.match(title) if title_number is not None else None
        if prefixed and len(title) > prefixed.end() + 2:  # "1 - Godkendelse af dagsorden"
            number = number or prefixed["number"]
            title = title[prefixed.end():]
        if found and found[-1].line == title_line.index:  # "Sag nr. 7" and "Sagsnr.: ..." under one title
            found[-1].case_number = found[-1].case_number or case
            floor = boundary
            continue
        found.append(candidate_type(style=BLOCK_STYLE, line=title_line.index, start=start, number=number,
                                    title=title, case_number=case, weight=2.0))
        floor = boundary
    return found
