"""Entity rules that need context: amounts, party letters beside names or in votes, and the
members printed in the header. Pure Python; the `referat_rules` component wraps it.

Each finder returns (start, end, label) character spans, end exclusive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from referat.entities.amounts import find_amounts
from referat.entities.parties import PartyTable

Span = tuple[int, int, str]


@dataclass(frozen=True)
class ContextRules:
    person_paren: re.Pattern
    person_trailing: re.Pattern
    vote_line: re.Pattern
    vote_code: re.Pattern
    amount_unit: re.Pattern
    person_after_label: re.Pattern
    quoted: re.Pattern
    programme_category_before: re.Pattern
    pool_word_suffix: re.Pattern
    programme_after_category: re.Pattern
    roles: frozenset[str]
    generic_org: frozenset[str]
    law_endings: tuple[str, ...]
    area_prefixes: tuple[str, ...]
    org_patterns: tuple[re.Pattern, ...]
    not_name_start: frozenset[str]

    @classmethod
    def from_dict(cls, data: dict, lexicon) -> "ContextRules":
        """The rules of a parsed context.toml; `lexicon` (referat.lexicon.Lexicon) gives the
        words before a name that are not part of it and the municipality pattern."""
        return cls(
            person_paren=re.compile(data["person_paren"]),
            person_trailing=re.compile(data["person_trailing"]),
            vote_line=re.compile(data["vote_line"]),
            vote_code=re.compile(data["vote_code"]),
            amount_unit=re.compile(data["amount_unit"]),
            person_after_label=re.compile(data["person_after_label"]),
            quoted=re.compile(data["quoted"]),
            programme_category_before=re.compile(data["programme_category_before"]),
            pool_word_suffix=re.compile(data["pool_word_suffix"]),
            programme_after_category=re.compile(data["programme_after_category"]),
            roles=lexicon.leading_words,
            generic_org=lexicon.generic_org,
            law_endings=lexicon.law_endings,
            area_prefixes=lexicon.area_prefixes,
            org_patterns=(lexicon.municipality, *(re.compile(pattern) for pattern in data["org_patterns"])),
            not_name_start=lexicon.not_name_start,
        )


def amount_spans(text: str, rules: ContextRules) -> list[Span]:
    """Sums of money (referat.entities.amounts), less units printed over tables ("(1.000 kr.)")."""
    units = [(m.start(), m.end()) for m in rules.amount_unit.finditer(text)]
    return [(start, end, "AMOUNT") for start, end, _ in find_amounts(text)
            if not any(u_start <= start and end <= u_end for u_start, u_end in units)]


def _name_span(line: str, offset: int, start: int, end: int, rules: ContextRules) -> Span | None:
    """The person's name in line[start:end] without leading role words; None if one word."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", line[start:end])]
    while words and line[start + words[0][0]:start + words[0][1]].lower().strip(".,:") in rules.roles:
        words.pop(0)
    # a leading capitalised role ("Borgmester") is not part of the name either
    while len(words) > 2 and line[start + words[0][0]:start + words[0][1]].lower() in rules.roles:
        words.pop(0)
    if len(words) < 2:
        return None
    return offset + start + words[0][0], offset + start + words[-1][1], "PERSON"


def party_context_spans(text: str, parties: PartyTable,
                        rules: ContextRules, skip_lines: set[int] | frozenset = frozenset(),
                        local_codes: set[str] | frozenset = frozenset()) -> list[Span]:
    """PERSON and PARTY spans where a party letter stands beside a name or in a vote line.
    Lines whose start offset is in `skip_lines` (item headings) are left alone, since a letter
    in brackets after a title is the house style's code for the item's kind. `local_codes`
    are letters of local lists printed beside members in the header."""
    codes = set(parties.codes()) | set(local_codes)
    found: list[Span] = []
    offset = 0
    for line in text.split("\n"):
        if offset in skip_lines or not line.strip():
            offset += len(line) + 1
            continue
        if "(" in line:
            for match in rules.person_paren.finditer(line):
                if match["code"] not in codes:
                    continue
                name = _name_span(line, offset, match.start("name"), match.end("name"), rules)
                if name is None:
                    continue
                found.append(name)
                found.append((offset + match.start("code"), offset + match.end("code"), "PARTY"))
        trailing = rules.person_trailing.match(line)
        if trailing and trailing["code"] in codes:
            name = _name_span(line, offset, trailing.start("name"), trailing.end("name"), rules)
            if name is not None:
                found.append(name)
                found.append((offset + trailing.start("code"), offset + trailing.end("code"), "PARTY"))
        vote = rules.vote_line.match(line)
        if vote:
            for code in rules.vote_code.finditer(vote["rest"]):
                if code["code"] in codes:
                    start = offset + vote.start("rest") + code.start("code")
                    found.append((start, start + 1, "PARTY"))
        offset += len(line) + 1
    return found


