"""The one per-file function every engine runs, and what it needs: a file's records (one per
meeting, or one error record), its content hash, the size limit."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from referat.errors import InputFileError

#: files larger than this (in MB) get an error record unless --max-size says otherwise
DEFAULT_MAX_SIZE_MB = 50.0
_WORD = re.compile(r"\S+")


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


#: a record with more items and entities than this is spooled to a file by a local worker
SPOOL_ABOVE = 20_000


@dataclass(slots=True)
class EncodedRecord:
    """A record already written as its JSON line, with the few fields a batch counts by: how
    the batch engines send a record to the writer. The line is held in pieces (`parts`), or,
    for a record of a huge meeting made by a local worker, in a file of its own (`path`, which
    the writer copies and removes), so it never crosses from a worker as one huge pickle."""

    summary: dict
    parts: list[str] | None = None
    path: str | None = None

    def write_to(self, handle) -> None:
        """Write the line (without its line break) and remove the spool file."""
        if self.path is None:
            handle.writelines(self.parts or ())
            return
        with open(self.path, encoding="utf-8") as spooled:
            shutil.copyfileobj(spooled, handle, 1 << 20)
        os.remove(self.path)
        self.path = None

    def to_dict(self) -> dict:
        """The record (its spool file, if any, is read and removed)."""
        line = io.StringIO()
        self.write_to(line)
        return json.loads(line.getvalue())


def _encode(analysis, head: dict, tail: dict, summary: dict, spool: str | None) -> EncodedRecord:
    parts = analysis.record_json_parts(head, tail)
    if spool is None or len(analysis.items) + len(analysis.entities) <= SPOOL_ABOVE:
        return EncodedRecord(summary, parts=list(parts))
    descriptor, path = tempfile.mkstemp(prefix="record.", suffix=".json", dir=spool)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.writelines(parts)
    return EncodedRecord(summary, path=path)


def word_count(text: str) -> int:
    """Whitespace-separated words, counted without making the list (`len(text.split())` of a
    30 MB text makes four million strings)."""
    return sum(1 for _ in _WORD.finditer(text))


def analyse_path(nlp, name: str, *, max_size_mb: float | None = DEFAULT_MAX_SIZE_MB,
                 with_text: bool = False, encoded: bool = False, spool: str | None = None) -> list:
    """The records of one file: one per meeting it holds, or one error record. Never raises
    for the file's sake (an exception in any component becomes the error record).

    With `encoded`, each record is an EncodedRecord, made as soon as its meeting is analysed
    (before the next meeting is), so only one meeting's results are ever held as objects; with
    `spool` (a folder the writer's process can read), a huge meeting's record goes to a file
    there as it is encoded."""
    from referat.api import hold_zone, iter_analyses
    from referat.io import read_path

    hold_zone(nlp)  # the words files share are made once per zone, not once per file
    records: list = []
    try:
        path = Path(name)
        check_size(path, max_size_mb)
        document = read_path(path)
        digest = content_hash(name)
        words = word_count(document.text)
        for index, analysis in enumerate(iter_analyses(nlp, document)):
            head = {"file": name, "meeting_index": index, "content_hash": digest}
            tail = {"text": document.text} if with_text else {}
            count = words if index == 0 else 0
            if encoded:
                summary = {**head, "warnings": list(analysis.warnings), "words": count}
                records.append(_encode(analysis, head, tail, summary, spool))
            else:
                records.append({**head, **analysis.to_dict(), "words": count, **tail})
            del analysis
    except Exception as error:  # noqa: BLE001 - every input gets its record
        failed = error_record(name, error, content_hash(name))
        for record in records if encoded else ():
            if record.path is not None:
                os.remove(record.path)
        return [EncodedRecord(failed, parts=[json.dumps(failed, ensure_ascii=False)]) if encoded else failed]
    return records
