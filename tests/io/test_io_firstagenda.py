"""referat.io.firstagenda: text rendered from the JSON, items and meeting exactly as stated."""

import json

import pytest

from referat.errors import BrokenFileError
from referat.io import read
from referat.structure import parse


def _item(number, caption, case, html, sorting, key_style="en"):
    if key_style == "en":
        return {"Number": number, "Caption": caption, "CaseNumber": case, "IsOpen": False, "Sorting": sorting,
                "Felter": [{"Navn": "", "Html": html}]}
    return {"Punktnummer": number, "Navn": caption, "SagsNummer": case, "Sorting": sorting,
            "Felter": [{"Navn": "", "Html": html}]}


MEETING = {
    "Udvalg": {"Navn": "Kultur- og Fritidsudvalget"},
    "Moede": {"Dato": "2025-05-20T16:30:00+02:00", "Sted": "Rådhuset, mødelokale 2", "Navn": "Dagsorden",
              "Moededeltagere": [
                  {"Name": "Anne Holm", "Absent": False, "ParticipationCancelled": False, "Party": "A"},
                  {"Name": "Jens Mølgaard", "Absent": True, "ParticipationCancelled": False},
                  {"Name": "Sofie Berg", "Absent": False, "ParticipationCancelled": True},
                  {"Name": "Ole Strand", "Absent": False, "ParticipationCancelled": False}]},
    "Dagsordenpunkter": [
        _item("2", "Tilskud til foreningshuset", "25-004455",
              "<div><h3>Beslutning</h3><span><div>Bevilget.</div><div>Fraværende: Jens Mølgaard</div></span>"
              "<h3>Fremstilling</h3><span><h3> <div> </div> </h3><h4>Resume</h4><div>Foreningen søger 50.000 kr.</div>"
              "<h4><div><b>I</b><span>ndstilling</span></div></h4><div><i>Forvaltningen indstiller, at der bevilges.</i></div>"
              "<h4>Sagsbeskrivelse</h4><ul><li>Huset er fra 1950.</li><li>Taget er utæt.</li></ul>"
              "<h4>Høringssvar fra borgerne</h4><p>Ingen.</p></span></div>", 2, key_style="da"),
        _item("1", "Godkendelse af dagsorden", "25-000001",
              "<div><h3>Beslutning</h3><span>Godkendt.</span></div>", 1),
        _item("3", "Lukket: Salg af grund ", None, "<div><h3>Beslutning</h3><div>Godkendt.</div></div>", 3),
    ],
}


@pytest.fixture(scope="module")
def document():
    return read(json.dumps(MEETING, ensure_ascii=False).encode("utf-8"), "kultur.json")


def test_meeting_from_moede_and_udvalg(document):
    meeting = document.meeting
    assert document.format == "firstagenda"
    assert meeting["committee"] == "Kultur- og Fritidsudvalget"
    assert (meeting["date"], meeting["time"], meeting["place"]) == ("2025-05-20", "16:30", "Rådhuset, mødelokale 2")
    assert meeting["municipality"] is None        # not stated, never guessed
    assert meeting["kind"] == "referat"           # decisions are filled in
    assert [m["name"] for m in meeting["members"]] == ["Anne Holm", "Jens Mølgaard", "Sofie Berg", "Ole Strand"]
    assert [m["party"] for m in meeting["members"]] == ["A", None, None, None]
    assert [m["name"] for m in meeting["absent"]] == ["Jens Mølgaard", "Sofie Berg"]


def test_items_exactly_from_the_json_in_sorting_order(document):
    items = document.items
    assert [(i["number"], i["title"], i["case_number"], i["closed"]) for i in items] == [
        ("1", "Godkendelse af dagsorden", "25-000001", False),
        ("2", "Tilskud til foreningshuset", "25-004455", False),
        ("3", "Lukket: Salg af grund", None, True),
    ]
    text = document.text
    for item in items:
        assert text[item["start"]:].startswith(f"{item['number']}. {item['title']}\n")
    assert items[0]["end"] <= items[1]["start"] and items[-1]["end"] <= len(text)


def test_sections_with_canonical_names_and_offsets(document):
    item = document.items[1]
    assert [(s["name"], s["heading"]) for s in item["sections"]] == [
        ("beslutning", "Beslutning"), ("andet", "Fremstilling"), ("resumé", "Resume"), ("indstilling", "Indstilling"),
        ("sagsfremstilling", "Sagsbeskrivelse"), ("andet", "Høringssvar fra borgerne")]
    text = document.text
    for section in item["sections"]:
        assert text[section["start"]:].startswith(section["heading"] + "\n")
        assert item["start"] < section["start"] < section["end"] <= item["end"]
    description = item["sections"][4]
    assert text[description["start"]:description["end"]] == "Sagsbeskrivelse\nHuset er fra 1950.\nTaget er utæt.\n"
    assert item["decision"] == "Bevilget.\nFraværende: Jens Mølgaard"
    assert document.items[0]["decision"] == "Godkendt."


def test_header_lines_and_structure_parser_agree(document):
    lines = document.text.split("\n")
    assert lines[:3] == ["Kultur- og Fritidsudvalget", "Referat", "Mødedato: 20.05.2025"]
    assert "Fraværende: Jens Mølgaard, Sofie Berg" in lines
    assert "Deltagere: Anne Holm, Ole Strand" in lines
    parsed = parse(document.text)
    assert [(i.number, i.title) for i in parsed.items] == [("1", "Godkendelse af dagsorden"),
                                                           ("2", "Tilskud til foreningshuset"),
                                                           ("3", "Lukket: Salg af grund")]


def test_agenda_without_decisions_and_bad_json():
    agenda = dict(MEETING, Dagsordenpunkter=[_item("1", "Godkendelse af dagsorden", None, "<h4>Indstilling</h4><p>At godkende.</p>", 1)])
    document = read(json.dumps(agenda).encode(), "a.json")
    assert document.meeting["kind"] == "dagsorden" and document.items[0]["decision"] is None
    with pytest.raises(BrokenFileError, match="meetings"):
        read(json.dumps([MEETING, MEETING]).encode(), "two.json", format="firstagenda")
    with pytest.raises(BrokenFileError, match="not valid JSON"):
        read(b"{ not json", "x.json", format="firstagenda")
