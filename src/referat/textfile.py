"""Reading a minutes file as text: encodings tried in turn, binary data refused."""

from __future__ import annotations

from pathlib import Path

from referat.errors import DecodeError, EmptyTextError, NotTextError

ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
# share of control characters above which a decoded text is taken for binary data
MAX_CONTROL_SHARE = 0.01
_ALLOWED_CONTROLS = set("\t\n\r\x0c")


def check_text(text: str, name: str = "the text") -> str:
    """Raise EmptyTextError for an empty or whitespace-only text; return it otherwise."""
    if not isinstance(text, str):
        raise TypeError(f"{name} must be str, not {type(text).__name__}")
    if not text.strip():
        raise EmptyTextError(f"{name} is empty: give the minutes' text, not an empty string")
    return text


def decode(data: bytes, name: str = "input") -> tuple[str, str]:
    """(text, encoding) for a file's bytes; UTF-8 first, then cp1252, then latin-1."""
    if not data.strip():
        raise EmptyTextError(f"{name} is empty")
    if b"\x00" in data[:8192]:
        raise NotTextError(f"{name} holds binary data (NUL bytes): give a text file (.txt), e.g. text extracted from the PDF")
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for char in text if ord(char) < 32 and char not in _ALLOWED_CONTROLS)
        if controls > MAX_CONTROL_SHARE * len(text):
            continue
        return text, encoding.replace("-sig", "")
    raise DecodeError(f"{name} could not be decoded as UTF-8, cp1252 or latin-1 text: "
                      "save it as UTF-8 text and try again")


def read_text(path: str | Path) -> tuple[str, str]:
    """(text, encoding) of a file; raises a ReferatError subclass a person can act on."""
    path = Path(path)
    data = path.read_bytes()
    text, encoding = decode(data, str(path))
    check_text(text, str(path))
    return text, encoding
