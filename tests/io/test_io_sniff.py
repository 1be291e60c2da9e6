"""referat.io.sniff and read(): the format comes from the content, not the suffix."""

import io
import json
import zipfile

import pytest

from referat.errors import ReferatError, UnsupportedFormatError
from referat.io import FORMATS, SUFFIXES, read, sniff

MEETING = {"Udvalg": {"Navn": "Teknik- og Miljøudvalget"}, "Moede": {"Dato": "2025-03-12T16:00:00+01:00"},
           "Dagsordenpunkter": [{"Number": "1", "Caption": "Godkendelse af dagsorden", "Felter": []}]}


def _zip(names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize("data, expected", [
    (b"%PDF-1.7\n...", "pdf"),
    (b"<!DOCTYPE html><html><body><p>Referat</p></body></html>", "html"),
    (b"  <html lang='da'><p>x</p></html>", "html"),
    (b"<div><h2>1. Godkendelse</h2><p>Beslutning</p><p>Godkendt</p></div>", "html"),
    (json.dumps(MEETING).encode(), "firstagenda"),
    (json.dumps([MEETING]).encode(), "firstagenda"),
    ("Referat\n1. Godkendelse af dagsorden\n".encode("utf-16"), "text"),
    ("<Fjordby> er ikke HTML, bare tekst om møder og punkter i udvalget.".encode(), "text"),
])
def test_sniff_by_content(data, expected):
    assert sniff(data, "file.txt") == expected
    assert expected in FORMATS


def test_content_wins_over_suffix():
    assert sniff(b"<html><body><p>Referat</p></body></html>", "minutes.pdf") == "html"
    assert sniff(b"Referat\n1. Punkt\n", "minutes.html") == "text"


def test_docx_zip_is_docx_other_zip_is_refused():
    assert sniff(_zip(["[Content_Types].xml", "word/document.xml"]), "a.docx") == "docx"
    with pytest.raises(UnsupportedFormatError, match="zip archive"):
        sniff(_zip(["data.csv"]), "a.docx")


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n" + bytes(100), b"\xff\xd8\xff\xe0" + bytes(100), bytes(range(256)) * 8,
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
])
def test_unreadable_input_names_the_readable_formats(data):
    with pytest.raises(UnsupportedFormatError) as caught:
        read(data, "scan.bin")
    message = str(caught.value)
    assert "scan.bin" in message
    for word in ("PDF", "HTML", "docx", "FirstAgenda", "text"):
        assert word in message
    assert isinstance(caught.value, ReferatError)


def test_json_that_is_not_firstagenda_is_refused():
    with pytest.raises(UnsupportedFormatError, match="FirstAgenda"):
        sniff(b'{"navn": "Anne Holm"}', "x.json")


def test_read_with_explicit_format_and_bad_format():
    document = read(b"<p>Referat</p>", "x", format="text")
    assert document.format == "text" and document.text == "<p>Referat</p>"
    with pytest.raises(UnsupportedFormatError, match="unknown format"):
        read(b"x", format="rtf")
    with pytest.raises(TypeError):
        read("a string")


def test_suffixes():
    for suffix in (".txt", ".pdf", ".html", ".htm", ".docx", ".json"):
        assert suffix in SUFFIXES
