"""The shipped pipeline (models/referat_da) on short Danish texts, one per label and hard case."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import referat





def found(text: str) -> set[tuple[str, str]]:
    return {(e.text, e.label) for e in referat.analyse(text).entities}


def values(text: str) -> dict[str, object]:
    return {e.text: e.value for e in referat.analyse(text).entities}


HEADER = "Referat\nSocial- og Sundhedsudvalget\nMødedato: 4. marts 2024\n"


def test_members_parties_and_their_link():
    text = HEADER + "Medlemmer: Lars Vejle (V), Hanne Bjerre (A)\nAfbud: Søren Holm, Ø\n\n1. Godkendelse af dagsorden\nBeslutning\nGodkendt.\n"
    entities = referat.analyse(text).entities
    people = {e.text: e.value for e in entities if e.label == "PERSON"}
    # "Vejle" is also a town: beside a party letter it is a person's name
    assert people == {"Lars Vejle": "Venstre", "Hanne Bjerre": "Socialdemokratiet", "Søren Holm": "Enhedslisten"}
    assert [(e.text, e.value) for e in entities if e.label == "PARTY"] == [
        ("V", "Venstre"), ("A", "Socialdemokratiet"), ("Ø", "Enhedslisten")]


def test_case_worker_and_person_in_running_text():
    text = (HEADER + "\n1. Ny demensstrategi\nSagsnr.: 27.00.00-A00-1-19 Sagsbehandler: Mette Lund\n"
            "Sagsfremstilling\nProjektleder Jonas Friis fra Center for Sundhed og Omsorg fremlægger strategien.\n")
    result = found(text)
    assert ("Mette Lund", "PERSON") in result
    assert ("Jonas Friis", "PERSON") in result
    assert not any(label == "AMOUNT" for _, label in result)  # the case number is not money


def test_amounts_in_every_common_form_with_values():
    text = (HEADER + "\n2. Tillægsbevilling til hjemmeplejen\nØkonomi\nDer søges 1,4 mio. kr. i 2024 og kr. 250.000 i 2025. "
            "Rammen er 2.282.000,00 kr, mindreforbruget -8,6 mio. kr. og puljen 1.200 t.kr.\n")
    assert {k: v for k, v in values(text).items() if isinstance(v, int)} == {
        "1,4 mio. kr.": 1_400_000, "kr. 250.000": 250_000, "2.282.000,00 kr": 2_282_000,
        "-8,6 mio. kr.": -8_600_000, "1.200 t.kr.": 1_200_000}


def test_programme_in_quotes_and_without():
    text = (HEADER + "\n3. Status på beskæftigelsesindsatsen\nSagsfremstilling\nJobcentret deltager i projekt 'Ung i Job' "
            "og i projektet 3i1. Der er søgt midler fra Kulturpuljen.\n")
    result = found(text)
    assert {("Ung i Job", "PROGRAMME"), ("3i1", "PROGRAMME"), ("Kulturpuljen", "PROGRAMME")} <= result


def test_organisations_named_and_generic():
    text = (HEADER + "\n4. Orientering om klagesager\nSagsfremstilling\nAnkestyrelsen har behandlet sagen, og KL har udsendt "
            "en vejledning til Herning Kommunes sagsbehandlere. Byrådet og jobcentret orienteres.\n")
    result = found(text)
    assert {("Ankestyrelsen", "ORG"), ("KL", "ORG"), ("Herning Kommunes", "ORG")} <= result
    assert not {text for text, label in result if label == "ORG"} & {"Byrådet", "jobcentret"}


def test_party_code_at_the_end_of_a_line_and_in_a_vote():
    text = HEADER + "Deltagere:\nAnne Krogh, F\nBo Dam, C\n\n1. Takster 2025\nBeslutning\nFor stemte: F og C.\nImod stemte: Ø\n"
    parties = [e.text for e in referat.analyse(text).entities if e.label == "PARTY"]
    assert parties == ["F", "C", "F", "C", "Ø"]


def test_items_get_labels_with_probabilities():
    text = (HEADER + "\n1. Godkendelse af dagsorden\nBeslutning\nGodkendt.\n\n"
            "2. Budgetopfølgning pr. 31. marts 2024\nSagsfremstilling\nDer forventes et merforbrug på 2,1 mio. kr.\n"
            "Indstilling\nAt budgetopfølgningen tages til efterretning.\n\n"
            "3. Tillægsbevilling til vejvedligeholdelse\nIndstilling\nAt der gives en tillægsbevilling på 900.000 kr.\n\n"
            "4. Meddelelser\nBeslutning\nTaget til efterretning.\n")
    items = referat.analyse(text).items
    assert [item.label for item in items] == ["godkendelse", "budgetopfølgning", "bevilling", "orientering"]
    for item in items:
        assert set(item.scores) == {"orientering", "godkendelse", "bevilling", "budgetopfølgning"}
        assert item.scores[item.label] == max(item.scores.values())


def test_shipped_model_loads_in_a_fresh_process():
    code = ("import json, referat; a = referat.analyse(open(0, encoding='utf-8').read()); "
            "print(json.dumps({'model': a.model, 'labels': [i.label for i in a.items], "
            "'amounts': [e.value for e in a.entities if e.label == 'AMOUNT']}))")
    text = HEADER + "\n1. Tilskud til Roklubben\nIndstilling\nAt Roklubben bevilges 45.000 kr.\nBeslutning\nBevilget.\n"
    out = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parent)
    data = json.loads(out.stdout)
    assert data["model"]["name"] == "da_referat"
    assert data["labels"] == ["bevilling"]
    assert data["amounts"] == [45000]


def test_names_get_canonical_values_and_members_their_party():
    text = (HEADER + "Medlemmer: Lars Vejle (V), Hanne Bjerre (A)\n\n"
            "1. Samarbejde med Styrelsen for Arbejdsmarked og Rekruttering (STAR)\nSagsfremstilling\n"
            "STAR har godkendt planen, og Herning Kommunes jobcenter følger op. Hanne Bjerre foreslog en "
            "fælles status.\nBeslutning\nGodkendt.\n")
    entities = referat.analyse(text).entities
    named = {(e.text, e.value) for e in entities if e.label == "ORG"}
    long_form = "Styrelsen for Arbejdsmarked og Rekruttering"
    assert {(long_form, long_form), ("STAR", long_form), ("Herning Kommunes", "Herning Kommune")} <= named
    # named without a letter in the item: the member list gives the party
    assert [e.value for e in entities if e.text == "Hanne Bjerre"] == ["Socialdemokratiet", "Socialdemokratiet"]
