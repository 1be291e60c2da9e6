"""Reading minutes files: bytes and a name in, a `Document` (text plus hints) out.

`read(data, name)` sniffs the format from the content (PDF, HTML, Word .docx, FirstAgenda
JSON, plain text in any common encoding) and hands it to that format's reader;
`read_path(path)` reads a file with errors a person can act on.
"""

from __future__ import annotations

import errno
from pathlib import Path

from referat.errors import InputFileError, UnsupportedFormatError
from referat.io.document import FORMATS, Document
from referat.io.sniff import SUFFIXES, sniff
from referat.io.text import check_text, decode

__all__ = ["FORMATS", "SUFFIXES", "Document", "check_text", "decode", "read", "read_path", "sniff"]


def _reader(format: str):
    if format == "pdf":
        from referat.io.pdf import read_pdf
        return read_pdf
    if format == "html":
        from referat.io.html import read_html
        return read_html
    if format == "docx":
        from referat.io.docx import read_docx
        return read_docx
    if format == "firstagenda":
        from referat.io.firstagenda import read_firstagenda
        return read_firstagenda
    if format == "text":
        from referat.io.text import read_text_document
        return read_text_document
    raise UnsupportedFormatError(f"unknown format {format!r}: choose one of {', '.join(FORMATS)}")


def read(data: bytes, name: str | None = None, *, format: str | None = None) -> Document:
    """The Document of a file's bytes; `format` overrides sniffing."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"read needs bytes, not {type(data).__name__}: use read_path for a path")
    data = bytes(data)
    chosen = format or sniff(data, name)
    document = _reader(chosen)(data, name)
    check_text(document.text, name or "input")
    return document


def read_path(path: str | Path) -> Document:
    """The Document of a file; InputFileError for a path that cannot be read."""
    path = Path(path)
    try:
        if path.is_dir():
            raise InputFileError(f"{path} is a folder, not a file: give one file (a folder is read by 'referat batch')")
        data = path.read_bytes()
    except InputFileError:
        raise
    except FileNotFoundError:
        raise InputFileError(f"{path} does not exist") from None
    except IsADirectoryError:
        raise InputFileError(f"{path} is a folder, not a file") from None
    except PermissionError:
        raise InputFileError(f"{path} cannot be read: permission denied") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise InputFileError(f"{path} is a symbolic link that loops back on itself") from None
        raise InputFileError(f"{path} cannot be read: {error.strerror or error}") from None
    return read(data, path.name)
