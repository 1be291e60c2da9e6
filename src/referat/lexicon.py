"""The words of Danish minutes that several stages read, and the party table, as one object.

`configs/lexicon.toml` and `configs/parties.toml` are the sources. `referat train` stores both
in the pipeline's vocabulary as the lookups table `referat_lexicon` (spaCy's place for tables
that components share, as the lemmatizer's are), so the saved pipeline carries them and every
component reads them from `doc.vocab`. Plain functions take a `Lexicon` argument.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from referat.entities.parties import PartyTable

TABLE = "referat_lexicon"
FILES = {"lexicon": "lexicon.toml", "parties": "parties.toml"}


@dataclass(frozen=True)
class Lexicon:
    """Compiled: the municipality pattern, the words that cannot start one, role and function
    words, generic bodies (not ORG however capitalised), budget-area and law words, and the
    party table. `data` keeps the source dicts for saving."""

    parties: PartyTable
    municipality: re.Pattern
    not_name_start: frozenset[str]
    roles: frozenset[str]
    function_words: frozenset[str]
    generic_org: frozenset[str]
    area_prefixes: tuple[str, ...]
    law_endings: tuple[str, ...]
    genitive_endings: tuple[str, ...] = ()
    document_endings: tuple[str, ...] = ()
    file_suffixes: frozenset[str] = frozenset()
    name_joining_words: frozenset[str] = frozenset()
    data: dict = field(repr=False, compare=False, default_factory=dict)

    @classmethod
    def from_dicts(cls, lexicon: dict, parties: dict) -> "Lexicon":
        return cls(
            parties=PartyTable.from_dict(parties),
            municipality=re.compile(lexicon["municipality"]),
            # pipelines trained before the list had its present name call it not_municipality
            not_name_start=frozenset(w.lower() for w in lexicon["not_name_start" if "not_name_start" in lexicon
                                                                  else "not_municipality"]),
            roles=frozenset(w.lower() for w in lexicon["roles"]),
            function_words=frozenset(w.lower() for w in lexicon["function_words"]),
            generic_org=frozenset(w.lower() for w in lexicon["generic_org"]),
            area_prefixes=tuple(w.lower() for w in lexicon["area_prefixes"]),
            law_endings=tuple(w.lower() for w in lexicon["law_endings"]),
            # a pipeline saved before the genitive endings were in the lexicon has none
            genitive_endings=tuple(w.lower() for w in lexicon.get("genitive_endings", ())),
            # pipelines saved before these lists existed have none: their spans are not checked so
            document_endings=tuple(w.lower() for w in lexicon.get("document_endings", ())),
            file_suffixes=frozenset(w.lower() for w in lexicon.get("file_suffixes", ())),
            name_joining_words=frozenset(w.lower() for w in lexicon.get("name_joining_words", ())),
            data={"lexicon": lexicon, "parties": parties},
        )

    @classmethod
    def from_folder(cls, folder: str | Path) -> "Lexicon":
        """Read lexicon.toml and parties.toml from a configs folder."""
        folder = Path(folder)
        loaded = {}
        for key, name in FILES.items():
            with open(folder / name, "rb") as handle:
                loaded[key] = tomllib.load(handle)
        return cls.from_dicts(loaded["lexicon"], loaded["parties"])

    @property
    def leading_words(self) -> frozenset[str]:
        """Words that stand before a name without being part of it: roles and function words."""
        return self.roles | self.function_words

    def add_to(self, vocab) -> None:
        """Store the tables in a spaCy vocabulary (replacing an earlier copy)."""
        if vocab.lookups.has_table(TABLE):
            vocab.lookups.remove_table(TABLE)
        vocab.lookups.add_table(TABLE, dict(self.data))
        _CACHE.pop(id(vocab), None)

    @classmethod
    def of_vocab(cls, vocab) -> "Lexicon":
        """The lexicon a pipeline carries (compiled once per vocabulary)."""
        cached = _CACHE.get(id(vocab))
        if cached is not None and cached[0] is vocab:
            return cached[1]
        if not vocab.lookups.has_table(TABLE):
            from referat.errors import ModelError

            raise ModelError(f"the pipeline carries no {TABLE!r} table: it was not made by `referat train`; "
                             "retrain it, or use referat.load() for the shipped one")
        table = vocab.lookups.get_table(TABLE)
        lexicon = cls.from_dicts(table["lexicon"], table["parties"])
        _CACHE[id(vocab)] = (vocab, lexicon)
        return lexicon

    @classmethod
    def shipped(cls) -> "Lexicon":
        """The lexicon of the pipeline that ships with the package."""
        global _SHIPPED
        if _SHIPPED is None:
            from spacy.lookups import Lookups

            from referat.resources import shipped_model_path

            lookups = Lookups().from_disk(shipped_model_path() / "vocab")
            table = lookups.get_table(TABLE)
            _SHIPPED = cls.from_dicts(table["lexicon"], table["parties"])
        return _SHIPPED


_CACHE: dict[int, tuple[object, Lexicon]] = {}
_SHIPPED: Lexicon | None = None
