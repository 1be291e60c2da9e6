"""The one per-file function every engine runs, and what it needs: a file's records (one per
meeting, or one error record), its content hash, the size limit."""

from __future__ import annotations

import hashlib
from pathlib import Path

from referat.errors import InputFileError

#: files larger than this (in MB) get an error record unless --max-size says otherwise
DEFAULT_MAX_SIZE_MB = 50.0


def content_hash(path: str | Path) -> str | None:
    """sha256 of a file's bytes (None where it cannot be read: its record says why)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def error_record(name: str, error: BaseException, digest: str | None = None) -> dict:
    """The record of an input that could not be analysed: the exception's type and message,
    and the content hash of its bytes where they can be read (so --resume knows it is done)."""
    return {"file": name, "content_hash": digest, "error": f"{type(error).__name__}: {error}", "warnings": []}


def check_size(path: Path, max_size_mb: float | None) -> None:
    if max_size_mb is None:
        return
    try:
        size = path.stat().st_size
    except OSError:
        return  # read_path says what is wrong with it
    if size > max_size_mb * 1_000_000:
        raise InputFileError(f"{path} is larger than {max_size_mb:g} MB ({size / 1_000_000:.1f} MB): "
                             "split it or raise --max-size")


def analyse_path(nlp, name: str, *, max_size_mb: float | None = DEFAULT_MAX_SIZE_MB,
                 with_text: bool = False) -> list[dict]:
    """The records of one file: one per meeting it holds, or one error record. Never raises
    for the file's sake (an exception in any component becomes the error record)."""
    from referat.api import analyse_document
    from referat.io import read_path

    try:
        path = Path(name)
        check_size(path, max_size_mb)
        document = read_path(path)
        analyses = analyse_document(nlp, document)
    except Exception as error:  # noqa: BLE001 - every input gets its record
        return [error_record(name, error, content_hash(name))]
    digest = content_hash(name)
    words = len(document.text.split())
    records = []
    for index, analysis in enumerate(analyses):
        record = {"file": name, "meeting_index": index, "content_hash": digest, **analysis.to_dict(),
                  "words": words if index == 0 else 0}
        if with_text:
            record["text"] = document.text
        records.append(record)
    return records
