"""Finding the agenda items: heading candidates by house style, then the best chain.

Every line is tried against the heading styles of the style table. Each style's
candidates are chained in document order with strictly increasing numbers (a style
that prints no number chains all its candidates); a candidate counts for more when a
section heading or a case number follows it before the next candidate, which is how a
real heading differs from a numbered list in running text. The style whose chain scores
highest gives the items. Table-of-contents lines and a title printed twice are dropped.
All of it is linear in the number of lines.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from referat.analysis import Item, Section
from referat.structure.blocks import BLOCK_STYLE, LOOKBACK_LINES, block_headings
from referat.structure.lines import BLANKS, Line
from referat.structure.sections import SectionHeading
from referat.structure.styles import HeadingStyle, StyleTable

# how far a chain may skip numbers (closed items left out of a web page, say)
MAX_NUMBER_GAP = 6
_DIGITS = re.compile(r"\d+")


@dataclass(slots=True)
class Candidate:
    style: HeadingStyle
    line: int
    start: int
    number: str | None
    title: str
    code: str | None = None
    case_number: str | None = None
    toc: bool = False
    weight: float = 1.0
    numeric: int | None = field(default=None)


def _normalise_title(title: str) -> str:
    return " ".join(title.casefold().split())


def _title_from_next_line(lines: list[Line], index: int, styles: StyleTable) -> str:
    for line in lines[index + 1:index + 6]:
        stripped = line.stripped
        if stripped:
            return stripped
    return ""


def heading_candidates(lines: list[Line], styles: StyleTable) -> list[Candidate]:
    toc_line = styles.item["toc_line"]
    case_number = styles.item["case_number"]
    max_title = int(styles.item.get("max_title_length", 220))
    first_characters = set(styles.item["first_characters"])
    found = []
    for line in lines:
        text = line.text
        stripped = text.lstrip(BLANKS)
        if not stripped or stripped[0] not in first_characters:
            continue
        for style in styles.headings:
            match = style.pattern.match(text)
            if not match:
                continue
            groups = match.groupdict()
            if style.title_on_next_line:
                title = _title_from_next_line(lines, line.index, styles)
            else:
                title = (groups.get("title") or "").strip(BLANKS)
            if not title or len(title) > max_title or case_number.match(title):
                continue
            number = groups.get("number")
            digits = _DIGITS.search(number) if number else None
            found.append(Candidate(
                style=style, line=line.index, start=line.indent, number=number,
                title=title, code=groups.get("code"), case_number=groups.get("case_number"),
                toc=bool(toc_line.search(text)), numeric=int(digits[0]) if digits else None,
            ))
    return found


def _weigh(candidates: list[Candidate], lines: list[Line], headings: list[SectionHeading | None],
           styles: StyleTable) -> None:
    """Give each candidate its evidence: a section heading or case number after it."""
    case_number = styles.item["case_number"]
    lookahead = int(styles.item.get("lookahead_lines", 8))
    rank = {name: index for index, name in enumerate(styles.item.get("section_order", ()))}
    # prefix sums of section headings per line, so "is there one between a and b" is O(1)
    before = [0]
    for heading in headings:
        before.append(before[-1] + (heading is not None))
    by_style: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        by_style.setdefault(candidate.style.name, []).append(candidate)
    for group in by_style.values():
        for position, candidate in enumerate(group):
            stop = group[position + 1].line if position + 1 < len(group) else len(lines)
            stop = min(stop, candidate.line + 400)
            weight = 1.0
            if before[stop] - before[candidate.line + 1] > 0:
                weight += 1.0
            if candidate.case_number or any(
                case_number.match(line.text) for line in lines[candidate.line + 1:min(stop, candidate.line + lookahead)]
            ):
                weight += 0.5
            if candidate.title.endswith(".") and len(candidate.title) > 60:
                weight -= 0.5
            if candidate.toc or _inside_item(candidate, lines, headings, styles, rank):
                weight = 0.0
            candidate.weight = weight


def _inside_item(candidate: Candidate, lines: list[Line], headings: list[SectionHeading | None],
                 styles: StyleTable, rank: dict[str, int]) -> bool:
    """A numbered line in the middle of an item's sections (a list in its body): the sections
    before and after it go on in order, nothing but a sentence-like line between them."""
    title = candidate.title
    if not (title[:1].islower() or (title.endswith(".") and len(title.split()) >= 6)):
        return False
    before = next((h for h in reversed(headings[:candidate.line]) if h is not None), None)
    after_index = next((i for i in range(candidate.line + 1, min(len(lines), candidate.line + 400))
                        if headings[i] is not None), None)
    if before is None:
        return False
    if after_index is None:
        return before.name in ("indstilling", "beslutning", "sagsfremstilling")
    after = headings[after_index]
    if any(styles.item["case_number"].match(line.text) for line in lines[candidate.line:after_index]):
        return False
    return rank.get(after.name, -1) > rank.get(before.name, 99) or after.name == before.name == "andet"


def _best_chain(group: list[Candidate]) -> tuple[float, list[Candidate]]:
    """The highest-weight subsequence of one style's candidates with increasing numbers."""
    usable = [c for c in group if not c.toc]
    if not usable:
        return 0.0, []
    if all(c.numeric is None for c in usable):
        return sum(c.weight for c in usable), usable
    # best chain ending at each number seen so far: number -> (score, index in usable)
    ending: dict[int, tuple[float, int]] = {}
    back: list[int | None] = []
    scores: list[float] = []
    for index, candidate in enumerate(usable):
        if candidate.numeric is None:
            back.append(None)
            scores.append(float("-inf"))
            continue
        previous = None
        best = 0.0
        for gap in range(1, MAX_NUMBER_GAP + 1):
            hit = ending.get(candidate.numeric - gap)
            if hit and hit[0] > best:
                best, previous = hit
        score = best + candidate.weight
        back.append(previous)
        scores.append(score)
        current = ending.get(candidate.numeric)
        if current is None or score >= current[0]:
            ending[candidate.numeric] = (score, index)
    end = max(range(len(usable)), key=lambda i: scores[i])
    chain = []
    cursor: int | None = end
    while cursor is not None:
        chain.append(usable[cursor])
        cursor = back[cursor]
    chain.reverse()
    return scores[end], chain


