"""Which format a file's bytes are in, decided by content (magic bytes, markup, JSON keys)."""

from __future__ import annotations

import io
import json
import re
import zipfile

from referat.errors import UnsupportedFormatError
from referat.io.text import decode, detect_encoding

# suffixes a folder walk picks up
SUFFIXES = (".txt", ".text", ".pdf", ".html", ".htm", ".xhtml", ".docx", ".json")
READABLE = "PDF with a text layer, HTML, Word .docx, FirstAgenda JSON or plain text"

# magic bytes of formats that are recognised only to be refused with a clear message
_REFUSED = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\xd0\xcf\x11\xe0", "an old Word/Office file (.doc): save it as .docx"),
    (b"{\\rtf", "an RTF file: save it as .docx or text"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
)
_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
                         re.IGNORECASE | re.DOTALL)
_HTML_TAGS = re.compile(r"</?(?:p|div|h[1-6]|section|article|table|tr|td|li|ul|ol|span|br|strong|b|em|a)\b[^>]*>",
                        re.IGNORECASE)
# a text counts as an HTML fragment when it starts with a tag and tags are this dense
MIN_TAGS_PER_KB = 2.0


def unsupported(name: str | None, what: str) -> UnsupportedFormatError:
    label = name or "input"
    return UnsupportedFormatError(f"{label} is {what}, which referat cannot read: give a {READABLE}")


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False


def is_firstagenda(value) -> bool:
    """A decoded JSON value that is one FirstAgenda meeting (or a list of them)."""
    if isinstance(value, list) and value:
        return all(is_firstagenda(entry) for entry in value)
    return isinstance(value, dict) and "Dagsordenpunkter" in value and isinstance(value["Dagsordenpunkter"], list)


def _text_format(text: str, name: str | None) -> str:
    head = text.lstrip("\ufeff \t\r\n")
    if head[:1] in "{[":
        try:
            value = json.loads(head)
        except ValueError:
            value = None
        if value is not None:
            if is_firstagenda(value):
                return "firstagenda"
            raise unsupported(name, "JSON but not a FirstAgenda meeting (no 'Dagsordenpunkter' list)")
    sample = head[:65536]
    if _HTML_START.match(sample.encode("utf-8", "replace")):
        return "html"
    if sample.startswith("<"):
        tags = len(_HTML_TAGS.findall(sample))
        if tags >= 2 and tags >= MIN_TAGS_PER_KB * len(sample) / 1024:
            return "html"
    return "text"


def sniff(data: bytes, name: str | None = None) -> str:
    """The format of `data`, one of FORMATS, by content; raises UnsupportedFormatError."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"sniff needs bytes, not {type(data).__name__}")
    data = bytes(data)
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if _is_docx(data):
            return "docx"
        raise unsupported(name, "a zip archive but not a Word .docx document")
    for magic, what in _REFUSED:
        if head.startswith(magic):
            raise unsupported(name, what)
    if detect_encoding(data) is None:
        raise unsupported(name, "binary data")
    text, _ = decode(data, name or "input")
    return _text_format(text, name)

