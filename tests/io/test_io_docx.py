"""referat.io.docx: paragraphs, headings and tables in order."""

import io

import docx
import pytest

from referat.errors import BrokenFileError, EmptyTextError
from referat.io import read


def _docx(build) -> bytes:
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _minutes(document):
    document.add_heading("Børne- og Skoleudvalget", level=1)
    document.add_paragraph("Referat")
    document.add_paragraph("Deltagere: Anne Holm (A), Karl Vestergaard (O)")
    document.add_heading("1. Godkendelse af dagsorden", level=2)
    document.add_paragraph("Sagsnr.: 25-003344")
    document.add_heading("Økonomi", level=3)
    table = document.add_table(rows=2, cols=3)
    for row, values in zip(table.rows, [("Skole", "2025", "2026"), ("Strandskolen", "1,2 mio. kr.", "1,4 mio. kr.")]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    merged = document.add_table(rows=1, cols=2)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "Samlet"
    paragraph = document.add_paragraph("Beslutning")
    paragraph.add_run().add_break()
    paragraph.add_run("Godkendt.")
    document.add_paragraph("   ")


def test_docx_lines_in_order():
    result = read(_docx(_minutes), "referat.docx")
    assert result.format == "docx"
    assert result.text.split("\n") == [
        "Børne- og Skoleudvalget", "Referat", "Deltagere: Anne Holm (A), Karl Vestergaard (O)",
        "1. Godkendelse af dagsorden", "Sagsnr.: 25-003344", "Økonomi",
        "Skole | 2025 | 2026", "Strandskolen | 1,2 mio. kr. | 1,4 mio. kr.", "Samlet", "Beslutning", "Godkendt.",
    ]


def test_empty_docx():
    with pytest.raises(EmptyTextError):
        read(_docx(lambda document: document.add_paragraph(" ")), "tom.docx")


def test_damaged_docx():
    good = _docx(_minutes)
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = b"<not xml" if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item, data)
    with pytest.raises(BrokenFileError, match="broken.docx"):
        read(buffer.getvalue(), "broken.docx")
