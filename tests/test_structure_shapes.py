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


DASH_NUMBERED = """Nørreby Kommune
Referat
Ældre- og Sundhedsudvalget
Mødedato: 14. maj 2024

{items}"""


def dash_item(number: int, title: str) -> str:
    return f"""{number} - {title}
Sagsnr.: 24/{400 + number}

Sagsfremstilling
Forvaltningen har undersøgt tre modeller:
1. Drift som i dag.
2. Udbud af opgaven.
3. Samarbejde med en nabokommune.

Indstilling
Forvaltningen indstiller,
1. at model 3 godkendes,
2. at sagen sendes videre.

Beslutning
1. Godkendt.

"""


def test_items_headed_with_a_dash_number_and_lists_in_every_body(styles, lexicon):
    """ "1 - Title" is no house-style row, and every body holds a list "1. ..., 2. ...": the
    numbered lists are not the agenda; the sections show the items, and the number before each
    title is its number."""
    titles = ["Godkendelse af dagsorden", "Madservice til hjemmeboende", "Rehabilitering efter udskrivning",
              "Tilsyn på plejecentrene 2023", "Kvalitetsstandard for rengøring", "Meddelelser"]
    text = DASH_NUMBERED.format(items="".join(dash_item(n, t) for n, t in enumerate(titles, start=1)))
    items = parse(text, styles, lexicon).items
    assert [(item.number, item.title) for item in items] == [(str(n), t) for n, t in enumerate(titles, start=1)]
    assert [item.case_number for item in items] == [f"24/{401 + n}" for n in range(len(titles))]
    assert all([s.name for s in item.sections] == ["sagsfremstilling", "indstilling", "beslutning"] for item in items)


def test_a_numbered_agenda_keeps_its_numbering_when_one_item_repeats_its_sections(styles, lexicon):
    """One item whose sections start over (a second Sagsfremstilling after its Beslutning) is not
    enough to throw away the numbered headings."""
    text = """Nørreby Kommune
Referat
Teknik- og Miljøudvalget
Mødedato: 2. april 2024

1. Godkendelse af dagsorden
Beslutning
Godkendt.

2. Vejbelysning i landsbyerne
Sagsfremstilling
Sagen var udsat fra sidste møde.
Beslutning
Udsat.
Supplerende sagsfremstilling
Der er kommet et nyt tilbud.
Supplerende oplysninger
Beslutning
Godkendt.

3. Eventuelt
Beslutning
Intet.
"""
    items = parse(text, styles, lexicon).items
    assert [(item.number, item.title) for item in items] == [
        ("1", "Godkendelse af dagsorden"), ("2", "Vejbelysning i landsbyerne"), ("3", "Eventuelt")]


def test_a_number_line_over_an_item_with_only_a_decision_opens_it(styles, lexicon):
    """ "Sag nr. 14" over "Eventuelt", whose only section is a Beslutning like the item before
    it: the number line shows the new item where the section order cannot."""
    text = """Vesterø Kommune
Referat
Kommunalbestyrelsen
Mødedato: 19. marts 2024

Sag nr. 12
Valg af nyt medlem til Ældrerådet
Sagsnr.: 24/810
Sagsfremstilling
Et medlem er fraflyttet kommunen.
Indstilling
Borgmesteren indstiller, at suppleanten indtræder.
Beslutning
Godkendt.

Sag nr. 13
Eventuelt
Beslutning
Der blev spurgt til vinterbadebroen ved stranden.

Sag nr. 14
Lukket: Køb af ejendom
Beslutning
Godkendt.
"""
    items = parse(text, styles, lexicon).items
    assert [(item.number, item.title, item.closed) for item in items] == [
        ("12", "Valg af nyt medlem til Ældrerådet", False), ("13", "Eventuelt", False), ("14", "Lukket: Køb af ejendom", True)]
    assert items[1].decision == "Der blev spurgt til vinterbadebroen ved stranden."


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


FLAT_MEETING = """Vestby Kommune
Teknik- og Miljøudvalget
Referat
Mødedato: 4. juni 2024
Medlemmer: Ida Kjær (A), Ole Brandt (V), Sanne Hviid (F)

1. Godkendelse af dagsorden
Beslutning
Godkendt.

2. Beslutning om nye takster for parkering
Sagsnr.: 24/1102
Sagsfremstilling
Forvaltningen har regnet på tre modeller for takster i midtbyen. Model B giver den bedste udnyttelse af pladserne.
Indstilling
Forvaltningen indstiller, at model B godkendes.
Beslutning
Godkendt. Ole Brandt (V) stemte imod.

3. Anlægsbevilling til cykelsti langs Åvej
Sagsnr.: 24/1187
Resumé
Cykelstien skal binde skolen sammen med boligområdet.
Økonomi
Anlægget koster 2,4 mio. kr. og finansieres af anlægspuljen.
Indstilling
Forvaltningen indstiller, at der gives en anlægsbevilling på 2,4 mio. kr.
Beslutning i Teknik- og Miljøudvalget den 04-06-2024
Anbefales.

4. Orientering om vintertjenesten
Sagsnr.: 24/0950
Sagsfremstilling
Vinteren kostede 3,1 mio. kr., hvilket er 0,4 mio. kr. under budget. Indstilling Forvaltningen indstiller, at orienteringen tages til efterretning.
Beslutning
Taget til efterretning.

5. Eventuelt
Beslutning
Intet.
"""
TITLES = ["Godkendelse af dagsorden", "Beslutning om nye takster for parkering",
          "Anlægsbevilling til cykelsti langs Åvej", "Orientering om vintertjenesten", "Eventuelt"]


def _flatten(text: str, per_item: bool) -> str:
    """The text as a PDF tool that loses line breaks gives it: one line per item, or one line
    per page of about 400 characters."""
    import re

    if per_item:
        blocks = re.split(r"\n(?=\d\. )", text)
        return "\n".join(" ".join(block.split()) for block in blocks)
    flat, pages = " ".join(text.split()), []
    while flat:
        cut = flat.find(" ", 400)
        cut = len(flat) if cut < 0 else cut
        pages.append(flat[:cut].strip())
        flat = flat[cut:]
    return "\n".join(pages)


def test_text_flattened_per_item_or_per_page_gives_the_items_and_their_sections(styles, lexicon):
    for per_item in (True, False):
        text = _flatten(FLAT_MEETING, per_item)
        assert text.count("\n") < 6
        items = parse(text, styles, lexicon).items
        assert [item.title for item in items] == TITLES, per_item
        assert [item.case_number for item in items] == [None, "24/1102", "24/1187", "24/0950", None]
        names = [[section.name for section in item.sections] for item in items]
        assert names[1] == ["sagsfremstilling", "indstilling", "beslutning"], per_item
        assert "økonomi" in names[2] and names[2][-1] == "beslutning"
        decision = items[1].section("beslutning")
        assert text[decision.start:decision.end].split(None, 1)[1].startswith("Godkendt.")


def test_ordinary_minutes_with_long_paragraphs_are_not_cut(styles, lexicon):
    # long prose lines that name sections in passing, with the headings on their own lines
    paragraph = ("Forvaltningen har gennemgået sagen, og Beslutning om takster træffes af byrådet. "
                 "Indstilling og Beslutning følger af den vedtagne plan, som Økonomi og personale har vurderet. ") * 4
    text = FLAT_MEETING.replace("Model B giver den bedste udnyttelse af pladserne.", paragraph)
    items = parse(text, styles, lexicon).items
    assert [item.title for item in items] == TITLES
    assert [s.name for s in items[1].sections] == ["sagsfremstilling", "indstilling", "beslutning"]
