"""Word .docx (python-docx): paragraphs and headings in document order, tables as lines
with cells joined by " | "."""

from __future__ import annotations

import io
import re
import zipfile

from referat.errors import BrokenFileError, EmptyTextError
from referat.io.document import Document

CELL_SEPARATOR = " | "
_SPACES = re.compile(r"[ \t\u00a0]+")


def _cell_text(cell) -> str:
    return " ".join(_SPACES.sub(" ", paragraph.text).strip() for paragraph in cell.paragraphs if paragraph.text.strip())


def table_lines(table) -> list[str]:
    """One line per row; a merged cell (repeated by python-docx) counts once."""
    lines = []
    for row in table.rows:
        cells, previous = [], None
        for cell in row.cells:
            if previous is not None and cell._tc is previous:
                continue
            previous = cell._tc
            text = _cell_text(cell)
            if text:
                cells.append(text)
        if cells:
            lines.append(CELL_SEPARATOR.join(cells))
    return lines


def docx_lines(document) -> list[str]:
    """The body of a python-docx Document as lines, in order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(child, document).text
            for part in text.split("\n"):
                part = _SPACES.sub(" ", part).strip()
                if part:
                    lines.append(part)
        elif tag == "tbl":
            lines.extend(table_lines(Table(child, document)))
    return lines


def read_docx(data: bytes, name: str | None = None) -> Document:
    """A Word document's text as a Document."""
    import docx

    label = name or "the Word document"
    from docx.opc.exceptions import OpcError
    from lxml.etree import LxmlError

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OpcError, LxmlError) as error:
        raise BrokenFileError(f"{label} is a damaged or unreadable .docx ({type(error).__name__}: {error})") from None
    text = "\n".join(docx_lines(document))
    if not text.strip():
        raise EmptyTextError(f"{label} holds no text")
    return Document(text=text, format="docx", name=name)
