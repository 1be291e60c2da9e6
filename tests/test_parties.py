"""Tests of referat.entities.parties: the party table, its lookups, local lists and the shipped data."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from referat.entities.parties import Party, PartyTable
from referat.lexicon import Lexicon

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "configs" / "parties.toml"

NATIONAL = {
    "A": "Socialdemokratiet",
    "B": "Radikale Venstre",
    "C": "Det Konservative Folkeparti",
    "D": "Nye Borgerlige",
    "F": "SF - Socialistisk Folkeparti",
    "I": "Liberal Alliance",
    "K": "Kristendemokraterne",
    "M": "Moderaterne",
    "O": "Dansk Folkeparti",
    "V": "Venstre",
    "Æ": "Danmarksdemokraterne",
    "Ø": "Enhedslisten",
    "Å": "Alternativet",
}


@pytest.fixture(scope="module")
def table() -> PartyTable:
    return PartyTable.load(CONFIG)


def normalise_party(text):
    return PartyTable.load(CONFIG).name(text)


# --------------------------------------------------------------------------------------------
# The data files


def test_shipped_pipeline_carries_the_configs_table() -> None:
    # the runtime reads the table the pipeline carries; it is built from configs/parties.toml
    assert Lexicon.shipped().parties.parties == PartyTable.load(CONFIG).parties


def test_config_is_valid_toml_with_unique_codes_and_forms() -> None:
    data = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    codes = [p["code"] for p in data["party"]]
    assert len(codes) == len(set(codes))
    forms: list[str] = []
    for p in data["party"]:
        forms += [p["name"], *p.get("forms", [])]
    assert len(forms) == len(set(forms)), "a written form belongs to one party only"


def test_national_table(table: PartyTable) -> None:
    assert dict(zip(table.codes(), table.names())) == NATIONAL
    assert len(table) == 13


def test_load_by_path_str_and_dict_agree() -> None:
    assert PartyTable.load(str(CONFIG)).parties == PartyTable.load(CONFIG).parties
    data = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert PartyTable.from_dict(data).parties == PartyTable.load(CONFIG).parties


@pytest.mark.parametrize(
    "text",
    [
        '[[party]]\nname = "Venstre"\n',
        '[[party]]\ncode = "V"\n',
        '[[party]]\ncode = "V"\nname = "Venstre"\nforms = "Venstres"\n',
        '[[party]]\ncode = "V"\nname = "Venstre"\n[[party]]\ncode = "V"\nname = "Venstre2"\n',
    ],
)
def test_from_toml_rejects_bad_tables(text: str) -> None:
    with pytest.raises(ValueError):
        PartyTable.from_toml(text)


# --------------------------------------------------------------------------------------------
# Lookups


@pytest.mark.parametrize(("code", "name"), sorted(NATIONAL.items()))
def test_every_code_in_every_written_way(table: PartyTable, code: str, name: str) -> None:
    for text in (code, f"({code})", f"{code}:", f", {code}", f" {code} ", f"({code}),", f"[{code}]"):
        assert table.name(text) == name, text
        assert table.code(text) == code, text
    assert table.name(name) == name
    assert table.code(name) == code


FORMS = [
    ("Socialdemokratiet", "A"),
    ("Socialdemokraterne", "A"),
    ("Socialdemokratiets", "A"),
    ("Socialdemokraternes", "A"),
    ("S", "A"),
    ("(S)", "A"),
    ("Soc.dem.", "A"),
    ("soc.dem.", "A"),
    ("Soc. dem.", "A"),
    ("SOCIALDEMOKRATIET", "A"),
    ("Radikale", "B"),
    ("Radikale Venstre", "B"),
    ("Det Radikale Venstre", "B"),
    ("Radikale Venstres", "B"),
    ("RV", "B"),
    ("Konservative", "C"),
    ("De Konservative", "C"),
    ("Det Konservative Folkeparti", "C"),
    ("Det Konservative Folkepartis", "C"),
    ("Konservatives", "C"),
    ("Nye Borgerlige", "D"),
    ("Nye Borgerliges", "D"),
    ("SF", "F"),
    ("SF - Socialistisk Folkeparti", "F"),
    ("SF \u2013 Socialistisk Folkeparti", "F"),
    ("SF  -  Socialistisk\nFolkeparti", "F"),
    ("Socialistisk Folkeparti", "F"),
    ("SF's", "F"),
    ("SF\u2019s", "F"),
    ("SFs", "F"),
    ("LA", "I"),
    ("Liberal Alliance", "I"),
    ("Liberal Alliances", "I"),
    ("LA's", "I"),
    ("Kristendemokraterne", "K"),
    ("Moderaterne", "M"),
    ("DF", "O"),
    ("Dansk Folkeparti", "O"),
    ("Dansk\nFolkeparti", "O"),
    ("Dansk Folkepartis", "O"),
    ("DF's", "O"),
    ("Venstre", "V"),
    ("Venstres", "V"),
    ("Venstre, Danmarks Liberale Parti", "V"),
    ("Danmarksdemokraterne", "Æ"),
    ("Danmarksdemokraternes", "Æ"),
    ("EL", "Ø"),
    ("Enhedslisten", "Ø"),
    ("Enhedslistens", "Ø"),
    ("Enhedslisten \u2013 De Rød-Grønne", "Ø"),
    ("Alternativet", "Å"),
    ("Alternativets", "Å"),
    ("ALT", "Å"),
    ("\u201cVenstre\u201d", "V"),
    ("Venstre.", "V"),
]


@pytest.mark.parametrize(("text", "code"), FORMS)
def test_written_forms(table: PartyTable, text: str, code: str) -> None:
    assert table.code(text) == code
    assert table.name(text) == NATIONAL[code]
    assert normalise_party(text) == NATIONAL[code]


def test_decomposed_unicode_is_read(table: PartyTable) -> None:
    assert table.code("O\u0308") is None  # Ö is no party letter
    assert table.code("A\u030a") == "Å"  # Å written as A + combining ring


NOT_PARTIES = [
    "X",
    "E",
    "Z",
    "Q",
    "(X)",
    "Løsgænger",
    "løsgænger",
    "Regeringen",
    "byrådet",
    "Byrådet",
    "Kommunalbestyrelsen",
    "",
    "   ",
    "()",
    ",",
    "a",  # lower-case letters are words, not codes
    "i",
    "o",
    "v",
    "sf",
    "el",  # "el" is electricity
    "alt",  # "alt" is everything
    "Alt",
    "V og I",
    "Venstre og Dansk Folkeparti",
    "AB",
    "Socialdemokrat",
    "As",
    "Vs",
]


@pytest.mark.parametrize("text", NOT_PARTIES)
def test_not_parties(table: PartyTable, text: str) -> None:
    assert table.name(text) is None
    assert table.code(text) is None
    assert normalise_party(text) is None
    assert text not in table


@pytest.mark.parametrize("text", [None, 1, b"A", ["A"]])
def test_non_text_is_none(table: PartyTable, text: object) -> None:
    assert table.name(text) is None  # type: ignore[arg-type]
    assert normalise_party(text) is None  # type: ignore[arg-type]


def test_party_object(table: PartyTable) -> None:
    party = table.party("(Ø)")
    assert isinstance(party, Party)
    assert (party.code, party.name, party.local) == ("Ø", "Enhedslisten", False)
    assert "Venstres" in table


# --------------------------------------------------------------------------------------------
# Local lists


def test_with_local(table: PartyTable) -> None:
    local = table.with_local({"L": "Lokallisten Fjordby"})
    assert local.name("(L)") == "Lokallisten Fjordby"
    assert local.name("L:") == "Lokallisten Fjordby"
    assert local.code("Lokallisten Fjordby") == "L"
    assert local.code("Lokallisten Fjordbys") == "L"
    assert local.party("L").local is True
    assert local.name("(A)") == "Socialdemokratiet"  # the national table is kept
    assert local.codes() == [*NATIONAL, "L"]
    assert local.names()[-1] == "Lokallisten Fjordby"
    # the original is unchanged
    assert table.name("L") is None
    assert "L" not in table.codes()


def test_with_local_forms_and_override(table: PartyTable) -> None:
    local = table.with_local({"T": ["Tværpolitisk Liste", "TL"], "E": "Borgerlisten Egeby"})
    assert local.code("TL") == "T"
    assert local.name("Tværpolitisk Liste") == "Tværpolitisk Liste"
    assert local.name("E") == "Borgerlisten Egeby"
    override = table.with_local({"B": "Bylisten"})
    assert override.name("(B)") == "Bylisten"
    assert override.codes().count("B") == 1
    assert override.name("Radikale Venstre") is None


def test_with_local_keeps_name_as_printed(table: PartyTable) -> None:
    local = table.with_local({"L": "  Lokallisten\nFjordby "})
    assert local.name("L") == "Lokallisten Fjordby"


def test_with_local_rejects_empty(table: PartyTable) -> None:
    with pytest.raises(ValueError):
        table.with_local({"": "Listen"})
    with pytest.raises(ValueError):
        table.with_local({"L": " "})


# --------------------------------------------------------------------------------------------
# Lists for the rule patterns


def test_names_codes_forms(table: PartyTable) -> None:
    assert table.codes() == list(NATIONAL)
    assert table.names() == list(NATIONAL.values())
    forms = table.forms()
    assert "Socialdemokratiets" in forms and "SF's" in forms and "Venstre" in forms
    assert not any(len(f) == 1 for f in forms)
    assert forms == sorted(forms, key=len, reverse=True)
    for form in forms:
        assert table.code(form) is not None, form
