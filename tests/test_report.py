"""The HTML report (`referat.report.html`, `svg`) and the terminal summary (`summary`).

Records are composed here, by hand, with their text: invented municipalities and people."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser

import pytest

from referat.errors import ReferatError
from referat.report import ReportError, print_summary, render_case, render_meeting, render_report, summary_rows
from referat.report import svg
from referat.report.record import format_kroner, votes_text


# ------------------------------------------------------------------ composed minutes

class Builder:
    """Builds a text and the offsets of its pieces, so records match their text exactly."""

    def __init__(self):
        self.text = ""
        self.entities = []

    def add(self, piece: str, label: str | None = None, value=None) -> tuple[int, int]:
        start = len(self.text)
        self.text += piece
        if label:
            self.entities.append({"label": label, "text": piece, "start": start, "end": len(self.text),
                                  "value": value, "item": None})
        return start, len(self.text)


def compose() -> tuple[dict, str]:
    b = Builder()
    b.add("Fjordby Kommune", "ORG")
    b.add("\nBørne- & Kulturudvalget\nReferat\nMødedato: 5. februar 2025 kl. 17.00\nMedlemmer: ")
    b.add("Anne Holm", "PERSON", "Socialdemokratiet")
    b.add(" (")
    b.add("A", "PARTY", "Socialdemokratiet")
    b.add("), ")
    b.add("Jens Krog", "PERSON", "Venstre")
    b.add(" (")
    b.add("V", "PARTY", "Venstre")
    b.add(")\nAfbud: Lise Dal\n\n")
    items = []

    start = len(b.text)
    b.add("1. Godkendelse af dagsorden\n")
    s1 = b.add("Beslutning")
    b.add("\nGodkendt.\n\n")
    items.append({"number": "1", "title": "Godkendelse af dagsorden", "start": start, "end": len(b.text),
                  "case_number": None, "closed": False,
                  "sections": [{"name": "beslutning", "heading": "Beslutning", "start": s1[0], "end": len(b.text)}],
                  "label": "godkendelse", "scores": {"godkendelse": 0.91, "orientering": 0.09},
                  "decision": "Godkendt."})

    start = len(b.text)
    title = 'Tilskud til "Sommer i Fjordby" <script>alert(1)</script> & mere'
    b.add(f"2. {title}\nSagsnr.: 25/0042\n")
    s_sag = b.add("Sagsfremstilling")
    b.add("\nForeningen ")
    b.add("Fjordby Idrætsråd", "ORG", "Fjordby Idrætsråd")
    b.add(" søger om ")
    b.add("250.000 kr.", "AMOUNT", 250000)
    b.add(' fra puljen ')
    b.add("Aktiv Fritid", "PROGRAMME")
    b.add(". Se https://fjordby.example/pulje og 2 < 3 & 'citat'.\n")
    s_ind = b.add("Indstilling")
    b.add("\nAt der bevilges ")
    b.add("1,4 mio. kr.", "AMOUNT", 1400000)
    b.add(" til ")
    b.add("Anne Holm", "PERSON", "Socialdemokratiet")
    b.add("s projekt.\n")
    s_bes = b.add("Beslutning i ")
    b.add("Børne- og Kulturudvalget", "ORG", "Børne- og Kulturudvalget")
    b.add(" den 5. februar 2025\nAnbefales. ")
    b.add("V", "PARTY", "Venstre")
    b.add(" stemte imod.\n\n")
    end2 = len(b.text)
    items.append({"number": "2", "title": title, "start": start, "end": end2, "case_number": "25/0042",
                  "closed": False, "page": 2,
                  "sections": [{"name": "sagsfremstilling", "heading": "Sagsfremstilling", "start": s_sag[0],
                                "end": s_ind[0]},
                               {"name": "indstilling", "heading": "Indstilling", "start": s_ind[0], "end": s_bes[0]},
                               {"name": "beslutning", "heading": "Beslutning i Børne- og Kulturudvalget den 5. februar 2025",
                                "start": s_bes[0], "end": end2}],
                  "label": "bevilling",
                  "scores": {"bevilling": 0.8, "godkendelse": 0.1, "orientering": 0.05, "budgetopfølgning": 0.05},
                  "decision": "Anbefales. V stemte imod.",
                  "decisions": [{"body": "Børne- og Kulturudvalget", "date": "2025-02-05", "text": "Anbefales.",
                                 "outcome": "anbefalet", "amended": False,
                                 "votes": {"for": [{"party": "A", "party_name": "Socialdemokratiet", "name": None,
                                                    "count": 5}],
                                           "against": [{"party": "V", "party_name": "Venstre", "name": None,
                                                        "count": None}],
                                           "abstain": []},
                                 "dissent": [{"party": "V", "party_name": "Venstre", "name": None,
                                              "text": "V kan ikke støtte <forslaget>."}],
                                 "absent": [{"name": "Lise Dal", "party": None}]}]})

    start = len(b.text)
    b.add("3. Orientering om budget\n")
    s3 = b.add("Sagsfremstilling")
    b.add("\nForvaltningen orienterer.\n")
    items.append({"number": "3", "title": "Orientering om budget", "start": start, "end": len(b.text),
                  "case_number": None, "closed": True, "sections": [
                      {"name": "sagsfremstilling", "heading": "Sagsfremstilling", "start": s3[0], "end": len(b.text)}],
                  "label": "orientering", "scores": {"orientering": 0.7, "godkendelse": 0.3}, "decision": None})

    for entity in b.entities:
        for position, item in enumerate(items, start=1):
            if item["start"] <= entity["start"] < item["end"]:
                entity["item"] = position
    record = {"file": "fjordby/2025-02-05.pdf", "format": "pdf", "meeting_index": 0,
              "meeting": {"municipality": "Fjordby Kommune", "committee": "Børne- & Kulturudvalget",
                          "date": "2025-02-05", "time": "17:00", "place": "Rådhuset <sal 2>", "kind": "referat",
                          "members": [{"name": "Anne Holm", "party": "A", "party_name": "Socialdemokratiet"},
                                      {"name": "Jens Krog", "party": "V", "party_name": "Venstre"},
                                      {"name": "Bo Ravn", "party": "A", "party_name": "Socialdemokratiet"}],
                          "absent": [{"name": "Lise Dal", "party": None, "party_name": None}]},
              "items": items, "entities": b.entities, "warnings": ["en <advarsel> & mere"],
              "model": {"name": "da_referat", "version": "0.2.0"}}
    return record, b.text


# ------------------------------------------------------------------ helpers

class Marks(HTMLParser):
    """Collects each <mark class="ent ..."> with its title and text, and checks tags balance."""

    VOID = {"meta", "br", "hr", "img", "input", "link", "rect", "col", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.marks, self.stack, self.open_marks, self.attrs, self.text = [], [], [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.attrs.append((tag, attrs))
        if tag in self.VOID:
            return
        self.stack.append(tag)
        if tag == "mark" and "ent" in (attrs.get("class") or "").split():
            self.open_marks.append([attrs, ""])

    def handle_startendtag(self, tag, attrs):
        self.attrs.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()
        if tag == "mark" and self.open_marks and len(self.open_marks) + self.stack.count("mark") >= 1:
            attrs, text = self.open_marks.pop()
            self.marks.append((attrs, text))

    def handle_data(self, data):
        self.text.append(data)
        for mark in self.open_marks:
            mark[1] += data


def parse(page: str) -> Marks:
    parser = Marks()
    parser.feed(page)
    parser.close()
    assert parser.stack == [], f"unclosed tags: {parser.stack}"
    return parser


def strict_parse(page: str, fragment: bool = False):
    try:
        import html5lib
    except ImportError:
        parse(page)
        return
    parser = html5lib.HTMLParser(strict=True)
    (parser.parseFragment if fragment else parser.parse)(page)


def item_marks(marks):
    """Marks in the text blocks (not the legend, which carries no title)."""
    return [(attrs, text) for attrs, text in marks if "title" in attrs]


# ------------------------------------------------------------------ the page

def test_every_title_and_label_is_on_the_page():
    record, text = compose()
    page = render_report([(record, text)], title="Fjordby")
    shown = "".join(parse(page).text)
    for item in record["items"]:
        assert item["title"] in shown
        assert item["label"] in shown
    assert "Socialdemokratiet (A): Anne Holm, Bo Ravn" in shown
    assert "Lise Dal" in shown and "Rådhuset <sal 2>" in shown


def test_exactly_one_mark_per_entity_with_label_and_value():
    record, text = compose()
    marks = item_marks(parse(render_meeting(record, text)).marks)
    assert len(marks) == len(record["entities"])
    for (attrs, shown), entity in zip(marks, sorted(record["entities"], key=lambda e: e["start"])):
        assert shown == entity["text"]
        assert f"ent-{entity['label']}" in attrs["class"].split()
        assert attrs["title"].startswith(entity["label"])
    titles = {attrs["title"] for attrs, _ in marks}
    assert "AMOUNT: 1.400.000 kr." in titles and "ORG: Fjordby Idrætsråd" in titles and "PROGRAMME" in titles


def test_legend_has_one_colour_per_label():
    record, text = compose()
    page = render_report([(record, text)])
    legend = re.search(r'<p class="legend">(.*?)</p>', page).group(1)
    labels = re.findall(r'class="ent ent-(\w+)"', legend)
    assert sorted(labels) == sorted({e["label"] for e in record["entities"]})
    for label in labels:
        assert re.search(rf"mark\.ent-{label}\{{background:#[0-9a-f]{{6}}\}}", page)


def test_section_headings_are_marked_and_entities_inside_them_stay_whole():
    record, text = compose()
    page = render_meeting(record, text)
    assert '<span class="section" data-section="indstilling">Indstilling</span>' in page
    assert '<span class="section" data-section="sagsfremstilling">Sagsfremstilling</span>' in page
    heading = re.search(r'<span class="section" data-section="beslutning">Beslutning i (.*?)</span>\s', page)
    assert heading and 'ent-ORG' in heading.group(1) and "den 5. februar 2025" in heading.group(1)


def test_page_is_valid_html5_and_fragment_is_valid():
    record, text = compose()
    strict_parse(render_report([(record, text), (record, None)], title="To møder"))
    strict_parse(render_meeting(record, text), fragment=True)
    strict_parse(render_case([{"date": "2025-01-01", "title": "a < b"}], case_number="25/1"))
    parse(render_report([(record, text)]))


def test_page_is_self_contained():
    record, text = compose()
    page = render_report([(record, text)])
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="da">' in page and '<meta charset="utf-8">' in page and 'name="viewport"' in page
    for tag, attrs in parse(page).attrs:
        for key in ("src", "href", "xlink:href", "action", "poster", "data"):
            assert not attrs.get(key) or attrs[key].startswith("#"), (tag, key, attrs[key])
        assert tag not in ("script", "link", "img", "iframe", "object", "embed")
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert "@import" not in style and "url(" not in style and "http" not in style
    assert not re.search(r"""(src|href)\s*=\s*["']?https?://""", page)
    assert "@media print" in style and "break-before:page" in style and "overflow-x:auto" in style


