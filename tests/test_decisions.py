"""Decisions and votes: composed Danish minutes of invented municipalities."""

import tomllib
from pathlib import Path

import pytest

from referat.entities.decisions import (DecisionInputError, DecisionRules, DecisionRulesError,
                                        extract_decisions)

CONFIG = Path(__file__).parents[1] / "configs" / "decisions.toml"
RULES = DecisionRules.from_dict(tomllib.loads(CONFIG.read_text(encoding="utf-8")))
MEMBERS = [{"name": "Anne Holm", "party": "A", "party_name": "Socialdemokratiet"},
           {"name": "Karen Bech", "party": "V", "party_name": "Venstre"}]


def one(decision_text, heading="Beslutning", members=MEMBERS):
    text = f"1. Ny legeplads i Fjordby\nIndstilling\nForvaltningen indstiller, at planen godkendes.\n{heading}\n{decision_text}\n"
    start = text.index(heading + "\n")
    item = {"start": 0, "end": len(text), "title": "Ny legeplads i Fjordby",
            "sections": [{"name": "beslutning", "heading": heading, "start": start, "end": len(text)}]}
    found = extract_decisions(text, item, RULES, members=members)
    assert len(found) == 1
    decision = found[0]
    assert text[decision["start"]:decision["end"]] == decision["text"] == decision_text.strip()
    return decision


def side(decision, name):
    return [(e["party"], e["name"], e["count"]) for e in decision["votes"][name]]


@pytest.mark.parametrize("phrase, outcome", [
    ("Godkendt.", "godkendt"), ("Anbefales.", "anbefalet"), ("Indstillingen anbefales.", "anbefalet"),
    ("Taget til efterretning.", "taget_til_efterretning"),
    ("Orienteringen blev taget til efterretning.", "taget_til_efterretning"),
    ("Udsat.", "udsat"), ("Sagen udsættes.", "udsat"), ("Sagen blev trukket.", "trukket"),
    ("Oversendes til Byrådet.", "oversendt"), ("Drøftet.", "drøftet"),
    ("Indstillingen blev ikke godkendt.", "afvist"), ("Forslaget blev forkastet.", "afvist"),
    ("Anbefales over for Økonomiudvalget og Byrådet.", "anbefalet"),
    ("Indstillingens punkt 1 og 2 godkendt.", "godkendt"),
    ("Et flertal bestående af A og F godkendte indstillingen.", "godkendt"),
    ("Udvalget anbefaler overfor Byrådet, at planen vedtages.", "anbefalet"),
    ("Sagen blev drøftet. Udvalget godkendte indstillingen.", "godkendt"),
    ("Sagen sendes tilbage til forvaltningen.", "ikke_afgjort"),
    ("Udvalget så frem til næste møde.", None),
])
def test_outcomes(phrase, outcome):
    assert one(phrase)["outcome"] == outcome


def test_amended():
    assert one("Godkendt med den ændring, at beløbet nedsættes.")["amended"] is True
    assert one("Godkendt med følgende ændring: datoen flyttes.")["amended"] is True
    assert one("Godkendt, idet udvalget ønsker en status i juni.")["amended"] is True  # documented choice
    plain = one("Godkendt.")
    assert plain["amended"] is False and plain["outcome"] == "godkendt"
    # the changed clause does not decide the outcome
    assert one("Godkendt med den ændring, at punkt 3 udsættes.")["outcome"] == "godkendt"


def test_vote_lines_with_counts():
    d = one("Godkendt.\nFor stemte: A, F og Ø (15)\nImod stemte: V, C og O (10)\nUndlod at stemme: I (1)")
    assert side(d, "for") == [("A", None, None), ("F", None, None), ("Ø", None, None), (None, None, 15)]
    assert side(d, "against") == [("V", None, None), ("C", None, None), ("O", None, None), (None, None, 10)]
    assert side(d, "abstain") == [("I", None, 1)]
    assert d["votes"]["for"][0]["party_name"] == "Socialdemokratiet"


def test_totals_with_lists():
    d = one("Forslaget blev godkendt med 17 stemmer for (A, B, F, Ø) mod 8 (V, O).")
    assert d["outcome"] == "godkendt"
    assert side(d, "for") == [(None, None, 17), ("A", None, None), ("B", None, None), ("F", None, None), ("Ø", None, None)]
    assert side(d, "against") == [(None, None, 8), ("V", None, None), ("O", None, None)]
    d = one("Med stemmerne 12 for og 3 imod godkendte udvalget indstillingen.")
    assert side(d, "for") == [(None, None, 12)] and side(d, "against") == [(None, None, 3)]


def test_majority_and_against():
    d = one("Et flertal bestående af A og F godkendte indstillingen. V stemte imod.")
    assert side(d, "for") == [("A", None, None), ("F", None, None)]
    assert side(d, "against") == [("V", None, None)]


