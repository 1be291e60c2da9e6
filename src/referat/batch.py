"""Many files in, one record each out: streaming, processes, errors recorded, never raised.

Every input file gets exactly one record: the analysis plus "file", or "file" and
"error" when the file cannot be read as text, or the analysis with a "warning" when the
text holds no agenda items. The run goes on past bad files.
"""

from __future__ import annotations

import csv
import glob
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from referat.analysis import Analysis
from referat.api import load, make_doc, model_info
from referat.errors import ReferatError
from referat.textfile import read_text

TEXT_SUFFIXES = (".txt", ".text", ".md")


@dataclass
class BatchSummary:
    files: int = 0
    analysed: int = 0
    warnings: int = 0
    failed: int = 0
    words: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def all_failed(self) -> bool:
        return self.files > 0 and self.failed == self.files


def expand_inputs(paths: Iterable[str | Path], suffixes: tuple[str, ...] = TEXT_SUFFIXES) -> list[str]:
    """Files, folders (searched recursively for text files) and glob patterns, in order.
    A path that matches nothing is kept, so its record can say so."""
    found: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(str(p) for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() in suffixes)
        elif path.exists():
            found.append(str(path))
        elif glob.has_magic(str(raw)):
            matches = [m for m in sorted(glob.glob(str(raw), recursive=True)) if Path(m).is_file()]
            found.extend(matches or [str(raw)])
        else:
            found.append(str(raw))
    seen: set[str] = set()
    return [name for name in found if not (name in seen or seen.add(name))]


def _record(analysis: Analysis, name: str) -> dict:
    """The analysis as one batch record: "file" first, and a "warning" where it has one."""
    record = {"file": name, **analysis.to_dict()}
    record.pop("warnings", None)
    if analysis.warnings:
        record["warning"] = "; ".join(analysis.warnings)
    return record


def _read(name: str) -> tuple[str | None, dict | None]:
    """(text, None) for a readable file, (None, error record) otherwise."""
    try:
        text, _ = read_text(name)
    except (ReferatError, OSError) as error:
        message = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        return None, {"file": name, "error": f"{type(error).__name__}: {message}"}
    return text, None


def _analysed(doc, name: str, words: int, info: dict) -> dict:
    analysis = Analysis.from_doc(doc)
    analysis.model = info
    record = _record(analysis, name)
    record["words"] = words
    return record


# the pipeline a worker process applies (set once per worker by _start_worker)
_WORKER_NLP = None


def _start_worker(model) -> None:
    global _WORKER_NLP
    _WORKER_NLP = load(model)


def _pipe_files(nlp, names: list[str], batch_size: int) -> Iterator[dict]:
    """One record per file, in order: texts stream through `nlp.pipe` in batches, and a file
    that cannot be read gets its error record in its place."""
    info = model_info(nlp)
    pending: list[dict | None] = []  # records in input order; None where a text is in the pipe

    def readable() -> Iterator[tuple]:
        for name in names:
            text, failure = _read(name)
            pending.append(failure)
            if failure is None:
                yield make_doc(nlp, text), (name, len(text.split()))

    done = 0
    for doc, (name, words) in nlp.pipe(readable(), as_tuples=True, batch_size=batch_size):
        while pending[done] is not None:  # failures read before this text
            yield pending[done]
            done += 1
        yield _analysed(doc, name, words, info)
        done += 1
    yield from pending[done:]


def _work(names: list[str]) -> list[dict]:
    """A worker's task: a few files, start to end, returned as finished records (small), not
    Docs (large), so the main process has little to do."""
    return list(_pipe_files(_WORKER_NLP, names, len(names)))


def analyse_files(files: list[str], *, model=None, n_process: int = 1, batch_size: int = 8) -> Iterator[dict]:
    """Yield one record per file, in input order. Unreadable files give an error record.
    With one process the texts stream through `nlp.pipe`; with more, a pool of worker
    processes each takes `batch_size` files at a time and sends back finished records."""
    nlp = load(model)  # loaded here once: forked workers inherit it (a bad model fails here, not in them)
    if n_process > 1 and len(files) > 1:
        import multiprocessing

        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        tasks = [files[i:i + batch_size] for i in range(0, len(files), batch_size)]
        with context.Pool(n_process, initializer=_start_worker, initargs=(model,)) as pool:
            for records in pool.imap(_work, tasks):
                yield from records
        return
    yield from _pipe_files(nlp, files, batch_size)


CSV_FIELDS = ["file", "error", "warning", "municipality", "committee", "date", "time", "place", "kind",
              "members", "absent", "items", "labels", "entities"]


def _csv_row(record: dict) -> dict:
    meeting = record.get("meeting") or {}
    items = record.get("items") or []
    people = lambda group: "; ".join(  # noqa: E731
        f"{m['name']} ({m['party']})" if m.get("party") else m["name"] for m in meeting.get(group, []))
    labels = Counter(item.get("label") for item in items if item.get("label"))
    return {
        "file": record["file"], "error": record.get("error", ""), "warning": record.get("warning", ""),
        **{key: meeting.get(key) or "" for key in ("municipality", "committee", "date", "time", "place", "kind")},
        "members": people("members"), "absent": people("absent"),
        "items": len(items) if "error" not in record else "",
        "labels": "; ".join(f"{label}: {count}" for label, count in sorted(labels.items())),
        "entities": len(record.get("entities") or []) if "error" not in record else "",
    }


class RecordWriter:
    """Writes records as JSON Lines or CSV, chosen by the output file's suffix."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.format = "csv" if self.path.suffix.lower() == ".csv" else "jsonl"
        self.handle = open(self.path, "w", encoding="utf-8", newline="")
        self.csv = csv.DictWriter(self.handle, fieldnames=CSV_FIELDS) if self.format == "csv" else None
        if self.csv:
            self.csv.writeheader()

    def write(self, record: dict) -> None:
        if self.csv:
            self.csv.writerow(_csv_row(record))
        else:
            record = {key: value for key, value in record.items() if key != "words"}
            self.handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.handle.flush()

    def close(self) -> None:
        self.handle.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def run_batch(files: list[str], writer: RecordWriter, *, model=None, n_process: int = 1,
              batch_size: int = 8, advance: Callable[[dict], None] | None = None) -> BatchSummary:
    """Analyse every file, write every record, and count what happened."""
    summary = BatchSummary(files=len(files))
    for record in analyse_files(files, model=model, n_process=n_process, batch_size=batch_size):
        if "error" in record:
            summary.failed += 1
            summary.errors.append((record["file"], record["error"]))
        else:
            summary.analysed += 1
            summary.words += record.get("words", 0)
            summary.warnings += "warning" in record
        writer.write(record)
        if advance:
            advance(record)
    return summary
