"""Writing batch records: JSON Lines (a file or standard output), CSV tables and Parquet.

One writer takes every record in the order they complete. A file output is written to a
temporary file beside it and moved into place when the writer closes, so an existing output
is never destroyed before the new run has produced its records; with `resume`, JSON Lines
are appended to the output instead, and `recorded` tells which inputs are already in it.

The tables (CSV and Parquet) have one row per item: file, meeting, number, title, label, top
score, outcome, case number and the sum of the item's amounts; a failed input is one row
with its error. `entities_path` adds a table with one row per entity.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from pathlib import Path

from referat.errors import ReferatError

FORMATS = {".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}
ITEM_COLUMNS = ["file", "meeting_index", "error", "municipality", "committee", "date", "kind", "position",
                "number", "title", "page", "label", "score", "outcome", "case_number", "amount_sum", "entities"]
ENTITY_COLUMNS = ["file", "meeting_index", "date", "committee", "item", "label", "text", "value", "start", "end"]


def output_format(path: str) -> str:
    """The format of an output path by its suffix ("-" is JSON Lines on standard output)."""
    if str(path) == "-":
        return "jsonl"
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ReferatError(f"unknown output suffix {suffix or '(none)'!r} for {path}: use "
                           f"{', '.join(FORMATS)} or - for standard output")
    return FORMATS[suffix]


def recorded(path: str | Path) -> set[tuple[str, str | None]]:
    """(file, content hash) of every input already recorded in a JSON Lines output."""
    done: set[tuple[str, str | None]] = set()
    path = Path(path)
    if not path.exists():
        return done
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a line cut short by an interrupted run: its input is done again
            if isinstance(record, dict) and "file" in record:
                done.add((record["file"], record.get("content_hash")))
    return done


def item_rows(record: dict) -> list[dict]:
    """The table rows of one record: one per item (or one for a failed or empty meeting)."""
    meeting = record.get("meeting") or {}
    base = {"file": record.get("file"), "meeting_index": record.get("meeting_index", 0),
            "error": record.get("error"), **{key: meeting.get(key) for key in ("municipality", "committee", "date", "kind")}}
    items = record.get("items") or []
    if not items:
        return [{**{column: None for column in ITEM_COLUMNS}, **base}]
    amounts: dict[int, float] = {}
    counts: dict[int, int] = {}
    for entity in record.get("entities") or []:
        position = entity.get("item")
        if position is None:
            continue
        counts[position] = counts.get(position, 0) + 1
        if entity.get("label") == "AMOUNT" and isinstance(entity.get("value"), (int, float)):
            amounts[position] = amounts.get(position, 0) + entity["value"]
    rows = []
    for position, item in enumerate(items, start=1):
        scores = item.get("scores") or {}
        decisions = item.get("decisions") or []
        rows.append({**base, "position": position, "number": item.get("number"), "title": item.get("title"),
                     "page": item.get("page"), "label": item.get("label"),
                     "score": scores.get(item.get("label")) if item.get("label") else None,
                     "outcome": decisions[-1].get("outcome") if decisions else None,
                     "case_number": item.get("case_number"), "amount_sum": amounts.get(position),
                     "entities": counts.get(position, 0)})
    return rows


def entity_rows(record: dict) -> list[dict]:
    meeting = record.get("meeting") or {}
    return [{"file": record.get("file"), "meeting_index": record.get("meeting_index", 0),
             "date": meeting.get("date"), "committee": meeting.get("committee"), "item": entity.get("item"),
             "label": entity.get("label"), "text": entity.get("text"),
             "value": None if entity.get("value") is None else str(entity["value"]),
             "start": entity.get("start"), "end": entity.get("end")}
            for entity in record.get("entities") or []]


_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _umask() -> int:
    """The process's umask (reading it means setting it; it is put back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class RecordWriter:
    """Writes records to `path` in the format its suffix names ("-": JSON Lines to stdout)."""

    def __init__(self, path: str | Path, *, resume: bool = False, entities_path: str | Path | None = None):
        self.path = str(path)
        self.format = output_format(self.path)
        if resume and self.format != "jsonl":
            raise ReferatError("--resume works with a JSON Lines output (.jsonl)")
        if resume and self.path == "-":
            raise ReferatError("--resume needs an output file, not standard output")
        self.resume = resume
        self.count = 0
        self._rows: list[dict] = []
        self._entity_rows: list[dict] = []
        self.entities_path = str(entities_path) if entities_path else None
        if self.entities_path:
            output_format(self.entities_path)
        self._temporary: str | None = None
        self._created = False
        if self.path == "-":
            self.handle = sys.stdout
        elif resume:
            self.handle = open(self.path, "a+", encoding="utf-8", newline="")
            if self.handle.tell() > 0:  # a line cut short by an interrupted run stays a line of its own
                self.handle.seek(self.handle.tell() - 1)
                if self.handle.read(1) != "\n":
                    self.handle.write("\n")
        else:
            folder = Path(self.path).resolve().parent
            if not folder.is_dir():
                raise ReferatError(f"cannot write {self.path}: the folder {folder} does not exist")
            if os.path.exists(self.path) or self.format == "parquet":
                # an existing output is replaced only once the run is over: until then it stays
                descriptor, self._temporary = tempfile.mkstemp(prefix=f".{Path(self.path).name}.",
                                                               suffix=".partial", dir=folder)
                self.handle = os.fdopen(descriptor, "w", encoding="utf-8", newline="")
            else:  # a new output is written in place, so a killed run leaves what it did for --resume
                self.handle = open(self.path, "x", encoding="utf-8", newline="")
                self._created = True
        self.csv = None
        if self.format == "csv":
            self.csv = csv.DictWriter(self.handle, fieldnames=ITEM_COLUMNS)
            self.csv.writeheader()

    def write(self, record) -> None:
        """Write one record: a dict, or an EncodedRecord (referat.engines.per_file), whose JSON
        line is written as it is (and read back only for a table)."""
        self.count += 1
        if hasattr(record, "write_to"):
            if self.format == "jsonl" and not self.entities_path:
                record.write_to(self.handle)
                self.handle.write("\n")
                self.handle.flush()
                return
            record = record.to_dict()
        if self.entities_path:
            self._entity_rows.extend(entity_rows(record))
        if self.format == "jsonl":
            record = {key: value for key, value in record.items() if key != "words"}
            for chunk in _ENCODER.iterencode(record):  # a record of a huge file is not one huge string
                self.handle.write(chunk)
            self.handle.write("\n")
            self.handle.flush()
        elif self.format == "csv":
            self.csv.writerows(item_rows(record))
            self.handle.flush()
        else:
            self._rows.extend(item_rows(record))

    def close(self) -> None:
        """Finish the output and move it into place (also after an interruption: what was
        done is kept, and --resume finishes the rest)."""
        if self.format == "parquet":
            _write_parquet(self._rows, ITEM_COLUMNS, self._temporary or self.path)
        if self.handle is not sys.stdout:
            self.handle.close()
        else:
            self.handle.flush()
        if self._temporary:
            os.chmod(self._temporary, 0o666 & ~_umask())  # mkstemp makes it private; the output is not
            os.replace(self._temporary, self.path)
            self._temporary = None
        if self.entities_path:
            _write_table(self._entity_rows, ENTITY_COLUMNS, self.entities_path)

    def discard(self) -> None:
        """Drop a temporary output (the run failed before any record)."""
        if self.handle is not sys.stdout:
            self.handle.close()
        if self._temporary and os.path.exists(self._temporary):
            os.remove(self._temporary)
        self._temporary = None
        if self._created and self.count == 0 and os.path.exists(self.path):
            os.remove(self.path)  # the new, still empty output of a run that failed at once

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if kind is not None and kind is not KeyboardInterrupt and self.count == 0:
            self.discard()
        else:
            self.close()


def _write_table(rows: list[dict], columns: list[str], path: str) -> None:
    if output_format(path) == "parquet":
        _write_parquet(rows, columns, path)
        return
    with open(path, "w", encoding="utf-8", newline="") as handle:
        if output_format(path) == "csv":
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        else:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _write_parquet(rows: list[dict], columns: list[str], path: str) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as error:  # pragma: no cover - pyarrow comes with the [train] extra
        raise ReferatError("writing Parquet needs pyarrow: python -m pip install pyarrow") from error
    table = pa.Table.from_pylist([{column: row.get(column) for column in columns} for row in rows],
                                 schema=None) if rows else pa.table({column: [] for column in columns})
    pq.write_table(table, path)
