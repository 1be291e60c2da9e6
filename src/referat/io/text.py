"""Plain text: byte-order marks and UTF-16 first, then UTF-8, cp1252 and latin-1.

Replaces `referat.textfile`: `decode(data, name)` and `check_text(text, name)` behave as
before, except that UTF-16 (with or without a byte-order mark) and UTF-32 with a mark are
read instead of being refused as binary.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from referat.errors import DecodeError, EmptyTextError, NotTextError
from referat.io.document import Document

ENCODINGS = ("utf-8", "cp1252", "latin-1")
# share of control characters above which a decoded text is taken for binary data
MAX_CONTROL_SHARE = 0.01
_ALLOWED_CONTROLS = set("\t\n\r\x0c")
_CONTROL = re.compile("[" + "".join(re.escape(chr(code)) for code in range(32) if chr(code) not in _ALLOWED_CONTROLS) + "]")
# byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one)
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# UTF-16 without a mark: share of NUL bytes at odd (LE) or even (BE) positions of the sample
UTF16_NUL_SHARE = 0.3
SAMPLE = 8192


def check_text(text: str, name: str = "the text") -> str:
    """Raise EmptyTextError for an empty or whitespace-only text; return it otherwise."""
    if not isinstance(text, str):
        raise TypeError(f"{name} must be str, not {type(text).__name__}")
    if not text.strip():
        raise EmptyTextError(f"{name} is empty: give the minutes' text, not an empty string")
    return text


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """(encoding, length of the mark) when `data` starts with a byte-order mark."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the NUL bytes fall on one side of each byte pair."""
    sample = data[:SAMPLE]
    pairs = len(sample) // 2
    if pairs < 1:
        return None
    even = sum(1 for i in range(0, 2 * pairs, 2) if sample[i] == 0)
    odd = sum(1 for i in range(1, 2 * pairs, 2) if sample[i] == 0)
    if odd >= UTF16_NUL_SHARE * pairs and even <= odd // 20:
        return "utf-16-le"
    if even >= UTF16_NUL_SHARE * pairs and odd <= even // 20:
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    controls = sum(1 for _ in _CONTROL.finditer(text))
    return controls > MAX_CONTROL_SHARE * len(text)


def detect_encoding(data: bytes) -> str | None:
    """The encoding of a text's bytes, or None when they are not text."""
    marked = bom_encoding(data)
    if marked:
        return marked[0]
    wide = utf16_without_bom(data)
    if wide:
        return wide
    if b"\x00" in data[:SAMPLE]:
        return None
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _looks_binary(text):
            return encoding
    return None


def decode(data: bytes, name: str = "input") -> tuple[str, str]:
    """(text, encoding) for a file's bytes: a byte-order mark or UTF-16 first, then UTF-8,
    cp1252 and latin-1. The mark is not part of the text."""
    marked = bom_encoding(data)
    wide = None if marked else utf16_without_bom(data)
    if marked or wide:
        encoding, skip = marked or (wide, 0)
        try:
            text = data[skip:].decode(encoding)
        except UnicodeDecodeError as error:
            raise DecodeError(f"{name} starts like {encoding.upper()} text but does not decode as it "
                              f"({error.reason} at byte {error.start + skip}): save it as UTF-8 text") from None
        if not text.strip():
            raise EmptyTextError(f"{name} is empty")
        if _looks_binary(text):
            raise NotTextError(f"{name} holds binary data: give a text file (.txt)")
        return text, encoding
    if not data.strip():
        raise EmptyTextError(f"{name} is empty")
    if b"\x00" in data[:SAMPLE]:
        raise NotTextError(f"{name} holds binary data (NUL bytes): give a text file (.txt), e.g. text extracted from the PDF")
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            continue
        return text, encoding
    raise DecodeError(f"{name} could not be decoded as UTF-8, cp1252 or latin-1 text: "
                      "save it as UTF-8 text and try again")


def read_text_document(data: bytes, name: str | None = None) -> Document:
    """A text file's bytes as a Document."""
    label = name or "input"
    text, encoding = decode(data, label)
    check_text(text, label)
    return Document(text=text, format="text", name=name, encoding=encoding)


def read_text(path: str | Path) -> tuple[str, str]:
    """(text, encoding) of a file, as `referat.textfile.read_text` gave."""
    path = Path(path)
    text, encoding = decode(path.read_bytes(), str(path))
    check_text(text, str(path))
    return text, encoding
