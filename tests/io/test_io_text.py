"""referat.io.text: encodings, BOMs, UTF-16 without a mark, binary refused."""

import pytest

from referat.errors import DecodeError, EmptyTextError, NotTextError, ReferatError
from referat.io.text import (
    check_text,
    decode,
    detect_encoding,
    read_text,
    read_text_document,
)

TEXT = "Fjordby Kommune\nReferat\nDeltagere: Anne Holm (A), Søren Ærø (V)\n1. Godkendelse af dagsorden\n"


@pytest.mark.parametrize("encoding, prefix", [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b""),
    ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-16-le", b""), ("utf-16-be", b""),
    ("utf-32-le", b"\xff\xfe\x00\x00"),
])
def test_decode_reads_every_encoding(encoding, prefix):
    text, found = decode(prefix + TEXT.encode(encoding), "minutes.txt")
    assert text == TEXT
    assert found == encoding


def test_cp1252_text_with_euro_sign():
    text, encoding = decode("Beløb: 5 € pr. deltager\n".encode("cp1252"))
    assert text == "Beløb: 5 € pr. deltager\n" and encoding == "cp1252"


def test_binary_with_nul_bytes_is_not_text():
    with pytest.raises(NotTextError, match="binary"):
        decode(bytes(range(256)) * 4, "blob.bin")
    assert detect_encoding(bytes(range(256)) * 4) is None


def test_empty_and_whitespace():
    with pytest.raises(EmptyTextError):
        decode(b"  \n\t", "empty.txt")
    with pytest.raises(EmptyTextError):
        decode(b"\xff\xfe" + " \n".encode("utf-16-le"), "empty16.txt")
    with pytest.raises(EmptyTextError):
        check_text("   ", "x")
    with pytest.raises(TypeError):
        check_text(b"bytes", "x")
    assert check_text("tekst") == "tekst"


def test_broken_utf16_after_bom_is_a_decode_error():
    with pytest.raises(DecodeError, match="UTF-16"):
        decode(b"\xff\xfe" + "ab".encode("utf-16-le") + b"\x00\xd8", "bad.txt")


def test_read_text_of_a_path(tmp_path):
    path = tmp_path / "m.txt"
    path.write_bytes(TEXT.encode("cp1252"))
    assert read_text(path) == (TEXT, "cp1252")
    path.write_bytes(b"\n \n")
    with pytest.raises(EmptyTextError):
        read_text(path)


def test_read_text_document():
    document = read_text_document(TEXT.encode("utf-16"), "m.txt")
    assert document.format == "text" and document.text == TEXT and document.encoding.startswith("utf-16")
    assert document.pages == [] and document.page_of(3) is None
    assert issubclass(DecodeError, ReferatError)