def named_spans(text: str, rules: ContextRules) -> list[Span]:
    """PERSON after "Sagsbehandler:" and like labels; PROGRAMME in quotes after its category
    word ("projekt 'Flere i Job'", quotes outside the span), pools written as one word and
    names with a digit or capitals after their category word ("initiativet DK2020")."""
    found = [(m.start("name"), m.end("name"), "PERSON") for m in rules.person_after_label.finditer(text)]
    for match in rules.quoted.finditer(text):
        name = match["name"].strip()
        if name and rules.programme_category_before.search(text, max(0, match.start() - 30), match.start()):
            start = match.start("name") + match["name"].index(name)
            found.append((start, start + len(name), "PROGRAMME"))
    found.extend(_pool_words(text, rules))
    for match in rules.programme_after_category.finditer(text):
        if not match["name"].isdigit():  # "projekt 2" numbers a project, it does not name one
            found.append((match.start("name"), match.end("name"), "PROGRAMME"))
    return found


def org_spans(text: str, rules: ContextRules) -> list[Span]:
    """Municipalities and regions by name, named committees and jobcentres."""
    found = []
    for pattern in rules.org_patterns:
        for match in pattern.finditer(text):
            name = match["name"]
            if name.split()[0].lower() in rules.not_name_start or is_generic_org(name, rules):
                continue
            found.append((match.start("name"), match.end("name"), "ORG"))
    return found


def _pool_words(text: str, rules: ContextRules) -> list[Span]:
    """"Kulturpuljen", "idrætspuljen": found from the suffix leftwards, so the scan stays linear."""
    found = []
    for match in rules.pool_word_suffix.finditer(text):
        start = match.start()
        while start > 0 and text[start - 1].isalpha():
            start -= 1
        glued = match.start() - start
        if glued >= 3 and not (start > 0 and text[start - 1] in "-_0123456789") and \
                (text[start:match.start()].islower() or text[start].isupper() and text[start + 1:match.start()].islower()):
            found.append((start, match.end(), "PROGRAMME"))
    return found


def member_spans(text: str, names: list[str], limit: int) -> list[Span]:
    """PERSON spans for the header's member names, everywhere they are printed before `limit`."""
    found = []
    for name in {n for n in names if n and " " in n}:
        for match in re.finditer(re.escape(name), text[:limit]):
            before = text[match.start() - 1] if match.start() else " "
            after = text[match.end()] if match.end() < len(text) else " "
            if not (before.isalnum() or after.isalnum()):
                found.append((match.start(), match.end(), "PERSON"))
    return found


def is_generic_org(surface: str, rules) -> bool:
    """"Jobcentret", "Byrådets", "Serviceloven", "Politikområde 4 ...", "A-dagpengeområdet":
    not a named organisation (nor a programme). `rules` is ContextRules or the Lexicon (both
    carry generic_org, law_endings and area_prefixes)."""
    key = surface.lower()
    first = key.split()[0] if key.split() else key
    return (key in rules.generic_org or key.rstrip("s") in rules.generic_org or key.endswith(rules.law_endings)
            or first in rules.area_prefixes or key.endswith(("området", "områdets")))


def merge_spans(*groups: list[Span]) -> list[Span]:
    """All spans, earlier groups first; a span that overlaps one already taken is dropped."""
    taken: list[Span] = []
    occupied: set[int] = set()
    for group in groups:
        for start, end, label in sorted(set(group), key=lambda s: (s[0], -s[1])):
            if any(i in occupied for i in range(start, end)):
                continue
            taken.append((start, end, label))
            occupied.update(range(start, end))
    return sorted(taken)


@lru_cache(maxsize=8)
def _party_name_pattern(forms: tuple[str, ...]) -> re.Pattern:
    alternation = "|".join(re.escape(form) for form in forms)
    return re.compile(rf"(?<![\w])(?:{alternation})(?![\w])")


def party_name_spans(text: str, parties: PartyTable) -> list[Span]:
    """PARTY spans for party names written out ("Venstre", "Socialdemokratiets", "SF").
    Names are matched as printed in the table, so the word "venstre" (left) is not a party."""
    forms = tuple(form for form in parties.forms() if len(form) > 2 or (len(form) == 2 and form.isupper()))
    return [(m.start(), m.end(), "PARTY") for m in _party_name_pattern(forms).finditer(text)]
