"""Indexing files into the archive: skip what is current, analyse the rest (in worker
processes when asked), and write each file's records from this one process.

A file is current when its sha256 is in the archive, analysed without error by the same
model (name and version): it is not analysed again. A file whose bytes changed has its old
rows replaced in the same transaction that writes the new ones, so a run that is stopped
leaves every file either as it was or fully written, and running again finishes the rest.
"""

from __future__ import annotations

import json
import types
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from referat.archive import store
from referat.archive.schema import open_archive

Analyse = Callable[[list[str]], Iterable[dict]]


@dataclass
class IndexSummary:
    added: int = 0
    replaced: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def files(self) -> int:
        return self.added + self.replaced + self.skipped + self.failed


def _expand(paths: list[str]) -> list[str]:
    from referat import batch

    expand = getattr(batch, "expand_inputs", None)
    return list(expand(paths)) if expand else [str(p) for p in paths]


def model_identity(model=None) -> dict | None:
    """{"name", "version"} of the pipeline `referat.batch.analyse_files(model=...)` would use,
    read from its meta.json without loading it (so a run with nothing to do loads no
    model); None when it cannot be told without loading."""
    from spacy.language import Language

    from referat import api

    if isinstance(model, Language):
        return api.model_info(model)
    path = Path(model) if model is not None else api.default_model_path()
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return api.model_info(types.SimpleNamespace(meta=meta))


def _default_analyse(model, n_process: int) -> Analyse:
    from referat.batch import analyse_files

    def analyse(files: list[str]) -> Iterable[dict]:
        return analyse_files(files, model=model, n_process=n_process, with_text=True)

    return analyse


def _grouped(records: Iterable[dict]) -> Iterator[tuple[str, list[dict]]]:
    """(file, its records) for consecutive records of the same file."""
    current, group = None, []
    for record in records:
        name = record.get("file")
        if group and name != current:
            yield current, group
            group = []
        current = name
        group.append(record)
    if group:
        yield current, group


def index_paths(paths: list[str], db: str | Path, *, analyse: Analyse | None = None, model=None,
                n_process: int = 1, progress: Callable[[int, int], None] | None = None) -> IndexSummary:
    """Index files, folders and glob patterns into the archive at `db` (made if missing).

    `analyse(files)` yields records (several per file where a file holds several meetings,
    told apart by "meeting_index"; {"file", "error"} for a file that failed); the default
    is `referat.batch.analyse_files(model=model, n_process=n_process, with_text=True)`.
    With a custom `analyse` the model is unknown before analysis, so a file is current when
    its bytes are in the archive at all. `progress(done, total)` is called after each file.
    """
    files = _expand(list(paths))
    conn = open_archive(db, create=True)
    summary = IndexSummary()
    total, done = len(files), 0

    def advance() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    try:
        identity = model_identity(model) if analyse is None else None
        known_model = analyse is not None or identity is not None
        hashes: dict[str, str | None] = {}
        todo: list[str] = []
        for name in files:
            hashes[name] = store.file_hash(name)
            if known_model and store.is_current(conn, hashes[name], identity):
                summary.skipped += 1
                advance()
            else:
                todo.append(name)
        if not todo:
            return summary
        run = analyse or _default_analyse(model, n_process)
        written: set[str] = set()
        for name, records in _grouped(run(todo)):
            key = str(Path(name).resolve()) if name else name
            content_hash = hashes.get(name) if name in hashes else store.file_hash(name)
            if name in written:  # a file's records that came apart: keep the first group
                continue
            outcome = store.write_document(conn, key, content_hash, records)
            written.add(name)
            if outcome == store.FAILED:
                summary.failed += 1
                summary.errors.append((name, next(r["error"] for r in records if r.get("error"))))
            elif outcome == store.REPLACED:
                summary.replaced += 1
            else:
                summary.added += 1
            advance()
    finally:
        conn.close()
    return summary
