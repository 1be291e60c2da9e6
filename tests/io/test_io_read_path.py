"""referat.io.read_path: files read, and clear errors for paths that cannot be."""

import os

import pytest
from pdf_samples import minutes_pdf

from referat.errors import InputFileError
from referat.io import read_path


def test_reads_files_by_content(tmp_path):
    (tmp_path / "a.txt").write_bytes("Referat\n1. Godkendelse af dagsorden\n".encode("utf-16"))
    (tmp_path / "b.dat").write_bytes(minutes_pdf())
    text = read_path(tmp_path / "a.txt")
    assert (text.format, text.name) == ("text", "a.txt")
    assert read_path(str(tmp_path / "b.dat")).format == "pdf"


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputFileError, match="does not exist"):
        read_path(tmp_path / "nope.pdf")
    with pytest.raises(InputFileError, match="folder"):
        read_path(tmp_path)


def test_symlink_loop(tmp_path):
    loop = tmp_path / "loop.txt"
    os.symlink(loop, loop)
    with pytest.raises(InputFileError, match="loop"):
        read_path(loop)


def test_permission_denied(tmp_path, monkeypatch):
    locked = tmp_path / "locked.txt"
    locked.write_text("Referat")
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads every file: make the read fail as it would for a user
        def denied(self):
            raise PermissionError(13, "Permission denied", str(self))
        monkeypatch.setattr(type(locked), "read_bytes", denied)
    with pytest.raises(InputFileError, match="permission"):
        read_path(locked)
