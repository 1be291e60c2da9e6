"""referat.io.pdf on PDFs built with fpdf2: running lines removed, hyphenation joined, pages."""

import pytest
from pdf_samples import (
    HEADER,
    MINUTES_PAGES,
    TABLE,
    minutes_pdf,
    scanned_pdf,
    table_pdf,
    two_column_pdf,
    unicode_hyphen_pdf,
)

from referat.errors import BrokenFileError, ScannedPDFError
from referat.io import read
from referat.io.pdf import BACKENDS, join_hyphenated, read_pdf, strip_running_lines


@pytest.fixture(scope="module")
def minutes():
    return read(minutes_pdf(), "fjordby.pdf")


def test_running_header_and_page_footer_are_removed(minutes):
    assert minutes.format == "pdf" and minutes.name == "fjordby.pdf"
    assert HEADER not in minutes.text
    assert "Side " not in minutes.text
    # the meeting's own lines stay, section headings on their own lines
    lines = minutes.text.split("\n")
    for line in ("Teknik- og Miljøudvalget", "1. Godkendelse af dagsorden", "Sagsnr.: 25-000456", "Indstilling",
                 "3. Orientering om vandløbsvedligeholdelse"):
        assert line in lines
    assert lines.count("Beslutning") == 3


def test_hyphenated_words_joined_and_wrapped_lines_unwrapped(minutes):
    assert "Jens Mølgaard (V)" in minutes.text
    assert "forventes at begynde i maj" in minutes.text
    # an upper-case line after "og" is a new line, the hyphen of "Social-" stays
    assert "Social- og\nSundhedsudvalget" in minutes.text


def test_pages_are_offsets_of_each_page(minutes):
    assert len(minutes.pages) == len(MINUTES_PAGES)
    assert minutes.pages[0] == 0
    second = minutes.text.index("2. Ny cykelsti")
    third = minutes.text.index("Beslutning\nGodkendt.")
    assert minutes.pages[1] == second and minutes.pages[2] == third
    assert minutes.page_of(0) == 1 and minutes.page_of(second) == 2 and minutes.page_of(third + 5) == 3
    assert minutes.page_of(len(minutes.text) - 1) == 3


def test_two_column_page_keeps_columns_apart():
    text = read_pdf(two_column_pdf()).text
    left = text.index("Venstre spalte begynder her og fortsætter med mere tekst om budgettet for skolerne.")
    right = text.index("Højre spalte handler om vejene i den nordlige del af kommunen.")
    assert left < right


def test_table_rows_are_lines():
    lines = read_pdf(table_pdf()).text.split("\n")
    for row in TABLE:
        assert any(all(cell in line for cell in row) for line in lines), row


def test_unicode_hyphen_at_line_end():
    data = unicode_hyphen_pdf()
    if data is None:
        pytest.skip("no Unicode TrueType font on this machine")
    assert "skolestrukturen og besluttede" in read_pdf(data).text


def test_scanned_pdf_names_ocr():
    with pytest.raises(ScannedPDFError, match="OCR"):
        read(scanned_pdf(), "scan.pdf")


def test_a_scanned_page_among_text_pages_is_a_warning():
    document = read(minutes_pdf(scanned_page=True), "blandet.pdf")
    assert len(document.pages) == len(MINUTES_PAGES) + 1
    assert document.pages[-1] == len(document.text)
    assert any("page(s) 4" in warning and "OCR" in warning for warning in document.warnings)
    assert read(minutes_pdf()).warnings == []


def test_damaged_pdf():
    with pytest.raises(BrokenFileError, match="damaged.pdf"):
        read(b"%PDF-1.7\n" + b"\x00garbage" * 50, "damaged.pdf")


@pytest.mark.parametrize("line, following, expected", [
    ("Jens Møl-", "gaard (V)", "Jens Mølgaard (V)"),
    ("skole\u2010", "strukturen", "skolestrukturen"),
    ("skole\u00ad", "strukturen", "skolestrukturen"),
    ("Social-", "og sundhed", "Social- og sundhed"),
    ("EU-", "borgere", "EU-borgere"),
    ("Teknik-", "Udvalget", None),
    ("punkt 3 -", "fortsat", None),
    ("slut.", "næste", None),
])
def test_join_hyphenated(line, following, expected):
    assert join_hyphenated(line, following) == expected


def test_strip_running_lines_by_repetition_not_by_words():
    pages = [[f"Bygge- og Planudvalget {p}. maj", "Indhold", f"Sagsnr.: 25-00{p}{p}7", "tekst", f"- {p} -"]
             for p in range(1, 5)]
    cleaned = strip_running_lines(pages)
    for page, lines in enumerate(cleaned, start=1):
        # the header's number follows the page number: running; the case numbers do not: kept
        assert f"Sagsnr.: 25-00{page}{page}7" in lines
        assert not any(line.startswith("Bygge- og Planudvalget") for line in lines)
        assert "Indhold" not in lines
        assert f"- {page} -" not in lines
    assert strip_running_lines([["Kun en side", "1"]]) == [["Kun en side", "1"]]


def test_every_backend_reads_the_minutes():
    for backend in BACKENDS:
        text = read_pdf(minutes_pdf(), backend=backend).text
        assert "1. Godkendelse af dagsorden" in text and HEADER not in text, backend


def test_wrapped_numbered_heading_is_one_line():
    pages = [["Referat", "4. Ombygning af Havnepladsen i", "forbindelse med byfornyelsen", "Sagsnr.: 25-1",
              "Beslutning", "Godkendt.", "5. Kort punkt", "Næste afsnit begynder med stort."]]
    lines = read_pdf(minutes_pdf(pages)).text.split("\n")
    assert "4. Ombygning af Havnepladsen i forbindelse med byfornyelsen" in lines
    assert "5. Kort punkt" in lines and "Næste afsnit begynder med stort." in lines