def choose_headings(lines: list[Line], headings: list[SectionHeading | None],
                    styles: StyleTable) -> list[Candidate]:
    """The item headings: the best numbered chain, unless there is none or it is a numbered list
    whose "items" mostly hold no section; then the headings found from the sections (see
    referat.structure.blocks)."""
    numbered = choose_numbered(lines, headings, styles)
    blocks = block_headings(lines, headings, styles, Candidate)
    if not blocks or not numbered:
        return numbered or blocks
    # a numbered list in one item's body: most of its "items" hold no section of their own
    before = [0]
    for heading in headings:
        before.append(before[-1] + (heading is not None))
    ends = [c.line for c in numbered[1:]] + [len(lines)]
    with_sections = sum(before[end] > before[c.line + 1] for c, end in zip(numbered, ends))
    if numbered and with_sections * 2 < len(numbered) and len(blocks) >= with_sections:
        return blocks
    # a numbered chain that misses the items (a list "1. at ..." in their bodies taken for the
    # numbering): the sections start a new item (by their order) twice as often away from its
    # headings as at them, or they show more items than it has, each titled with a number in order
    # ("1 - Title", "2 - Title")
    lines_of = sorted(c.line for c in numbered)
    unexplained = 0
    for block in blocks:
        at = bisect_right(lines_of, block.line) - 1
        if at < 0 or block.line - lines_of[at] > LOOKBACK_LINES:
            unexplained += 1
    if unexplained > 2 * len(numbered) or (len(blocks) > len(numbered) and _numbered_in_order(blocks)):
        return blocks
    return numbered


def _numbered_in_order(candidates: list[Candidate]) -> bool:
    """Every candidate has a number, and the numbers go up (three or more of them)."""
    numbers = [int(c.number) if c.number and c.number.isdigit() else None for c in candidates]
    return len(numbers) >= 3 and None not in numbers and all(a < b for a, b in zip(numbers, numbers[1:]))


def choose_numbered(lines: list[Line], headings: list[SectionHeading | None],
                    styles: StyleTable) -> list[Candidate]:
    candidates = _merge_repeats(heading_candidates(lines, styles))
    if not candidates:
        return []
    _weigh(candidates, lines, headings, styles)
    by_style: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        by_style.setdefault(candidate.style.name, []).append(candidate)
    best_score, best_chain = 0.0, []
    for group in by_style.values():
        score, chain = _best_chain(group)
        score += 0.01 * group[0].style.weight
        if score > best_score:
            best_score, best_chain = score, chain
    # a lone numbered line with nothing after it is not an agenda
    if len(best_chain) == 1 and best_chain[0].weight < 2.0:
        return []
    # a numbered list with no section, no case number and no word of minutes before it
    # (a shopping list, a letter) is not an agenda either
    if best_chain and all(c.weight <= 1.0 for c in best_chain) and \
            not _has_minutes_words(lines[:best_chain[0].line], styles):
        return []
    return best_chain