def test_text_is_escaped():
    record, text = compose()
    page = render_report([(record, text)])
    assert "<script>" not in page and "<forslaget>" not in page and "<advarsel>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;sal 2&gt;" in page and "2 &lt; 3 &amp;" in page
    assert "Børne- &amp; Kulturudvalget" in page and "Rådhuset" in page


def test_item_table_has_number_label_bar_votes_case_and_danish_amounts():
    record, text = compose()
    page = render_meeting(record, text)
    table = re.search(r"<table>(.*?)</table>", page, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    assert len(rows) == 3
    assert "1.650.000 kr." in rows[1]                      # 250.000 + 1.400.000 in item 2
    assert "25/0042" in rows[1] and "anbefalet" in rows[1] and "for: A 5 · imod: V" in rows[1]
    assert 'class="pbar"' in rows[1] and "80 %" in rows[1] and 'width="48.0"' in rows[1]
    assert "kr." not in rows[0] and "Lukket" in rows[2]
    assert page.index("<table>") < page.index('<pre class="text">')   # header and table first
    assert page.index('<dl class="header">') < page.index("<table>")


def test_summary_chart_is_inline_svg_with_amounts_and_label_counts():
    record, text = compose()
    page = render_meeting(record, text)
    charts = re.findall(r'<svg class="chart".*?</svg>', page, re.S)
    assert len(charts) == 2
    assert "1.650.000 kr." in charts[0] and charts[0].count('<rect class="bar"') == 1
    assert charts[1].count('<rect class="bar"') == 3


def test_without_text_the_page_says_so_and_shows_header_and_items():
    record, _ = compose()
    page = render_report([(record, None)])
    assert "--with-text" in page and "ikke med i posten" in page
    assert "<table>" in page and "Fjordby Kommune" in page
    assert not item_marks(parse(page).marks)
    assert "1.650.000 kr." in page and "Anbefales. V stemte imod." in page


def test_text_in_the_record_is_used():
    record, text = compose()
    page = render_meeting(dict(record, text=text))
    assert len(item_marks(parse(page).marks)) == len(record["entities"])


def test_older_record_without_decisions_page_or_format():
    record, text = compose()
    for item in record["items"]:
        item.pop("decisions", None)
        item.pop("page", None)
    record.pop("format")
    page = render_meeting(record, text)
    assert "anbefalet" not in re.search(r"<table>(.*?)</table>", page, re.S).group(1)
    parse(page)


def test_overlapping_entities_are_not_double_marked_and_warned():
    record, text = compose()
    amount = next(e for e in record["entities"] if e["value"] == 250000)
    record["entities"].append(dict(amount, label="ORG", start=amount["start"] - 4, end=amount["start"] + 3,
                                   text=text[amount["start"] - 4:amount["start"] + 3], value=None))
    page = render_meeting(record, text)
    assert len(item_marks(parse(page).marks)) == len(record["entities"]) - 1
    assert "overlapper" in page


def test_offsets_past_the_text_are_a_clear_error():
    record, text = compose()
    with pytest.raises(ReportError, match="is this the text that was analysed"):
        render_meeting(record, text[:100])
    with pytest.raises(ReferatError, match="JSON object"):
        render_meeting(["not", "a", "record"])
    with pytest.raises(ReportError, match="pair"):
        render_report([record])


def test_a_failed_input_is_shown_with_its_error():
    page = render_report([({"file": "x.pdf", "error": "DecodeError: <bad> bytes", "warnings": []}, None)])
    assert "DecodeError: &lt;bad&gt; bytes" in page and "x.pdf" in page
    strict_parse(page)


def test_several_meetings_have_unique_ids_and_a_contents_list():
    record, text = compose()
    page = render_report([(record, text), (record, text)])
    ids = re.findall(r'id="([^"]+)"', page)
    assert len(ids) == len(set(ids)) and "m0" in ids and "m1-p2" in ids
    assert '<nav class="toc">' in page and page.count('<section class="meeting"') == 2
    for target in re.findall(r'href="#([^"]+)"', page):
        assert target in ids


def test_a_12_kb_text_gives_well_under_100_kb():
    b = Builder()
    b.add("Fjordby Kommune\nTeknikudvalget\n\n")
    items = []
    while len(b.text) < 12_000:
        start = len(b.text)
        number = len(items) + 1
        b.add(f"{number}. Vedligehold af veje, etape {number}\n")
        heading = b.add("Sagsfremstilling")
        b.add("\nArbejdet udføres af ")
        b.add("Vejfirmaet Nord A/S", "ORG")
        b.add(" for ")
        b.add(f"{number * 10}.000 kr.", "AMOUNT", number * 10000)
        b.add(". Kontakt ")
        b.add("Karen Bæk", "PERSON")
        b.add(" om planen, som er beskrevet i bilaget, og som udvalget tidligere har drøftet.\n\n")
        items.append({"number": str(number), "title": f"Vedligehold af veje, etape {number}", "start": start,
                      "end": len(b.text), "label": "bevilling", "scores": {"bevilling": 0.6, "godkendelse": 0.4},
                      "sections": [{"name": "sagsfremstilling", "heading": "Sagsfremstilling", "start": heading[0],
                                    "end": len(b.text)}]})
    record = {"meeting": {"committee": "Teknikudvalget"}, "items": items, "entities": b.entities}
    page = render_report([(record, b.text)])
    assert len(b.text.encode()) >= 12_000
    assert len(page.encode()) < 60_000
    assert len(item_marks(parse(page).marks)) == len(b.entities)


def test_case_page_lists_the_timeline_in_date_order():
    timeline = [
        {"date": "2025-03-01", "committee": "Byrådet", "number": "7", "title": "Ny hal <etape 2>",
         "outcome": "godkendt", "label": "bevilling", "amount_sum": 2500000, "votes": "for: A, V", "file": "b.pdf"},
        {"date": "2025-02-05", "committee": "Børne- og Kulturudvalget", "number": "2", "title": "Ny hal <etape 2>",
         "outcome": "anbefalet", "label": "bevilling", "amount_sum": None, "votes": "", "file": "a.pdf"},
    ]
    page = render_case(timeline, case_number="25/0042")
    assert "<h1>Sag 25/0042</h1>" in page
    assert page.index("2025-02-05") < page.index("2025-03-01")
    assert "2.500.000 kr." in page and "&lt;etape 2&gt;" in page and "<etape" not in page
    strict_parse(page)
    with pytest.raises(ReportError):
        render_case("not a list", case_number="1")


def test_record_from_the_real_pipeline():
    import referat

    text = ("Fjordby Kommune\nTeknik- og Miljøudvalget\nReferat\nMødedato: 12. marts 2024 kl. 16.00\n"
            "Mødested: Rådhuset\nMedlemmer: Anne Holm (A), Peter Lund (V)\n\n"
            "1. Godkendelse af dagsorden\nBeslutning\nGodkendt.\n\n"
            "2. Anlægsbevilling til ny cykelsti & fortov\nSagsfremstilling\n"
            "Firmaet Brobyg A/S har givet tilbud på 1,4 mio. kr. <se bilag>.\n"
            "Indstilling\nAt der gives en anlægsbevilling på 1.400.000 kr.\nBeslutning\nAnbefales.\n")
    try:
        record = referat.analyse(text).to_dict()
    except referat.ModelError as error:
        pytest.skip(f"the pipeline cannot be loaded in this checkout: {error}")
    page = render_report([(record, text)])
    strict_parse(page)
    shown = "".join(parse(page).text)
    for item in record["items"]:
        assert item["title"] in shown
        if item.get("label"):
            assert item["label"] in shown
    assert len(item_marks(parse(page).marks)) == len(record["entities"])
    assert "&lt;se bilag&gt;" in page


# ------------------------------------------------------------------ svg and formats

def test_bar_lengths_are_in_proportion_and_labels_escaped():
    chart = svg.hbar_chart([("a <b>", 100, ""), ("c", 50, ""), ("d", -25, "")], title="T & U")
    widths = [float(w) for w in re.findall(r'<rect class="bar[^"]*" x="\d+" y="[\d.]+" width="([\d.]+)"', chart)]
    assert widths[0] == pytest.approx(2 * widths[1]) == pytest.approx(4 * widths[2])
    assert 'class="bar neg"' in chart and "a &lt;b&gt;" in chart and "T &amp; U" in chart
    assert svg.hbar_chart([], title="x") == ""


def test_danish_kroner_and_votes():
    assert format_kroner(1400000) == "1.400.000 kr."
    assert format_kroner(-8600000) == "-8.600.000 kr."
    assert format_kroner(0) == "0 kr."
    assert votes_text({"for": [{"party": "A", "count": 5}, {"name": "Bo Ravn"}], "against": [],
                       "abstain": [{"party": "Ø"}]}) == "for: A 5, Bo Ravn · undlod: Ø"
    assert votes_text(None) == ""


# ------------------------------------------------------------------ terminal summary

def test_summary_rows():
    record, _ = compose()
    rows = summary_rows(record)
    assert [row["number"] for row in rows] == ["1", "2", "3"]
    assert rows[1]["title"] == record["items"][1]["title"]
    assert rows[1]["label"] == "bevilling" and rows[1]["probability"] == 0.8
    assert rows[1]["outcome"] == "anbefalet" and rows[0]["outcome"] is None
    assert rows[0]["votes"] == "" and rows[1]["votes"] == "for: A 5 · imod: V"
    assert rows[1]["largest_amount"] == 1400000 and rows[0]["largest_amount"] is None
    assert rows[1]["names"] == ["Fjordby Idrætsråd", "Anne Holm", "Børne- og Kulturudvalget"]
    assert rows[2]["names"] == []


def test_summary_names_are_distinct_and_at_most_five():
    entities = [{"label": "PERSON", "text": name, "start": 0, "end": 1, "item": 1}
                for name in ["Eva", "Eva", "Ib", "Ole", "Pia", "Sus", "Tor"]]
    entities.append({"label": "AMOUNT", "text": "5 kr.", "start": 0, "end": 1, "value": 5, "item": 1})
    record = {"items": [{"number": "1", "title": "T", "start": 0, "end": 10}], "entities": entities}
    row = summary_rows(record)[0]
    assert row["names"] == ["Eva", "Ib", "Ole", "Pia", "Sus"]
    assert row["probability"] is None and row["label"] is None and row["largest_amount"] == 5


def test_print_summary_wraps_titles_and_prints_markup_literally():
    from rich.console import Console

    record, _ = compose()
    record["items"][0]["title"] = "Godkendelse af [bold]dagsorden[/bold] for et meget langt møde i udvalget"
    console = Console(record=True, width=140, color_system=None)
    print_summary(record, console)
    out = console.export_text()
    assert "Børne- & Kulturudvalget · Fjordby Kommune · 2025-02-05 17:00 · referat" in out
    words = " ".join(out.replace("│", " ").split())
    for word in record["items"][0]["title"].split() + ["1.400.000", "anbefalet", "80", "%", "imod:", "V"]:
        assert word in words
    assert "…" not in out


# ------------------------------------------------------------------ rendering in a browser

def _png_pixels(data: bytes) -> tuple[int, int, int, bytes]:
    """Decode an 8-bit RGB/RGBA PNG with the standard library: (width, height, channels, pixels)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride = zlib.decompress(idat), width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up, corner = previous[x], previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, channels, b"".join(rows)


@pytest.mark.skipif(not shutil.which("chromium") and not shutil.which("/usr/bin/chromium"),
                    reason="chromium is not installed")
def test_page_renders_in_headless_chromium(tmp_path):
    record, text = compose()
    page_file, shot = tmp_path / "report.html", tmp_path / "shot.png"
    page_file.write_text(render_report([(record, text)]), encoding="utf-8")
    binary = shutil.which("chromium") or "/usr/bin/chromium"
    subprocess.run([binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", "--window-size=1200,900",
                    page_file.as_uri()], check=True, capture_output=True, timeout=60)
    width, height, channels, pixels = _png_pixels(shot.read_bytes())
    assert (width, height) == (1200, 900)
    grey = pixels[::channels * 7]                       # the red channel of every 7th pixel
    mean = sum(grey) / len(grey)
    variance = sum((value - mean) ** 2 for value in grey) / len(grey)
    assert variance > 100, f"the screenshot looks blank (variance {variance:.1f})"
    assert sum(1 for value in grey if value < 128) > len(grey) * 0.005   # some dark text is drawn


def test_votes_text_puts_a_total_in_brackets():
    from referat.report.record import votes_text

    def entry(party=None, count=None):
        return {"party": party, "party_name": None, "name": None, "count": count}
    votes = {"for": [entry("A"), entry("Ø"), entry(count=15)], "against": [entry("V", 10)], "abstain": []}
    assert votes_text(votes) == "for: A, Ø (15) · imod: V 10"
    assert votes_text({"for": [entry(count=19)], "against": [entry(count=1)]}) == "for: i alt (19) · imod: i alt (1)"
    assert votes_text({}) == "" and votes_text(None) == ""
