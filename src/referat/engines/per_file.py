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

from referat.analysis import encoded_list, record_json_parts
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


class _RecordWriter:
    """A meeting's items and entities encoded as JSON as they are handed on (see
    referat.api.stream_meetings), each list in memory or, past SPOOL_ABOVE of them together
    and given a spool folder, in a file there; then the record they make."""

    def __init__(self, spool: str | None):
        self.spool = spool
        self.count = 0
        self.lists = {"items": _Encoded(), "entities": _Encoded()}

    def item(self, item) -> None:
        self._add("items", [item])

    def entities(self, entities: list) -> None:
        if entities:
            self._add("entities", entities)

    def _add(self, key: str, values: list) -> None:
        self.lists[key].add(values)
        self.count += len(values)
        if self.spool is not None and self.count > SPOOL_ABOVE:
            for encoded in self.lists.values():
                encoded.to_file(self.spool)

    def record(self, analysis, head: dict, tail: dict, summary: dict) -> EncodedRecord:
        parts = record_json_parts(analysis, head, tail, self.lists["items"].read(), self.lists["entities"].read())
        if self.spool is None or all(encoded.handle is None for encoded in self.lists.values()):
            return EncodedRecord(summary, parts=list(parts))
        descriptor, path = tempfile.mkstemp(prefix="record.", suffix=".json", dir=self.spool)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.writelines(parts)
        return EncodedRecord(summary, path=path)

    def discard(self) -> None:
        for encoded in self.lists.values():
            encoded.close()


class _Encoded:
    """The JSON of one list's values, without its brackets: in pieces, or in a temporary file."""

    def __init__(self):
        self.parts: list[str] = []
        self.handle = None
        self.empty = True

    def add(self, values: list) -> None:
        piece = ("" if self.empty else ", ") + "".join(encoded_list(values))
        self.empty = False
        if self.handle is None:
            self.parts.append(piece)
        else:
            self.handle.write(piece)

    def to_file(self, folder: str) -> None:
        if self.handle is None:
            self.handle = tempfile.TemporaryFile("w+", encoding="utf-8", dir=folder)
            self.handle.writelines(self.parts)
            self.parts = []

    def read(self):
        """The pieces (a file is read in blocks of a megabyte, then closed)."""
        if self.handle is None:
            yield from self.parts
            return
        self.handle.seek(0)
        yield from iter(lambda: self.handle.read(1 << 20), "")
        self.close()

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


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
    from referat.api import hold_zone, iter_analyses, stream_meetings
    from referat.io import read_path

    hold_zone(nlp)  # the words files share are made once per zone, not once per file
    records: list = []
    try:
        path = Path(name)
        check_size(path, max_size_mb)
        document = read_path(path)
        digest = content_hash(name)
        words = word_count(document.text)
        tail = {"text": document.text} if with_text else {}
        if encoded:
            for index, (analysis, run) in enumerate(stream_meetings(nlp, document)):
                head = {"file": name, "meeting_index": index, "content_hash": digest}
                writer = _RecordWriter(spool)
                try:
                    run(writer.item, writer.entities)
                    del run
                    summary = {**head, "warnings": list(analysis.warnings), "words": words if index == 0 else 0}
                    records.append(writer.record(analysis, head, tail, summary))
                finally:
                    writer.discard()
        else:
            for index, analysis in enumerate(iter_analyses(nlp, document)):
                head = {"file": name, "meeting_index": index, "content_hash": digest}
                records.append({**head, **analysis.to_dict(), "words": words if index == 0 else 0, **tail})
    except Exception as error:  # noqa: BLE001 - every input gets its record
        failed = error_record(name, error, content_hash(name))
        for record in records if encoded else ():
            if record.path is not None:
                os.remove(record.path)
        return [EncodedRecord(failed, parts=[json.dumps(failed, ensure_ascii=False)]) if encoded else failed]
    return records
