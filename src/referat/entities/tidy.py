"""Tidying entity spans after the statistical NER, on (start, end, label) character spans.

- edges: no whitespace, quotes, asterisks or brackets at a span's ends, and a span never runs
  over a line break (the guide's span rules);
- checks a span must pass to stay: a PERSON has two or more words and no digits, and does not
  start with a lower-case function word; a PARTY is a form the party table knows (a lone
  letter is a party only where the rules saw it beside a name or in a vote);
- abbreviations: "Styrelsen for Arbejdsmarked og Rekruttering (STAR)" gives STAR the label of
  its long form, as scispaCy's abbreviation detector links short forms to long ones;
- consistency: a name found once is found wherever the same words are printed in the meeting.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Span = tuple[int, int, str]

EDGE_CHARACTERS = " \t\n\r\u00a0\u202f'\"*«»„“”‘’()[]{},;:–-•·&/"
# "EU/EØS", "Politik/Plan": a slash offers alternatives, it does not join a name (but "A/S" does)
_SLASH_ALTERNATIVES = re.compile(r"(?<![\s(])/(?!S\b)")
_ABBREVIATION = re.compile(r"\(([A-ZÆØÅ][A-ZÆØÅ0-9&]{1,7})\)")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[^\W\d_]+")
_FILE_SUFFIX = re.compile(r"\.([A-Za-z]{2,4})\b")
# two to four capitalised words, as a person's name is printed ("Jonas Friis", "Anne Marie Holm")
_PERSON_NAME = re.compile(r"[A-ZÆØÅ][a-zæøåéü'\-]+(?:[ \u00a0]+[A-ZÆØÅ][a-zæøåéü'\-]+){1,3}")


def tidy_edges(text: str, start: int, end: int, joining_words: frozenset[str] = frozenset()) -> tuple[int, int]:
    """Shrink a span past edge characters; cut it at its first line break, unless the name
    visibly goes on over it: its first line ends in one of the `joining_words` ("Center for
    Sundhed og" + "Omsorg") or in a hyphen ("Sundheds-" + "forvaltningen"). A tab (a table
    cell's edge) always ends it."""
    while start < end and text[start] in EDGE_CHARACTERS:
        start += 1
    while end > start and text[end - 1] in EDGE_CHARACTERS:
        end -= 1
    line_break = text.find("\n", start, end)
    if line_break >= 0 and _name_goes_on(text, start, line_break, joining_words):
        line_break = text.find("\n", line_break + 1, end)
    breaks = [i for i in (line_break, text.find("\t", start, end)) if i >= 0]
    if breaks:  # a line break or a table cell's tab ends a name
        end = min(breaks)
        while end > start and text[end - 1] in EDGE_CHARACTERS:
            end -= 1
    return start, end


def _name_goes_on(text: str, start: int, line_break: int, joining_words: frozenset[str]) -> bool:
    """The span's first line ends a word with a hyphen ("Sundheds-"), or ends in a joining
    word after at least one word of the name ("Center for Sundhed og")."""
    words = text[start:line_break].split()
    if not words:
        return False
    if words[-1].endswith("-") and words[-1][:-1].isalpha():
        return True
    return len(words) >= 2 and words[-1].lower() in joining_words


def _strip_leading_words(text: str, start: int, end: int, leading_words: frozenset[str]) -> int:
    while True:
        match = re.match(r"\S+", text[start:end])
        if not match or match.end() == end - start:
            return start
        if match.group(0).lower() not in leading_words:
            return start
        start += match.end()
        while start < end and text[start].isspace():
            start += 1


def tidy(text: str, spans: list[Span], *, is_party: Callable[[str], bool],
         is_generic: Callable[[str], bool] = lambda surface: False,
         common_words: frozenset[str] | set[str] = frozenset(),
         leading_words: frozenset[str] = frozenset(),
         not_name_start: frozenset[str] = frozenset(),
         document_endings: tuple[str, ...] = (),
         file_suffixes: frozenset[str] = frozenset(),
         joining_words: frozenset[str] = frozenset()) -> list[Span]:
    """Edges and checks for the model's spans (the rules' spans do not come here);
    `leading_words` (roles and function words, referat.lexicon) never start a PERSON, and an
    ORG that is such a word before a person's name is that PERSON;
    `is_generic` tells an ORG that is a generic body ("Jobcentret") or a law; a one-word ORG
    or PROGRAMME that is one of the `common_words` ("Analysen", "Borger") is dropped; a PERSON
    whose first word is one of `not_name_start` (an article: "En Ny Start", a programme in
    title case) is no person and is dropped; a PROGRAMME with a word in one of the
    `document_endings` is a plan, strategy or policy and is dropped; a span in or before a
    file name with one of the `file_suffixes` ("Tidsplan BUU.pdf") is an attachment's file and
    is dropped; a name goes on over a line break only where its first line ends in one of the
    `joining_words` or a hyphen (tidy_edges)."""
    tidied = []
    for start, end, label in spans:
        joins = joining_words if label in ("ORG", "PROGRAMME") else frozenset()
        start, end = tidy_edges(text, start, end, joins)
        if label in ("ORG", "PROGRAMME") and text[max(start, end - 2):end] in ("'s", "’s"):
            start, end = tidy_edges(text, start, end - 2, joins)  # "AKF's": the apostrophe genitive stays out
        if label == "ORG" and leading_words:
            # "Projektleder Jonas Friis" read as ORG: a role before a person's name is a PERSON
            after = _strip_leading_words(text, start, end, leading_words)
            if after > start and _PERSON_NAME.fullmatch(text[after:end]):
                start, label = after, "PERSON"
        if label == "PERSON":
            start = _strip_leading_words(text, start, end, leading_words)
        if start >= end:
            continue
        surface = text[start:end]
        if label == "PERSON" and (len(surface.split()) < 2 or _DIGIT.search(surface) or not surface[0].isupper()
                                  or surface.split()[0].lower() in not_name_start):
            continue
        if label == "PARTY" and not is_party(surface):
            continue
        if label in ("ORG", "PROGRAMME") and is_generic(surface):
            continue
        if label in ("ORG", "PROGRAMME") and is_common_word(surface, common_words):
            continue
        if label in ("ORG", "PROGRAMME") and _SLASH_ALTERNATIVES.search(surface):
            continue
        if label == "PROGRAMME" and is_document(surface, document_endings):
            continue
        if file_suffixes and is_file_name(text, start, end, file_suffixes):
            continue
        if label == "AMOUNT":  # amounts are the rules' business: the parser decides
            continue
        tidied.append((start, end, label))
    return tidied


def is_document(surface: str, document_endings: tuple[str, ...]) -> bool:
    """A plan, strategy or policy: a word of it ends in one of `document_endings`
    ("Klimaplan 2030", "Plan- og Erhvervsstrategien")."""
    return bool(document_endings) and any(word.lower().endswith(document_endings) for word in _WORD.findall(surface))


def is_file_name(text: str, start: int, end: int, file_suffixes: frozenset[str]) -> bool:
    """text[start:end] holds a file name, or a file's suffix follows it ("BUU.pdf")."""
    found = _FILE_SUFFIX.search(text, start, min(len(text), end + 6))
    return found is not None and found.start() <= end and found.group(1).lower() in file_suffixes


def is_common_word(surface: str, common_words: frozenset[str] | set[str]) -> bool:
    """One ordinary word, capitalised or not ("Analysen"); acronyms and mixed case are not."""
    if " " in surface or not surface.isalpha():
        return False
    if not (surface.islower() or (surface[0].isupper() and surface[1:].islower())):
        return False
    return surface.lower() in common_words


def common_words_of(texts_and_spans, min_count: int = 2) -> frozenset[str]:
    """Lower-case words seen in running text outside any entity, at least `min_count` times."""
    from collections import Counter

    counts: Counter = Counter()
    for text, spans in texts_and_spans:
        inside = sorted((start, end) for start, end, _ in spans)
        cursor = 0
        pieces = []
        for start, end in inside:
            pieces.append(text[cursor:start])
            cursor = max(cursor, end)
        pieces.append(text[cursor:])
        for piece in pieces:
            counts.update(word for word in re.findall(r"[a-zæøåéü]{3,}", piece))
    return frozenset(word for word, count in counts.items() if count >= min_count)


def vote_labels(text: str, spans: list[Span]) -> list[Span]:
    """One label per name in a meeting: where the model gave the same words different labels,
    the label it gave most often (ties: the first) is used everywhere."""
    from collections import Counter

    votes: dict[str, Counter] = {}
    for start, end, label in spans:
        votes.setdefault(text[start:end], Counter())[label] += 1
    return [(start, end, votes[text[start:end]].most_common(1)[0][0]) for start, end, _ in spans]


def abbreviations(text: str, spans: list[Span]) -> list[Span]:
    """Short forms in brackets after a named entity, labelled like it: "… Rekruttering (STAR)"."""
    by_end = {end: label for _, end, label in spans if label in ("ORG", "PROGRAMME")}
    found = []
    for match in _ABBREVIATION.finditer(text):
        before = match.start()
        while before > 0 and text[before - 1] in " \u00a0":
            before -= 1
        label = by_end.get(before)
        if label:
            found.append((match.start(1), match.end(1), label))
    return found


_COMMITTEE_END = re.compile(r"(?i)udvalg(?:et|ets)?$")
_WORD_PARTS = re.compile(r"[A-ZÆØÅa-zæøå]+")


def committee_initials(name: str) -> str | None:
    """"Vækst- og Beskæftigelsesudvalget" -> "VBU", "Økonomiudvalget" -> "ØU"; None if not a committee."""
    if not _COMMITTEE_END.search(name):
        return None
    words = [w for w in _WORD_PARTS.findall(name) if w.lower() != "og"]
    if not words:
        return None
    initials = "".join(w[0].upper() for w in words[:-1])
    last = words[-1]
    stem = _COMMITTEE_END.sub("", last)
    return initials + (stem[0].upper() if stem else "") + "U"


def committee_abbreviations(text: str, spans: list[Span]) -> list[Span]:
    """A committee's initials used in running text ("VBU" for Vækst- og Beskæftigelsesudvalget)
    are ORG; on a line of their own (a routing grid) or as a tag after a title they are not."""
    codes = {committee_initials(text[start:end]) for start, end, label in spans if label == "ORG"} - {None}
    codes = {code for code in codes if len(code) >= 2}
    if not codes:
        return []
    found = []
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(sorted(codes)) + r")(?![\w-])")
    for match in pattern.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line = text[line_start:line_end if line_end >= 0 else len(text)]
        before = text[line_start:match.start()].rstrip()
        if sum(1 for w in line.split() if w.islower()) < 3 or before.endswith(("-", "–")):
            continue
        found.append((match.start(), match.end(), "ORG"))
    return found


def propagate(text: str, spans: list[Span], labels: tuple[str, ...] = ("PERSON", "ORG", "PROGRAMME")) -> list[Span]:
    """Every other place the exact words of a found name are printed (word-bounded).
    Searched with str.find per name: no pattern to compile for each meeting's names."""
    names: dict[str, str] = {}
    for start, end, label in spans:
        surface = text[start:end]
        if label in labels and len(surface) >= 3:
            names.setdefault(surface, label)
    found = []
    for name in sorted(names, key=len, reverse=True):
        position = text.find(name)
        while position >= 0:
            end = position + len(name)
            before = text[position - 1] if position else " "
            after = text[end] if end < len(text) else " "
            if not (before.isalnum() or before in "_-" or after.isalnum() or after in "_-"):
                found.append((position, end, names[name]))
            position = text.find(name, position + 1)
    return found
