"""Canonical values of names: an ORG or PROGRAMME in its basic form, a short form in brackets
linked to its long form, a PERSON linked to the meeting's member of that name.

Plain functions on strings and (start, end, label) spans; the normaliser component
(referat.pipeline.components) writes what they return into ``span._.value``.

- Basic form: the name on one line ("Natur-\\nstyrelsen" is "Naturstyrelsen", a line break
  between words is a space) and out of the genitive: Danish puts the genitive -s on the last
  word of a name ("Herning Kommunes borgere", "Økonomiudvalgets beslutning"), so a last word
  ending in one of the lexicon's ``genitive_endings`` loses that s ("Herning Kommune").
- Short forms: "Styrelsen for Arbejdsmarked og Rekruttering (STAR)" makes STAR, there and
  wherever else the meeting prints it, stand for the long form's basic form.
- Members: a PERSON whose name is the name of one of the meeting's members (case and spacing
  aside) gets that member's party name.

    >>> basic_form("Herning Kommunes", ("es", "ets", "ens"))
    'Herning Kommune'
    >>> basic_form("Teknik- og\\nMiljøudvalgets", ("es", "ets", "ens"))
    'Teknik- og Miljøudvalget'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

Span = tuple[int, int, str]

_HYPHEN_BREAK = re.compile(r"(?<=[a-zæøå])-[ \t]*\r?\n[ \t]*(?=[a-zæøå])")
_SHORT_FORM = re.compile(r"[ \t\u00a0]*\([ \t\u00a0]*([A-ZÆØÅ][A-ZÆØÅ0-9&\-]{1,9})[ \t\u00a0]*\)")
NAMED_LABELS = ("ORG", "PROGRAMME")


def basic_form(surface: str, genitive_endings: Iterable[str]) -> str:
    """The name on one line and without a genitive -s on its last word."""
    name = " ".join(_HYPHEN_BREAK.sub("", surface).split())
    head, _, last = name.rpartition(" ")
    lowered = last.lower()
    for ending in genitive_endings:
        # the word keeps at least three letters, and a name in capitals keeps its s ("DGIS")
        if lowered.endswith(ending) and len(last) - 1 >= 3 and not last.isupper():
            return f"{head} {last[:-1]}".strip()
    return name


def name_values(text: str, spans: Sequence[Span], genitive_endings: Iterable[str]) -> dict[tuple[int, int], str]:
    """(start, end) -> canonical value of every ORG and PROGRAMME span: its basic form, or, for
    a short form, the basic form of the long form it stands for in this text."""
    endings = tuple(genitive_endings)
    values = {(s, e): basic_form(text[s:e], endings) for s, e, label in spans if label in NAMED_LABELS}
    named = sorted((s, e, label) for s, e, label in spans if label in NAMED_LABELS)
    long_forms: dict[str, str] = {}
    for start, end, label in named:
        match = _SHORT_FORM.match(text, end)
        if not match:
            continue
        short = match.group(1)
        if text[start:end] == short:  # the short form itself in brackets after another name
            continue
        long_forms.setdefault(short, values[(start, end)])
    for start, end, label in named:
        short = text[start:end]
        if short in long_forms and values[(start, end)] == short:
            values[(start, end)] = long_forms[short]
    return values


def member_parties(members: Iterable[dict]) -> dict[str, str]:
    """Casefolded, single-spaced member name -> the member's party name (members with one)."""
    found = {}
    for member in members:
        name, party = member.get("name"), member.get("party_name")
        if isinstance(name, str) and name.strip() and isinstance(party, str) and party:
            found[" ".join(name.split()).casefold()] = party
    return found


def person_party(surface: str, parties_of_members: dict[str, str]) -> str | None:
    """The party name of the member a PERSON span names, or None."""
    return parties_of_members.get(" ".join(surface.split()).casefold())
