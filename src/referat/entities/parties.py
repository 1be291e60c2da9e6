"""Danish party letters and names: normalise any written form of a party to its name or letter.

The national table is data: configs/parties.toml is the source, and a pipeline carries it in its
vocabulary (see `referat.lexicon`). A local list ("L Lokallisten Fjordby") is added per
document with :meth:`PartyTable.with_local`.

    >>> table = PartyTable.load("configs/parties.toml")
    >>> table.name("(A)"), table.code("Venstres")
    ('Socialdemokratiet', 'V')
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Party", "PartyTable"]

# Punctuation around a form that is not part of it: "(A)", ", A", "A:", "V og", "[Ø]".
_EDGE = " \t\r\n\u00a0()[]{},;:.\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"
# A spaced hyphen or any en/em dash between words: "SF - Socialistisk Folkeparti",
# "SF – Socialistisk Folkeparti". A hyphen inside a word ("Rød-Grønne") stays.
_DASHES = re.compile(r"\s+[-\u2010\u2011\u2012\u2013\u2014]\s*|\s*[\u2013\u2014]\s*|\s*-\s+")
_SPACES = re.compile(r"\s+")
_APOSTROPHE_GENITIVE = re.compile(r"['\u2019\u00b4`]s$", re.IGNORECASE)


@dataclass(frozen=True)
class Party:
    """One party: its letter, its name as normalised, and its other written forms."""

    code: str
    name: str
    forms: tuple[str, ...] = ()
    local: bool = False


def _clean(text: str) -> str:
    """NFC, one space between words, one form of dash, no punctuation at the ends."""
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", text).strip(_EDGE)
    return _DASHES.sub(" - ", text)


def _is_abbreviation(form: str) -> bool:
    """Capitals of at most three letters ("A", "SF", "ALT"): matched in capitals only."""
    letters = form.replace(".", "")
    return 0 < len(letters) <= 3 and letters.isalpha() and letters == letters.upper()


@dataclass(frozen=True)
class PartyTable:
    """Party letters and names, and the lookup from any written form to the party."""

    parties: tuple[Party, ...]
    _exact: dict[str, Party] = field(init=False, repr=False, compare=False)
    _folded: dict[str, Party] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        exact: dict[str, Party] = {}
        folded: dict[str, Party] = {}
        # Later parties (local lists) win over earlier ones with the same form.
        for party in self.parties:
            for form in (party.code, party.name, *party.forms):
                key = _clean(form)
                if not key:
                    continue
                if _is_abbreviation(key):
                    exact[key] = party
                else:
                    folded[key.casefold()] = party
        object.__setattr__(self, "_exact", exact)
        object.__setattr__(self, "_folded", folded)

    # ---------------------------------------------------------------------------- building

    @classmethod
    def load(cls, path: str | Path) -> PartyTable:
        """The table in the parties.toml at ``path``."""
        return cls.from_toml(Path(path).read_text(encoding="utf-8"))

    @classmethod
    def from_toml(cls, text: str) -> PartyTable:
        """The table from the text of a parties.toml (``[[party]]`` with code, name, forms)."""
        return cls.from_dict(tomllib.loads(text))

    @classmethod
    def from_dict(cls, data: dict) -> PartyTable:
        """The table from a parsed parties.toml: ``{"party": [{code, name, forms}, ...]}``."""
        parties = []
        for entry in data.get("party", []):
            code, name = entry.get("code"), entry.get("name")
            if not isinstance(code, str) or not isinstance(name, str) or not code or not name:
                raise ValueError(f"a party needs a code and a name: {entry!r}")
            forms = entry.get("forms", [])
            if not isinstance(forms, list) or not all(isinstance(f, str) for f in forms):
                raise ValueError(f"forms of party {code} must be a list of strings")
            parties.append(Party(code=code, name=name, forms=tuple(forms)))
        codes = [p.code for p in parties]
        if len(set(codes)) != len(codes):
            raise ValueError("party codes must be unique")
        return cls(tuple(parties))

    def with_local(self, local: Mapping[str, str | Iterable[str]]) -> PartyTable:
        """This table extended by local lists, given as letter -> name as printed.

        The value may also be a list: the name first, then other written forms. A local list
        with a national letter takes that letter's place.
        """
        added = []
        for code, value in local.items():
            if isinstance(value, str):
                name, forms = value, ()
            else:
                name, *rest = list(value)
                forms = tuple(rest)
            code = _clean(code)
            if not code or not name.strip():
                raise ValueError(f"a local list needs a letter and a name: {code!r} {value!r}")
            added.append(Party(code=code, name=_SPACES.sub(" ", name).strip(), forms=forms, local=True))
        kept = tuple(p for p in self.parties if p.code not in {a.code for a in added})
        return PartyTable(kept + tuple(added))

    # ---------------------------------------------------------------------------- lookup

    def party(self, text: str) -> Party | None:
        """The party any written form stands for: "(A)", "A:", "Socialdemokratiets", "soc.dem."."""
        if not isinstance(text, str):
            return None
        key = _clean(text)
        if not key:
            return None
        found = self._lookup(key)
        if found is not None:
            return found
        # Genitives not listed: "SF's", "AKF's" -> strip "'s"; "Lokallistens" -> strip "s".
        stripped = _APOSTROPHE_GENITIVE.sub("", key)
        if stripped != key:
            return self._lookup(stripped)
        if len(key) > 3 and key.endswith("s"):
            return self._lookup(key[:-1])
        return None

    def _lookup(self, key: str) -> Party | None:
        if key in self._exact:
            return self._exact[key]
        if _is_abbreviation(key):
            return None
        return self._folded.get(key.casefold())

    def name(self, text: str) -> str | None:
        """The party's name for any written form, or None if ``text`` is not a party."""
        party = self.party(text)
        return party.name if party else None

    def code(self, text: str) -> str | None:
        """The party's letter for any written form, or None if ``text`` is not a party."""
        party = self.party(text)
        return party.code if party else None

    def names(self) -> list[str]:
        """The party names, in table order (national, then local)."""
        return [p.name for p in self.parties]

    def codes(self) -> list[str]:
        """The party letters, in table order."""
        return [p.code for p in self.parties]

    def forms(self) -> list[str]:
        """Every written form that is not a bare letter (names, abbreviations, genitives), for
        patterns; longest first, so a pattern list built from it prefers the longer form."""
        seen: dict[str, None] = {}
        for p in self.parties:
            for form in (p.name, *p.forms):
                if len(form.replace(".", "")) > 1:
                    seen.setdefault(form, None)
        return sorted(seen, key=len, reverse=True)

    def __len__(self) -> int:
        return len(self.parties)

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and self.party(text) is not None
