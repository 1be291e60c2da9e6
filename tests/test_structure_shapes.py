"""Item finding on shapes of real minutes that no house-style row describes: a page holding one
item, headings without numbers or with a committee tag or kind code, numbered lists in bodies,
and several meetings in one file."""

from __future__ import annotations

import referat
from referat.structure import parse, split_meetings

SINGLE_ITEM_PAGE = """Forside › Politik › Dagsordener › Miljøudvalget
Tilbage til dagsorden
Print

Nordby Kommune
Miljøudvalget
Referat - 9. april 2024 kl. 16:00

Udskiftning af gadebelysning på Havnevej
Sag nr. 12 (MU 4/2024)
Sagsnr.: 24/3310
Sagsansvarlig: Karen Holt
Åben sag

Resumé
Belysningen på Havnevej er over 40 år gammel og skal skiftes.

Sagsfremstilling
Der er tre muligheder:
1. Udskiftning til LED-armaturer på de eksisterende master.
2. Nye master og armaturer på hele strækningen.
3. Udskiftning i etaper over tre år.

Indstilling
Forvaltningen indstiller, at mulighed 1 godkendes.

Beslutning
Godkendt.
"""

AGENDA_WITHOUT_NUMBERS = """Sydby Kommune
Dagsorden
Socialudvalget
Mødedato: 2. maj 2023

SU - Godkendelse af dagsorden (Åben)
Sagsnr.: 23/100

Indstilling
At dagsordenen godkendes.

Temadrøftelse - Fremtidens botilbud (D)
Sagsnr.: 23/101

Sagsfremstilling
Udvalget drøfter behovet for botilbud frem mod 2030.

Indstilling
1. at udvalget drøfter behovet,
2. at forvaltningen udarbejder et oplæg.

SU - Klage over afgørelse (Lukket)
Sagsnr.: 23/102

SU - Eventuelt (Åben)
Sagsnr.: 23/103
"""


def test_a_page_that_holds_one_item(styles, lexicon):
    structure = parse(SINGLE_ITEM_PAGE, styles, lexicon)
    assert [(item.title, item.number, item.case_number) for item in structure.items] == [
        ("Udskiftning af gadebelysning på Havnevej", "12", "24/3310")]
    item = structure.items[0]
    assert [section.name for section in item.sections] == ["resumé", "sagsfremstilling", "indstilling", "beslutning"]
    assert item.decision == "Godkendt."
    assert structure.meeting.committee == "Miljøudvalget"


def test_headings_without_numbers_with_tags_and_codes(styles, lexicon):
    items = parse(AGENDA_WITHOUT_NUMBERS, styles, lexicon).items
    assert [item.title for item in items] == [
        "Godkendelse af dagsorden", "Fremtidens botilbud", "Klage over afgørelse", "Eventuelt"]
    assert [item.closed for item in items] == [False, False, True, False]
    assert [item.case_number for item in items] == ["23/100", "23/101", "23/102", "23/103"]


def test_numbered_indstilling_points_are_not_items(styles, lexicon):
    text = """Vestby Kommune
Referat
Økonomiudvalget
Mødedato: 3. juni 2024

1. Godkendelse af dagsorden
Beslutning
Godkendt.

2. Anlægsbevilling til ny daginstitution
Sagsfremstilling
Byrådet har afsat midler i budget 2024.
Indstilling
Direktionen indstiller,
1. at der gives en anlægsbevilling på 12 mio. kr.,
2. at rådighedsbeløbet frigives.
Beslutning
Anbefales.

3. Eventuelt
Beslutning
Intet.
"""
    assert [item.number for item in parse(text, styles, lexicon).items] == ["1", "2", "3"]


def meeting(date: str, first: str, second: str) -> str:
    return f"""Østby Kommune
Referat
Kulturudvalget
Mødedato: {date}
Mødested: Rådhuset
Medlemmer: Anne Dal (A), Bent Krog (V)

1. {first}
Sagsfremstilling
Sagen forelægges udvalget.
Beslutning
Godkendt.

2. {second}
Sagsfremstilling
Udvalget orienteres.
Beslutning
Taget til efterretning.

"""


def test_several_meetings_in_one_file_are_split(styles, lexicon):
    text = meeting("3. marts 2024", "Godkendelse af dagsorden", "Status på biblioteket") + \
        meeting("7. april 2024", "Godkendelse af dagsorden", "Tilskud til foreninger")
    ranges = split_meetings(text, styles, lexicon)
    assert len(ranges) == 2
    assert text[ranges[1][0]:].startswith("Østby Kommune")
    analyses = referat.analyse_all(text)
    assert [a.meeting.date for a in analyses] == ["2024-03-03", "2024-04-07"]
    assert [[item.title for item in a.items] for a in analyses] == [
        ["Godkendelse af dagsorden", "Status på biblioteket"], ["Godkendelse af dagsorden", "Tilskud til foreninger"]]
    second = analyses[1].items[1]
    assert text[second.start:].startswith("2. Tilskud til foreninger")
    first = referat.analyse(text)
    assert first.meeting.date == "2024-03-03" and any("2 meetings" in w for w in first.warnings)


def test_one_meeting_is_one_range(styles, lexicon):
    text = meeting("3. marts 2024", "Godkendelse af dagsorden", "Status på biblioteket")
    assert split_meetings(text, styles, lexicon) == [(0, len(text))]
