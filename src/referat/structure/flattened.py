"""Text whose line breaks were lost (a PDF extracted by a tool that joins a page, or an item,
into one line): the lines are cut again where the document's own section vocabulary begins.

"2 Meddelelser fra formanden Sagsnr. 18/233 Sagsfremstilling Formanden orienterede ...
Beslutning Taget til efterretning." becomes the lines "2 Meddelelser fra formanden",
"Sagsnr. 18/233", "Sagsfremstilling", "Formanden orienterede ...", "Beslutning", "Taget til
efterretning.": the item heading, the case number and the section headings stand alone, as the
rest of the parser expects. The text is not changed: a cut is a new `Line` with its own offset.

A text counts as flattened when most of it stands in lines longer than `min_line_chars`
(configs/structure.toml, [item.flattened]) and its headings stand inside those lines more often
than alone; other texts are left exactly as they are, so their running prose is never cut at a
word that happens to name a section. A heading word that begins a title ("Beslutning om ...")
is not cut. Linear in the text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from referat.structure.lines import Line
from referat.structure.styles import StyleTable


# a decision heading that names its body and date runs to the date; naming a body without a
# date it cannot be told from its text, so only the cut before it is made
_BODY_NAMED = re.compile(r"[ ]+(?:i|fra|på|af|den)[ ]")
_DATED_BODY = re.compile(r"[ ]+(?:i|fra|på|af)[ ][^.\n]{1,80}?\bden[ ]+\d{1,2}(?:[.\-/][ ]?\d{1,2}[.\-/]\d{2,4}|\.[ ]+[a-zæøå]+[ ]+\d{4})"
                         r"|[ ]+den[ ]+\d{1,2}(?:[.\-/][ ]?\d{1,2}[.\-/]\d{2,4}|\.[ ]+[a-zæøå]+[ ]+\d{4})")


# an item's number as it opens the item inside a flattened line: after a word (not after a
# number, a comma or §) or at the start of the line, before a capital ("7. Salg af grund",
# "Punkt 7 Salg af grund"); the numbering and the case number after it confirm it
_ITEM_NUMBER = re.compile(r"(?:(?<=[^\d,§] )|^)(?:(?:Punkt|Pkt\.)[ ])?(?P<number>\d{1,3})\.?[ ](?=[A-ZÆØÅ(\d])")


def _item_start(text: str, start: int, end: int, last: int | None, by_label: bool) -> re.Match | None:
    """The item number that opens an item whose title runs from it to ``end``, where a case
    number (``by_label``) or a section heading follows the title: "... Godkendt. 7. Salg af
    grund Sagsnr.: ...". Before a case number the number continues the numbering (up to two
    items may have been missed); before a section heading it must be the next number, the first
    item's 1 at the start, and the title must not end a sentence ("2. Godkendt. Bilag" is a
    numbered decision, not an item)."""
    found = []
    for match in _ITEM_NUMBER.finditer(text, start, end):
        number = int(match["number"])
        if by_label:
            if last is None or last < number <= last + 3:
                found.append(match)
        elif number == (last + 1 if last is not None else 1) and not text[match.end():end].rstrip().endswith("."):
            found.append(match)
    if not found:
        return None
    following = [m for m in found if last is not None and int(m["number"]) == last + 1]
    return following[0] if following else found[-1]  # "2. Budgetopfølgning 2 (2023)": the first 2


def _cut_pattern(styles: StyleTable) -> re.Pattern | None:
    settings = styles.item.get("flattened") or {}
    return _compiled(tuple(styles.exact), tuple(settings.get("labels", [])))


@lru_cache(maxsize=8)
def _compiled(exact: tuple[str, ...], labels: tuple[str, ...]) -> re.Pattern | None:
    words = sorted({heading for heading in exact if len(heading) >= 4}, key=len, reverse=True)
    if not words and not labels:
        return None
    # a heading word printed with its capital, between two words of the flattened line
    headings = "|".join(re.escape(word[0].upper() + word[1:]) for word in words)
    cut = rf"(?<=\S )(?:(?P<heading>{headings})(?=[ :]+\S)(?![ ]+(?:om|af|for|til|vedr\.?|vedrørende)[ ])" + "".join(f"|(?P<label{n}>{label})"
                                                                     for n, label in enumerate(labels)) + ")"
    return re.compile(cut)


def is_flattened(lines: list[Line], styles: StyleTable, pattern: re.Pattern | None = None) -> bool:
    """Most of the text stands in lines longer than the configured length, and its section
    headings stand inside those lines more often than on lines of their own (long paragraphs of
    ordinary minutes have their headings alone on a line)."""
    settings = styles.item.get("flattened") or {}
    longest = int(settings.get("min_line_chars", 300))
    total = sum(len(line.text) for line in lines)
    long_lines = [line for line in lines if len(line.text) > longest]
    if not total or sum(len(line.text) for line in long_lines) <= float(settings.get("share", 0.5)) * total:
        return False
    pattern = pattern or _cut_pattern(styles)
    if pattern is None:
        return False
    alone = sum(1 for line in lines if len(line.text) <= longest and styles.section_name(line.stripped))
    inside = sum(1 for line in long_lines for _ in pattern.finditer(line.text))
    return inside > 2 * alone


def unflatten(lines: list[Line], styles: StyleTable) -> list[Line]:
    """The lines, cut before (and after) the section headings and labels a flattened text runs
    together; the lines themselves where the text is not flattened."""
    pattern = _cut_pattern(styles)
    if pattern is None or not is_flattened(lines, styles, pattern):
        return lines
    longest_title = int(styles.item.get("max_title_length", 220))
    found: list[tuple[int, str]] = []
    last_number: int | None = None
    for line in lines:
        pieces = [0]
        for match in pattern.finditer(line.text):
            opened = _item_start(line.text, max(pieces[-1], match.start() - longest_title), match.start(),
                                 last_number, by_label=not match.group("heading"))
            if opened is not None:
                pieces.append(opened.start())
                last_number = int(opened["number"])
            pieces.append(match.start())
            if match.group("heading"):  # the heading alone on its line, its text on the next
                after = match.end()
                dated = _DATED_BODY.match(line.text, after)
                if dated:  # "Beslutning i Økonomiudvalget den 12-03-2024 Godkendt."
                    after = dated.end()
                elif _BODY_NAMED.match(line.text, after):  # a heading that runs on: cut before it only
                    continue
                while after < len(line.text) and line.text[after] in " :":
                    after += 1
                pieces.append(after)
        pieces.append(len(line.text))
        pieces = sorted(set(pieces))
        for begin, end in zip(pieces, pieces[1:]):
            if end > begin:
                found.append((line.start + begin, line.text[begin:end].rstrip(" ")))
        if len(pieces) == 2 and not line.text:
            found.append((line.start, ""))
    return [Line(index, start, text) for index, (start, text) in enumerate(found)]
