"""PDFs built with fpdf2 for the reader tests and the benchmark: invented minutes of an
invented municipality, with a running header, "Side X af Y" footer, hyphenated line ends,
a two-column page and a table."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

HEADER = "Fjordby Kommune - Teknik- og Miljøudvalget - Referat 12.03.2025"
UNICODE_FONTS = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),)

# one page of lines per list; "Møl-" / "gaard" is a word hyphenated at a line end
MINUTES_PAGES = [
    ["Teknik- og Miljøudvalget", "Referat", "Mødedato: 12.03.2025", "Deltagere: Anne Holm (A), Jens Møl-",
     "gaard (V), Sofie Berg (F)", "", "1. Godkendelse af dagsorden", "Sagsnr.: 25-000123", "Beslutning",
     "Dagsordenen blev godkendt."],
    ["2. Ny cykelsti langs Fjordvej", "Sagsnr.: 25-000456", "Sagsfremstilling",
     "Forvaltningen foreslår en cykelsti på 1,2 km. Arbejdet forventes at be-",
     "gynde i maj og afsluttes inden efteråret.", "Indstilling", "Forvaltningen indstiller, at projektet godkendes."],
    ["Beslutning", "Godkendt. Social- og", "Sundhedsudvalget orienteres.", "",
     "3. Orientering om vandløbsvedligeholdelse", "Sagsnr.: 25-000789", "Beslutning", "Taget til efterretning."],
]


def _pdf(header: str | None = HEADER, footer: bool = True) -> FPDF:
    class Minutes(FPDF):
        def header(self):
            if header:
                self.set_font("helvetica", size=8)
                self.cell(0, 6, header, new_x="LMARGIN", new_y="NEXT")
                self.ln(4)

        def footer(self):
            if footer:
                self.set_y(-15)
                self.set_font("helvetica", size=8)
                self.cell(0, 6, f"Side {self.page_no()} af {{nb}}", align="C")

    pdf = Minutes()
    pdf.set_auto_page_break(False)
    return pdf


def _lines(pdf: FPDF, lines: list[str], x: float | None = None) -> None:
    for line in lines:
        if x is not None:
            pdf.set_x(x)
        pdf.cell(0 if x is None else 90, 6, line, new_x="LMARGIN", new_y="NEXT")


def minutes_pdf(pages: list[list[str]] = MINUTES_PAGES, header: str | None = HEADER, footer: bool = True,
                scanned_page: bool = False) -> bytes:
    pdf = _pdf(header, footer)
    for lines in pages:
        pdf.add_page()
        pdf.set_font("helvetica", size=11)
        _lines(pdf, lines)
    if scanned_page:  # a last page with no text at all, not even a header (an appended scan)
        pdf.header = pdf.footer = lambda: None
        pdf.add_page()
        pdf.rect(15, 20, 180, 200, style="F")
    return bytes(pdf.output())


def two_column_pdf() -> bytes:
    left = ["Venstre spalte begynder her", "og fortsætter med mere tekst", "om budgettet for skolerne."]
    right = ["Højre spalte handler om", "vejene i den nordlige del", "af kommunen."]
    pdf = _pdf(None, False)
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    top = pdf.get_y()
    _lines(pdf, left, x=10)
    pdf.set_y(top)
    _lines(pdf, right, x=110)
    return bytes(pdf.output())


TABLE = [("Område", "Budget", "Forbrug"), ("Skoler", "1.200.000", "950.000"), ("Veje", "800.000", "815.000")]


def table_pdf() -> bytes:
    pdf = _pdf(None, False)
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.cell(0, 8, "Økonomi", new_x="LMARGIN", new_y="NEXT")
    with pdf.table() as table:
        for row in TABLE:
            cells = table.row()
            for value in row:
                cells.cell(value)
    return bytes(pdf.output())


def scanned_pdf(pages: int = 2) -> bytes:
    """Pages with only drawings, no text layer: what a scan looks like to a text reader."""
    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.set_fill_color(120, 120, 120)
        for row in range(20):
            pdf.rect(15, 20 + row * 12, 180, 6, style="F")
    return bytes(pdf.output())


def unicode_hyphen_pdf() -> bytes | None:
    """A page with U+2010 at a line end (needs a Unicode TrueType font; None without one)."""
    font = next((path for path in UNICODE_FONTS if path.is_file()), None)
    if font is None:
        return None
    pdf = FPDF()
    pdf.add_font("uni", fname=str(font))
    pdf.add_page()
    pdf.set_font("uni", size=11)
    _lines(pdf, ["Udvalget drøftede sagen om skole\u2010", "strukturen og besluttede at gå videre."])
    return bytes(pdf.output())


def long_minutes_pdf(pages: int = 30) -> bytes:
    """Many pages with header, footer and a page number line: for the speed figure."""
    body = [f"{n}. Punkt om emne nummer {n}" if i == 0 else "Almindelig tekst om sagen, som fortsætter over linjen."
            for n in range(1, pages + 1) for i in range(1)]
    page_lines = [[line, "Sagsfremstilling"] + ["Almindelig tekst om sagen, som fortsætter over flere linjer."] * 30
                  for line in body]
    return minutes_pdf(page_lines)