def _has_minutes_words(lines: list[Line], styles: StyleTable) -> bool:
    words = tuple(styles.header["kind_words"]) + tuple(w.lower() for w in styles.header["committee_words"])
    return any(word in line.text.lower() for line in lines for word in words)


def _merge_repeats(candidates: list[Candidate]) -> list[Candidate]:
    """A heading printed twice in a row (same style, number and title) is one heading: the first."""
    last: dict[str, Candidate] = {}
    kept = []
    for candidate in candidates:
        previous = last.get(candidate.style.name)
        last[candidate.style.name] = candidate
        if previous is not None and not previous.toc and candidate.number == previous.number and \
                _normalise_title(candidate.title) == _normalise_title(previous.title):
            last[candidate.style.name] = previous
            continue
        kept.append(candidate)
    return kept


def _clean_title(candidate: Candidate, styles: StyleTable) -> tuple[str, bool | None]:
    title = candidate.title
    status = None
    prefix = styles.item["title_prefix"].match(title)
    if prefix:
        status = "lukket" in prefix.group(0).lower()
        title = title[prefix.end():]
    for _ in range(2):  # "KFU: Temadrøftelse: Title"
        tag = styles.item["title_tag"].match(title)
        if not tag or len(title) <= tag.end() + 2:
            break
        title = title[tag.end():]
        prefix = styles.item["title_prefix"].match(title)
        if prefix:
            status = "lukket" in prefix.group(0).lower() if status is None else status
            title = title[prefix.end():]
    suffix = styles.item["title_suffix"].search(title)
    if suffix:
        lowered = suffix.group(0).lower()
        if "lukket" in lowered or "åben" in lowered:
            status = "lukket" in lowered
        title = title[:suffix.start()]
    title = styles.item["toc_line"].sub("", title)
    return title.strip(BLANKS), status


def build_items(text: str, lines: list[Line], headings: list[SectionHeading | None],
                styles: StyleTable) -> list[Item]:
    chosen = choose_headings(lines, headings, styles)
    case_number = styles.item["case_number"]
    number_line = styles.item["number_line"]
    closed_pattern, open_pattern = styles.item["closed"], styles.item["open"]
    lookahead = int(styles.item.get("lookahead_lines", 8))
    items = []
    for position, candidate in enumerate(chosen):
        end_line = chosen[position + 1].line if position + 1 < len(chosen) else len(lines)
        end = chosen[position + 1].start if position + 1 < len(chosen) else len(text)
        title, closed = _clean_title(candidate, styles)
        number_case = candidate.case_number
        near = [line for line in lines[candidate.line + 1:end_line] if line.stripped][:lookahead]
        for line in [lines[candidate.line], *near]:
            stripped = line.stripped
            if number_case is None and line.index != candidate.line and not (
                    candidate.style is BLOCK_STYLE and number_line.match(line.text)):  # that line gave the number
                match = case_number.match(line.text)
                if match:
                    number_case = match.group("case_number").rstrip(".,;")
            if closed is None and len(stripped) <= 40:
                if closed_pattern.search(stripped):
                    closed = True
                elif open_pattern.search(stripped):
                    closed = False
        sections = []
        section_lines = [h for h in headings[candidate.line + 1:end_line] if h is not None]
        for index, heading in enumerate(section_lines):
            section_end = section_lines[index + 1].start if index + 1 < len(section_lines) else end
            sections.append((heading, section_end))
        decision = None
        for heading, section_end in sections:
            if heading.name == "beslutning":
                body = text[heading.body_start:section_end].strip(BLANKS)
                decision = body or decision
        items.append(Item(
            number=candidate.number.strip() if candidate.number else None,
            title=title,
            start=candidate.start,
            end=end,
            case_number=number_case,
            closed=bool(closed),
            sections=[Section(h.name, h.heading, h.start, section_end) for h, section_end in sections],
            decision=decision,
        ))
    return items
