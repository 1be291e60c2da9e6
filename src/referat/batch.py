"""Many files in, records out: one per meeting (or one error record per file), never lost.

`analyse_path` is the one per-file function every engine runs: it reads a file in any
format (referat.io), analyses each meeting it holds in bounded pieces, and turns any failure
into that file's error record (the exception's type and message, no traceback). The local
engine (referat.engines.local) runs it in this process or a pool of worker processes; the
Dask engine (referat.engines.dask) runs the same function on a cluster. Records stream to one writer
(referat.outputs) as they complete.
"""

from __future__ import annotations

import glob
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from referat.engines.local import analyse_files_grouped
from referat.engines.per_file import DEFAULT_MAX_SIZE_MB, EncodedRecord, analyse_path, content_hash, error_record
from referat.errors import ReferatError

__all__ = ["BatchSummary", "expand_inputs", "no_inputs_message", "analyse_files", "analyse_files_grouped",
           "run_batch", "analyse_path", "content_hash", "error_record", "EncodedRecord", "DEFAULT_MAX_SIZE_MB"]


@dataclass
class BatchSummary:
    files: int = 0
    analysed: int = 0
    meetings: int = 0
    warnings: int = 0
    failed: int = 0
    skipped: int = 0
    words: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def all_failed(self) -> bool:
        return self.files > self.skipped and self.failed == self.files - self.skipped

    def count(self, records: list) -> None:
        records = [getattr(record, "summary", record) for record in records]
        if records and "error" in records[0]:
            self.failed += 1
            self.errors.append((records[0]["file"], records[0]["error"]))
            return
        self.analysed += 1
        self.meetings += len(records)
        self.words += records[0].get("words", 0) if records else 0
        self.warnings += sum(1 for record in records if record.get("warnings"))


def suffixes() -> tuple[str, ...]:
    from referat.io.sniff import SUFFIXES

    return SUFFIXES


def expand_inputs(paths: Iterable[str | Path], stdin=None) -> list[str]:
    """Files, folders (searched recursively for every suffix referat reads), glob patterns,
    and "-" for file paths read from standard input (one per line, as `find` prints them),
    in order and without repeats. A path that matches nothing is kept, so its record can
    say so."""
    found: list[str] = []
    known = suffixes()
    for raw in paths:
        if str(raw) == "-":
            stream = stdin if stdin is not None else sys.stdin
            found.extend(line.rstrip("\r\n") for line in stream if line.strip())
            continue
        path = Path(raw)
        if path.is_dir():
            found.extend(str(p) for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() in known)
        elif path.exists() or path.is_symlink():
            found.append(str(path))
        elif glob.has_magic(str(raw)):
            matches = [m for m in sorted(glob.glob(str(raw), recursive=True)) if Path(m).is_file()]
            found.extend(matches or [str(raw)])
        else:
            found.append(str(raw))
    seen: set[str] = set()
    return [name for name in found if not (name in seen or seen.add(name))]


def no_inputs_message(paths: Iterable[str]) -> str:
    return (f"no input files found in {', '.join(map(str, paths))}: folders are searched for "
            f"{', '.join(suffixes())}")


def analyse_files(files: list[str], *, model=None, n_process: int = 1, max_size_mb: float | None = DEFAULT_MAX_SIZE_MB,
                  with_text: bool = False) -> Iterator[dict]:
    """Every record of every file, file by file in input order (with several processes too).
    The pipeline is loaded here once, so a bad model fails before any file is read."""
    yield from (record for records in analyse_files_grouped(files, model=model, n_process=n_process,
                                                            max_size_mb=max_size_mb, with_text=with_text)
                for record in records)


def run_batch(files: list[str], writer, *, model=None, n_process: int = 1, engine: str = "local",
              scheduler: str | None = None, max_size_mb: float | None = DEFAULT_MAX_SIZE_MB,
              with_text: bool = False, done: Callable[[str, str | None], bool] | None = None,
              advance: Callable[[list[dict]], None] | None = None) -> BatchSummary:
    """Analyse every file and write every record, counting what happened. `done(name, hash)`
    says a file is already recorded (resume): it is skipped."""
    summary = BatchSummary(files=len(files))
    todo = files
    if done is not None:
        todo = [name for name in files if not done(name, content_hash(name))]
        summary.skipped = len(files) - len(todo)
        for _ in range(summary.skipped if advance else 0):  # the skipped ones count as done
            advance([])
    if engine == "dask":
        from referat.engines.dask import analyse_files_dask

        grouped = analyse_files_dask(todo, model=model, scheduler=scheduler, n_workers=n_process,
                                     max_size_mb=max_size_mb, with_text=with_text, encoded=True)
    elif engine == "local":
        spool = tempfile.mkdtemp(prefix="referat-records.")  # huge records cross from workers as files
        grouped = analyse_files_grouped(todo, model=model, n_process=n_process, max_size_mb=max_size_mb,
                                        with_text=with_text, encoded=True, spool=spool)
    else:
        raise ReferatError(f"unknown engine {engine!r}: use local or dask")
    try:
        for records in grouped:
            summary.count(records)
            for record in records:
                writer.write(record)
            if advance:
                advance(records)
    finally:  # the pool is left to end with the run: closing it here can wait on a busy worker
        if engine == "local":
            shutil.rmtree(spool, ignore_errors=True)
    return summary
