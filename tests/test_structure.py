"""The structure parser on short minutes written in each house style it must read."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

from referat.structure import load_styles, parse

REPO = Path(__file__).resolve().parents[1]


def doc(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def titles(structure):
    return [item.title for item in structure.items]


def assert_starts_at_headings(text, structure, headings):
    """Each item starts exactly where its heading is printed in the body."""
    assert [text[item.start:item.start + len(h)] for item, h in zip(structure.items, headings)] == headings
    assert len(structure.items) == len(headings)


def test_number_twice_with_indented_sections_and_cookie_banner():
    text = doc("""
        Vi bruger cookies for at forbedre siden
        Accepter alle   Afvis
        Referat

        Deltagere:


        Hanne Riis, A
        Bo Kjeldsen, V
        Mette Frost Olsen, F

        Fraværende:
        Afbud: Bo Kjeldsen
         1.  1. Godkendelse af dagsordenen

          Resumé

          -

          Beslutning i Kultur- og Fritidsudvalget den 12-05-2021

          Godkendt.

         2.  2. Tilskud til Fjordens Roklub

          Sagsfremstilling

          Roklubben søger om tilskud til nyt bådhus.

          Indstilling

          At der gives tilskud.

          Beslutning i Kultur- og Fritidsudvalget den 12-05-2021

          Tiltrådt.
        """)
    result = parse(text)
    assert titles(result) == ["Godkendelse af dagsordenen", "Tilskud til Fjordens Roklub"]
    assert [item.number for item in result.items] == ["1", "2"]
    assert_starts_at_headings(text, result, ["1.  1. Godkendelse", "2.  2. Tilskud"])
    assert [s.name for s in result.items[1].sections] == ["sagsfremstilling", "indstilling", "beslutning"]
    assert result.items[1].decision == "Tiltrådt."
    meeting = result.meeting
    assert meeting.committee == "Kultur- og Fritidsudvalget"
    assert meeting.date == "2021-05-12"
    assert meeting.kind == "referat"
    assert [(m.name, m.party) for m in meeting.members] == [
        ("Hanne Riis", "A"), ("Bo Kjeldsen", "V"), ("Mette Frost Olsen", "F")]
    assert [m.name for m in meeting.absent] == ["Bo Kjeldsen"]


def test_code_dash_items_skip_table_of_contents_with_page_numbers():
    text = doc("""
        Solbjerg Kommune

        Teknik- og Miljøudvalget

        Dagsorden

        Dato: Tirsdag den 12. marts 2013

        Mødetidspunkt: 16:00

        Mødelokale: Lokale 2.14

        Medlemmer: Inge Lund (A), Per Holm (C), Sara Bech (B)

        Fraværende:

        Indholdsfortegnelse

        Punkter til dagsorden\tSide
        1. M - Meddelelser marts 2013\t2
        2. B - Vejplan for bymidten\t3

        1. M - Meddelelser marts 2013

        Sagstype: Åben

        Sagsnr.: 13/2001

        Sagsfremstilling

        Ingen meddelelser.

        2. B - Vejplan for bymidten

        Sagstype: Åben

        Sagsnr.: 12/5310

        Indstilling

        At vejplanen godkendes.
        """)
    result = parse(text)
    assert titles(result) == ["Meddelelser marts 2013", "Vejplan for bymidten"]
    assert result.items[0].start == text.index("1. M - Meddelelser marts 2013\n\nSagstype")
    assert [item.case_number for item in result.items] == ["13/2001", "12/5310"]
    meeting = result.meeting
    assert (meeting.municipality, meeting.committee, meeting.date, meeting.time, meeting.place, meeting.kind) == (
        "Solbjerg Kommune", "Teknik- og Miljøudvalget", "2013-03-12", "16:00", "Lokale 2.14", "dagsorden")
    assert [(m.name, m.party) for m in meeting.members] == [("Inge Lund", "A"), ("Per Holm", "C"), ("Sara Bech", "B")]


def test_sagsnr_line_opens_item_and_title_is_on_the_next_line():
    text = doc("""
        Dagsordener og referater

        Udvalg: Børne- og Ungeudvalget
        Mødedato: 22. august 2012
        Mødested: C3.40

        Sagsnr.: 00.01.00-A00-12-19 Sagsbehandler: Lone Vig

        Ny struktur for dagplejen

        DIR
        BUU
         x

        Sagsresume

        Dagplejen samles i tre distrikter.

        Beslutning

        Indstillingen blev tiltrådt.

        Sagsnr.: 28.09.00-P20-1-12 Sagsbehandler: Ib Madsen

        Nøgletal for skoleområdet

        Sagsfremstilling

        Nøgletallene fremlægges.
        """)
    result = parse(text)
    assert titles(result) == ["Ny struktur for dagplejen", "Nøgletal for skoleområdet"]
    assert [item.number for item in result.items] == [None, None]
    assert [item.case_number for item in result.items] == ["00.01.00-A00-12-19", "28.09.00-P20-1-12"]
    assert result.items[0].start == text.index("Sagsnr.: 00.01")
    assert result.meeting.committee == "Børne- og Ungeudvalget"
    assert result.meeting.date == "2012-08-22"
    assert result.meeting.place == "C3.40"
    assert result.meeting.kind == "referat"


@pytest.mark.parametrize("heading, number", [
    ("Punkt {n}: {t}", "Punkt {n}"),
    ("Pkt. {n} {t}", "Pkt. {n}"),
    ("Nr. {n} - {t}", "Nr. {n}"),
    ("• {n} {t}", "{n}"),
    ("{n}{t}", "{n}"),
])
def test_numbering_styles(heading, number):
    first, second = 57, 58
    lines = ["Referat", "", "Klima- og Miljøudvalget", ""]
    for n, title in ((first, "Godkendelse af dagsorden"), (second, "Status på klimaplanen")):
        lines += [heading.format(n=n, t=title), "", "Sagsfremstilling", "", "Tekst om sagen.", "",
                  "Beslutning", "", "Godkendt.", ""]
    text = "\n".join(lines)
    result = parse(text)
    assert titles(result) == ["Godkendelse af dagsorden", "Status på klimaplanen"]
    assert [item.number for item in result.items] == [number.format(n=first), number.format(n=second)]
    assert result.items[0].start == text.index(heading.format(n=first, t="Godkendelse")[:4])


def test_year_running_numbers_with_case_number_line_and_numbered_list_in_body():
    text = doc("""
        Referat
        Økonomiudvalget
        Mødedato 04.02.2020 kl. 15.00

        57. Godkendelse af dagsorden
        Sags nr.: 00.22.04-A00-1-20

        Beslutning
        Godkendt.

        58. Budgetproces 2021
        Sagsnr. 20/4123

        Sagsfremstilling
        Processen har tre faser:
        1. Drøftelse i fagudvalgene
        2. Budgetseminar
        3. Førstebehandling

        Indstilling
        At processen godkendes.

        59. Eventuelt

        Beslutning
        Intet.
        """)
    result = parse(text)
    assert [item.number for item in result.items] == ["57", "58", "59"]
    assert [item.case_number for item in result.items] == ["00.22.04-A00-1-20", "20/4123", None]
    assert result.meeting.date == "2020-02-04"
    assert result.meeting.time == "15:00"


def test_kind_code_after_title_is_dropped_from_title():
    text = doc("""
        Referat for Ældreudvalget
        Deltagere: Anna Krogh, Bent Vad
        1. Godkendelse af dagsorden (B)
        Beslutning
        Godkendt.
        2. Orientering om demensstrategien (O)
        Sagsfremstilling
        Strategien er i høring.
        """)
    result = parse(text)
    assert titles(result) == ["Godkendelse af dagsorden", "Orientering om demensstrategien"]
    assert [(m.name, m.party) for m in result.meeting.members] == [("Anna Krogh", None), ("Bent Vad", None)]
    assert result.meeting.committee == "Ældreudvalget"


def test_decision_heading_with_committee_and_date_gives_header_fields():
    text = doc("""
        1. Godkendelse af dagsorden

        Beslutning i Social- og Sundhedsudvalget den 14-03-2022

        Godkendt.

        2. Takster for madservice 2023

        Beslutning i Social- og Sundhedsudvalget den 14-03-2022

        Anbefales.

        Beslutning i Økonomiudvalget den 21-03-2022

        Anbefales over for byrådet.
        """)
    result = parse(text)
    assert result.meeting.committee == "Social- og Sundhedsudvalget"
    assert result.meeting.date == "2022-03-14"
    assert result.items[1].decision == "Anbefales over for byrådet."
    assert [s.name for s in result.items[1].sections] == ["beslutning", "beslutning"]


def test_title_printed_twice_is_one_item():
    text = doc("""
        Nr. 60 - Salg af grund i Vestby
        Sag nr. 24
        Nr. 60 - Salg af grund i Vestby
        Sagsfremstilling: Grunden udbydes.
        Beslutning: Godkendt.
        Nr. 61 - Eventuelt
        Beslutning: Intet.
        """)
    result = parse(text)
    assert titles(result) == ["Salg af grund i Vestby", "Eventuelt"]
    assert result.items[0].case_number == "24"
    assert result.items[0].decision == "Godkendt."


def test_indstilling_before_sagsfremstilling_and_other_section_names():
    text = doc("""
        3. Lokalplan for Havnefronten

        Sagens kerne
        Byrådet skal tage stilling til lokalplanen.

        Forvaltningen foreslår
        at lokalplanen vedtages endeligt.

        Sagsfremstilling
        Planen giver mulighed for boliger.

        Beslutningstema
        Endelig vedtagelse.

        INDSTILLING OG BESLUTNING
        Vedtaget.

        4. Meddelelser
        Ingen.
        """)
    result = parse(text)
    names = [s.name for s in result.items[0].sections]
    assert names == ["resumé", "indstilling", "sagsfremstilling", "resumé", "beslutning"]
    assert result.items[0].decision == "Vedtaget."


@pytest.mark.parametrize("line, iso, clock", [
    ("Mødedato: 23.08.2017", "2017-08-23", None),
    ("Mødedato: 15-maj-2002", "2002-05-15", None),
    ("Tidspunkt: Tirsdag, 20 august, 2019 - 13:30", "2019-08-20", "13:30"),
    ("Afholdt den 7. marts 2019 kl. 16.00", "2019-03-07", "16:00"),
    ("Dato: 2024-11-05", "2024-11-05", None),
])
def test_header_dates(line, iso, clock):
    text = f"Referat\nPlanudvalget\n{line}\n\n1. Godkendelse af dagsorden\nBeslutning\nGodkendt.\n"
    meeting = parse(text).meeting
    assert meeting.date == iso
    assert meeting.time == clock


def test_absence_recorded_in_first_decision():
    text = doc("""
        Referat
        Kommunalbestyrelsen
        Medlemmer:
        Jens Bak (V)
        Lise Hald (A)

        Punkt 1. Godkendelse af dagsorden
        Beslutning
        Godkendt.
        Fraværende: Lise Hald (A)

        Punkt 2. Salg af skolen
        Beslutning
        Godkendt. Jens Bak (V) deltog ikke.
        """)
    meeting = parse(text).meeting
    assert [m.name for m in meeting.absent] == ["Lise Hald"]
    assert [m.party for m in meeting.members] == ["V", "A"]


def test_web_page_furniture_inside_items_does_not_break_them():
    text = doc("""
        Forside
        Politik og demokrati
        Søg
        Referat – Kulturudvalget – 12-05-2021

        Punkt 3. Kunstpris 2021
        Sagsfremstilling
        Prisen uddeles i juni.
        Side 3 af 14
        Udskrevet: 12-05-2021 14:02
        Beslutning
        Godkendt.

        Punkt 4. Eventuelt
        Beslutning
        Intet.
        Side 4 af 14
        """)
    result = parse(text)
    assert titles(result) == ["Kunstpris 2021", "Eventuelt"]
    assert result.items[-1].end == len(text)


def test_closed_items_are_marked():
    text = doc("""
        1. (Åben) Godkendelse af dagsorden
        Beslutning
        Godkendt.
        2. (Lukket) Køb af ejendom
        Beslutning
        Godkendt.
        3. Personalesag
        Lukket punkt
        Beslutning
        Godkendt.
        """)
    result = parse(text)
    assert titles(result) == ["Godkendelse af dagsorden", "Køb af ejendom", "Personalesag"]
    assert [item.closed for item in result.items] == [False, True, True]


@pytest.mark.parametrize("text", [
    "Dette er en indkøbsseddel: mælk, brød og ost.",
    "Kære Anne\n\nTak for sidst. Vi ses på fredag.\n\nHilsen Bo",
    "1. Mel\n2. Sukker\n",
    "x" * 50_000,
])
def test_text_that_is_not_minutes_gives_no_items(text):
    assert parse(text).items == []


def test_items_cover_the_text_from_first_heading_to_end():
    text = "Referat\n\n1. Godkendelse af dagsorden\nBeslutning\nGodkendt.\n2. Eventuelt\nBeslutning\nIntet.\n"
    items = parse(text).items
    assert items[0].end == items[1].start
    assert items[1].end == len(text)


def test_long_lines_parse_in_linear_time():
    line = "1. " + "A" * 200_000 + "\n"
    started = time.perf_counter()
    parse(line * 5 + "2.3.4.5." * 50_000)
    assert time.perf_counter() - started < 5


def test_shipped_style_table_is_the_configs_one():
    # the runtime reads the table the shipped pipeline carries, built from configs/structure.toml
    import json
    import tomllib

    from referat.resources import shipped_model_path

    carried = json.loads((shipped_model_path() / "referat_structure" / "styles.json").read_text(encoding="utf-8"))
    assert carried == tomllib.loads((REPO / "configs" / "structure.toml").read_text(encoding="utf-8"))
    assert load_styles(REPO / "configs" / "structure.toml").section_name("Beslutning i Byrådet den 1-2-2020") == "beslutning"


@pytest.mark.parametrize("first, second, numbers", [
    ("Sag 12: Godkendelse af dagsorden", "Sag 13: Salg af byggegrunde", ["Sag 12", "Sag 13"]),
    ("Punkt nr. 3 Godkendelse af dagsorden", "Punkt nr. 4 Salg af byggegrunde", ["Punkt nr. 3", "Punkt nr. 4"]),
    ("Dagsordenspunkt 5: Godkendelse af dagsorden", "Dagsordenspunkt 6: Salg af byggegrunde",
     ["Dagsordenspunkt 5", "Dagsordenspunkt 6"]),
    ("1 Godkendelse af dagsorden", "2 Salg af byggegrunde", ["1", "2"]),
])
def test_more_numbering_styles(first, second, numbers):
    text = f"Referat\nØkonomiudvalget\n\n{first}\nBeslutning\nGodkendt.\n\n{second}\nIndstilling\nAt grundene sælges.\nBeslutning\nGodkendt.\n"
    result = parse(text)
    assert [item.number for item in result.items] == numbers
    assert [item.title for item in result.items] == ["Godkendelse af dagsorden", "Salg af byggegrunde"]


def test_number_space_style_does_not_take_numbered_table_rows():
    text = ("Referat\nØkonomiudvalget\n\n1. Budgetopfølgning\nSagsfremstilling\nTabellen viser:\n"
            "1 Administration 200\n2 Skoler 300\nBeslutning\nGodkendt.\n\n2. Eventuelt\nBeslutning\nIntet.\n")
    assert [item.title for item in parse(text).items] == ["Budgetopfølgning", "Eventuelt"]


@pytest.mark.parametrize("heading", ["Punkt {n}\n{t}", "{n}.\n\n{t}", "{n} (Åben) {t}"])
def test_number_and_title_on_separate_lines_or_with_status(heading):
    lines = ["Referat", "Planudvalget", ""]
    for n, title in ((1, "Godkendelse af dagsorden"), (2, "Lokalplan for Havnen")):
        lines += [heading.format(n=n, t=title), "Sagsfremstilling", "Tekst.", "Beslutning", "Godkendt.", ""]
    text = "\n".join(lines)
    result = parse(text)
    assert [item.title for item in result.items] == ["Godkendelse af dagsorden", "Lokalplan for Havnen"]
    assert result.items[0].start == text.index(heading.format(n=1, t="G")[:3])


def test_page_numbers_alone_on_lines_are_not_items():
    text = ("Referat\nPlanudvalget\n\n1. Godkendelse af dagsorden\nBeslutning\nGodkendt.\n2\n\n"
            "2. Lokalplan for Havnen\nSagsfremstilling\nTekst.\n3\nBeslutning\nGodkendt.\n4\n")
    assert [item.title for item in parse(text).items] == ["Godkendelse af dagsorden", "Lokalplan for Havnen"]


def test_members_with_the_party_written_out():
    text = doc("""
        Referat
        Kultur- og Fritidsudvalget
        Medlemmer:
        Jens Holm, Venstre
        Lise Bak (Socialdemokratiet)
        Ole Dam, formand

        1. Godkendelse af dagsorden
        Beslutning
        Godkendt.
        """)
    members = [(m.name, m.party, m.party_name) for m in parse(text).meeting.members]
    assert members == [("Jens Holm", "V", "Venstre"), ("Lise Bak", "A", "Socialdemokratiet"), ("Ole Dam", None, None)]


def test_members_with_a_role_between_name_and_party_and_absent_joined_by_og():
    text = doc("""
        Referat
        Social- og Omsorgsudvalget
        Medlemmer:
        Tove Kragh, formand (A)
        Mikkel Aas, 1. viceborgmester (V)
        Rita Bonde (O)
        Afbud: Rita Bonde (O) og Mikkel Aas (V)

        1. Godkendelse af dagsorden
        Beslutning
        Godkendt.
        """)
    meeting = parse(text).meeting
    assert [(m.name, m.party) for m in meeting.members] == [("Tove Kragh", "A"), ("Mikkel Aas", "V"), ("Rita Bonde", "O")]
    assert [(m.name, m.party) for m in meeting.absent] == [("Rita Bonde", "O"), ("Mikkel Aas", "V")]