def test_members_and_party_names():
    d = one("Godkendt. Ali Jensen (Ø) stemte imod.")
    assert d["votes"]["against"] == [{"party": "Ø", "party_name": "Enhedslisten", "name": "Ali Jensen", "count": None}]
    d = one("Godkendt. Karen Bech stemte imod.")  # party from the members
    assert side(d, "against") == [("V", "Karen Bech", None)]
    d = one("Godkendt. Venstre stemte imod.")
    assert side(d, "against") == [("V", None, None)]
    d = one("Anbefales. Anne Lund (A) og Claus Holm (C) undlod at tage stilling.")
    assert side(d, "abstain") == [("A", "Anne Lund", None), ("C", "Claus Holm", None)]
    d = one("Anbefales. (O) stemte imod alle indstillingspunkter.")
    assert side(d, "against") == [("O", None, None)] and d["outcome"] == "anbefalet"
    d = one("Godkendt. For stemte: (V), (A) og Lise Mo (LL).")  # a local list letter is kept
    assert side(d, "for") == [("V", None, None), ("A", None, None), ("LL", "Lise Mo", None)]
    assert d["votes"]["for"][2]["party_name"] is None


def test_dissent():
    d = one("Godkendt.\nMindretalsudtalelse fra V: Vi mener ikke, at planen kan godkendes.")
    assert d["outcome"] == "godkendt"  # the statement's words do not decide
    assert d["dissent"] == [{"party": "V", "party_name": "Venstre", "name": None,
                             "text": "Vi mener ikke, at planen kan godkendes."}]
    d = one("Godkendt. C ønskede følgende ført til protokol: Vi kan ikke godkende økonomien.")
    assert [(x["party"], x["text"]) for x in d["dissent"]] == [("C", "Vi kan ikke godkende økonomien.")]
    d = one("Godkendt. Ø tager forbehold for finansieringen.")
    assert [(x["party"], x["text"]) for x in d["dissent"]] == [("Ø", "tager forbehold for finansieringen.")]
    assert one("Godkendt med bemærkning om, at sagen følges.")["dissent"] == []


def test_absent():
    d = one("Godkendt. Fraværende: Karen Bech")
    assert d["absent"] == [{"name": "Karen Bech", "party": "V"}]
    d = one("Godkendt. Per Sand (V) deltog ikke i behandlingen af punktet (inhabil).")
    assert d["absent"] == [{"name": "Per Sand", "party": "V"}]
    d = one("Godkendt. Anne Holm var fraværende.")
    assert d["absent"] == [{"name": "Anne Holm", "party": "A"}]
    d = one("Godkendt. Afbud: Anne Holm, Per Sand (V)")
    assert d["absent"] == [{"name": "Anne Holm", "party": "A"}, {"name": "Per Sand", "party": "V"}]


def test_multi_body_item_in_order():
    text = ("4. Budget for Fjordby Hallen\nIndstilling\nAnbefales.\n"
            "Beslutning i Økonomiudvalget den 12-03-2024\nAnbefales over for Byrådet.\n"
            "Beslutning i Byrådet den 26. marts 2024\nGodkendt. V stemte imod.\n")
    a = text.index("Beslutning i Ø")
    b = text.index("Beslutning i B")
    item = {"start": 0, "end": len(text), "title": "Budget", "sections": [
        {"name": "indstilling", "heading": "Indstilling", "start": text.index("Indstilling"), "end": a},
        {"name": "beslutning", "heading": "Beslutning i Økonomiudvalget den 12-03-2024", "start": a, "end": b},
        {"name": "beslutning", "heading": "Beslutning i Byrådet den 26. marts 2024", "start": b, "end": len(text)}]}
    found = extract_decisions(text, item, RULES)
    assert [(d["body"], d["date"], d["outcome"], d["text"]) for d in found] == [
        ("Økonomiudvalget", "2024-03-12", "anbefalet", "Anbefales over for Byrådet."),
        ("Byrådet", "2024-03-26", "godkendt", "Godkendt. V stemte imod.")]
    assert one("Godkendt.", heading="Udvalgets beslutning")["body"] is None
    assert one("Godkendt.", heading="Beslutning")["date"] is None


def test_inline_and_no_decision():
    text = "2. Orientering om veje i Fjordby\nBeslutning: Taget til efterretning.\n3. Næste punkt\n"
    end = text.index("3. Næste")
    found = extract_decisions(text, {"start": 0, "end": end, "sections": []}, RULES)
    assert [(d["outcome"], d["text"]) for d in found] == [("taget_til_efterretning", "Taget til efterretning.")]
    assert extract_decisions(text, {"start": end, "end": len(text), "sections": []}, RULES) == []
    plain = "5. Status\nSagsfremstilling\nSagen godkendes måske senere.\n"
    assert extract_decisions(plain, {"start": 0, "end": len(plain), "sections": [
        {"name": "sagsfremstilling", "heading": "Sagsfremstilling", "start": 10, "end": len(plain)}]}, RULES) == []


