"""Canonical values of names (referat.entities.canonical) on composed Danish minutes."""

from pathlib import Path

import pytest

from referat.entities.canonical import basic_form, member_parties, name_values, person_party
from referat.lexicon import Lexicon

# the source the pipeline is trained with (the checkout's configs/, not the installed package's)
ENDINGS = Lexicon.from_folder(Path(__file__).parents[1] / "configs").genitive_endings


@pytest.mark.parametrize("surface, value", [
    ("Herning Kommunes", "Herning Kommune"),
    ("Økonomiudvalgets", "Økonomiudvalget"),
    ("Styrelsen for Patientsikkerheds", "Styrelsen for Patientsikkerhed"),
    ("Danmarks Naturfredningsforenings", "Danmarks Naturfredningsforening"),
    ("Region Hovedstadens", "Region Hovedstaden"),
    ("Kommunernes", "Kommunerne"),
    ("Ældre Sagens", "Ældre Sagen"),
    ("Fjordby Kulturhus", "Fjordby Kulturhus"),          # its own form ends in -s
    ("Vejle Musikskole", "Vejle Musikskole"),
    ("DGIS", "DGIS"),                                     # capitals keep their s
    ("Teknik- og\nMiljøudvalget", "Teknik- og Miljøudvalget"),  # a line break inside the name
    ("Natur-\nstyrelsens", "Naturstyrelsen"),             # hyphenated across the line
])
def test_basic_form(surface, value):
    assert basic_form(surface, ENDINGS) == value


def test_short_form_in_brackets_stands_for_its_long_form_everywhere():
    text = ("Aftalen med Styrelsen for Arbejdsmarked og Rekruttering (STAR) løber til 2026. "
            "STAR har godkendt planen, og Fjordby Kommunes jobcenter følger op.")
    def span(surface, start=0):
        at = text.index(surface, start)
        return (at, at + len(surface), "ORG")
    long_form, short, again, town = (span("Styrelsen for Arbejdsmarked og Rekruttering"), span("STAR"),
                                     span("STAR", text.index("STAR") + 1), span("Fjordby Kommunes"))
    values = name_values(text, [long_form, short, again, town, (0, 7, "PERSON")], ENDINGS)
    assert values[short[:2]] == values[again[:2]] == values[long_form[:2]] == \
        "Styrelsen for Arbejdsmarked og Rekruttering"
    assert values[town[:2]] == "Fjordby Kommune"
    assert (0, 7) not in values  # only ORG and PROGRAMME get a name value


def test_person_linked_to_a_member_of_that_name():
    members = member_parties([{"name": "Lise  Berg", "party": "V", "party_name": "Venstre"},
                              {"name": "Ole Dam", "party": None, "party_name": None}])
    assert person_party("Lise Berg", members) == "Venstre"
    assert person_party("lise berg", members) == "Venstre"
    assert person_party("Ole Dam", members) is None      # a member without a party
    assert person_party("Lise Bergholt", members) is None