def test_bad_input_and_rules():
    with pytest.raises(DecisionInputError):
        extract_decisions("kort", {"start": 0, "end": 99, "sections": []}, RULES)
    with pytest.raises(DecisionInputError):
        extract_decisions(None, {}, RULES)
    with pytest.raises(DecisionRulesError):
        DecisionRules.from_dict({"outcome": []})
    data = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    data["outcome"][0]["patterns"] = ["(unclosed"]
    with pytest.raises(DecisionRulesError):
        DecisionRules.from_dict(data)


def test_linear_enough():
    import time
    body = "Godkendt. For stemte: A, F og Ø (15). Imod stemte: V (3). Fraværende: Karen Bech. " * 400
    started = time.perf_counter()
    one(body)
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("phrase, outcome", [
    ("Godkendt og anbefalet.", "godkendt"),                      # equals: the first printed
    ("Taget til efterretning og oversendt til Byrådet.", "taget_til_efterretning"),
    ("Udvalget godkendte planen og anbefaler, at puljen fastholdes.", "godkendt"),
    ("Budgettet blev taget til efterretning og anbefales.", "anbefalet"),  # a stronger one wins
    ("Udvalget godkendte ikke forslaget.", "afvist"),            # same place: negation first
    ("Udvalget besluttede at sende sagen tilbage til forvaltningen.", "ikke_afgjort"),
    ("Udvalget besluttede, at sagen udsættes til næste møde.", "udsat"),
    ("Udvalget drøftede sagen og besluttede, at åbningstiden udvides.", "godkendt"),
    ("Indstillingen blev ikke fulgt. Udvalget gav tilladelse på vilkår.", "afvist"),
    ("Udvalget indstiller Birkely Børnehus som modtager af prisen.", "anbefalet"),
    ("Intet.\nReferatet er godkendt elektronisk af udvalgets medlemmer.", None),
])
def test_outcome_between_several_phrasings(phrase, outcome):
    assert one(phrase)["outcome"] == outcome


def test_amended_is_not_read_in_a_vote_or_an_absence():
    assert one("Anbefales.\nFor stemte: A og F.\nImod stemte: O, idet byggeriet findes for højt.")["amended"] is False
    assert one("Godkendt.\nKaren Bech (V) deltog ikke i behandlingen, idet hun er formand for foreningen.")["amended"] is False
    assert one("Bevilget som indstillet, dog får Nørre Boldklub 20.000 kr.")["amended"] is True
    assert one("Godkendt. Dog forhøjes tilskuddet til spejderne til 15.000 kr.")["amended"] is True
    assert one("Godkendt. Dog skal det bemærkes, at tidsplanen er stram.")["amended"] is False
    assert one("Godkendt med de på mødet foretagne redaktionelle ændringer.")["amended"] is True
    assert one("Sendes videre med undtagelse af forslaget om lukning af biblioteket.")["amended"] is True


def test_an_objection_to_part_of_a_decision_is_against_and_a_statement_is_not_a_vote():
    decision = one("Anbefales. Ole Sand (V) kunne ikke anbefale tillægsbevillingen til vejene.")
    assert side(decision, "against") == [("V", "Ole Sand", None)]
    quoted = one('Godkendt.\nFor stemte: A, F og Ø (15)\nUndlod at stemme: O (2)\n'
                 'O ønskede følgende tilført protokollen: "Vi kan ikke støtte, at skolen lukkes."')
    assert side(quoted, "against") == [] and [e["party"] for e in quoted["votes"]["abstain"]] == ["O"]
    assert quoted["dissent"][0]["party"] == "O"


def test_a_local_letter_beside_the_party_it_would_be_read_as_is_kept():
    # S is read as Socialdemokratiet (A) by the party table; printed beside A it is a local list
    decision = one("Forslaget blev ikke vedtaget.\nFor stemte: Ø og A (7)\nImod stemte: V, C og S (18)")
    assert [e["party"] for e in decision["votes"]["against"] if e["party"]] == ["V", "C", "S"]
    assert [e["party"] for e in decision["votes"]["for"] if e["party"]] == ["Ø", "A"]
    alone = one("Godkendt.\nImod stemte: S (2)")  # no A printed: S is Socialdemokratiet
    assert [e["party"] for e in alone["votes"]["against"] if e["party"]] == ["A"]


@pytest.mark.parametrize("heading, body", [
    ("Beslutning i Kultur- og Fritidsudvalget den 04-09-2018", "Kultur- og Fritidsudvalget"),
    ("Beslutning Teknik- og Miljøudvalget 18-04-2023", "Teknik- og Miljøudvalget"),
    ("Social- og Sundhedsudvalgets beslutning den 3. september 2013", "Social- og Sundhedsudvalget"),
    ("BESLUTNING KULTUR- OG TURISMEUDVALGET DEN 20-11-2012", "Kultur- og Turismeudvalget"),
    ("Beslutning i Økonomiudvalget - 12. marts 2024", "Økonomiudvalget"),
    ("Udvalgets beslutning", None),
])
def test_body_of_a_decision_heading(heading, body):
    from referat.structure import load_styles

    assert load_styles(CONFIG.parent / "structure.toml").section_name(heading) == "beslutning"
    assert one("Godkendt.", heading=heading)["body"] == body
