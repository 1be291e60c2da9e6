"""Loading corpora: JSON Lines files and folders, or a Hugging Face dataset, with `datasets`."""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import logging
import re
import tempfile
from pathlib import Path
from typing import Any, Iterable

from referat.errors import CorpusError
from referat.corpus.schema import (DECISIONS_FIELD, META_FIELDS, RECORD_FIELDS, _features)

log = logging.getLogger("referat.corpus")

# --------------------------------------------------------------------------- loading

_DATE_AS_TIMESTAMP = re.compile(r"(\d{4}-\d{2}-\d{2})[ T]00:00:00")


def _decode_value(label: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        try:  # JSON text (string column, or a JSON feature that was not decoded)
            value = json.loads(value)
        except ValueError:
            pass
    if value is None:
        return None
    if label == "AMOUNT":
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _decode_item(item: dict) -> dict:
    """An item row: its decisions decoded from JSON text, and dropped where the row had none."""
    item = dict(item)
    decisions = item.pop(DECISIONS_FIELD, None)
    if isinstance(decisions, str):
        decisions = json.loads(decisions)
    if decisions is not None:
        item[DECISIONS_FIELD] = decisions
    return item


def record_from_row(row: dict) -> dict:
    """One dataset row (as `datasets` gives it) → one corpus record (see the module docstring)."""
    record = {name: row.get(name) for name in RECORD_FIELDS}
    meta = record["meta"]
    if isinstance(meta, dict):
        meta = dict(meta)
        date = meta.get("date")
        if isinstance(date, str) and _DATE_AS_TIMESTAMP.fullmatch(date):
            meta["date"] = date[:10]
        elif isinstance(date, (_dt.date, _dt.datetime)):
            meta["date"] = date.strftime("%Y-%m-%d")
        record["meta"] = meta
    if isinstance(record["items"], list):
        record["items"] = [_decode_item(item) if isinstance(item, dict) else item for item in record["items"]]
    if isinstance(record["entities"], list):
        entities = []
        for entity in record["entities"]:
            if isinstance(entity, dict):
                entity = dict(entity)
                entity["value"] = _decode_value(entity.get("label"), entity.get("value"))
            entities.append(entity)
        record["entities"] = entities
    return record


def _encode_row(record: dict) -> dict:
    import datasets

    row = {name: record.get(name) for name in RECORD_FIELDS}
    row["items"] = [{**item, DECISIONS_FIELD: item.get(DECISIONS_FIELD)} for item in row["items"] or []]
    if hasattr(datasets, "Json"):
        return row
    row["items"] = [{**item, DECISIONS_FIELD: None if item[DECISIONS_FIELD] is None
                     else json.dumps(item[DECISIONS_FIELD], ensure_ascii=False)} for item in row["items"]]
    row["entities"] = [{**entity, "value": None if entity.get("value") is None
                        else json.dumps(entity["value"], ensure_ascii=False)}
                       for entity in row["entities"] or []]
    return row


def to_dataset(records: Iterable[dict]):
    """Records → a `datasets.Dataset` with `FEATURES` (e.g. to `push_to_hub` a corpus)."""
    import datasets

    return datasets.Dataset.from_list([_encode_row(r) for r in records], features=_features())


@contextlib.contextmanager
def _cache(cache_dir):
    if cache_dir is not None:
        yield str(cache_dir)
        return
    with tempfile.TemporaryDirectory(prefix="referat-corpus-") as tmp:
        yield tmp


@contextlib.contextmanager
def _quiet_datasets():
    import datasets

    enabled = datasets.is_progress_bar_enabled()
    verbosity = datasets.logging.get_verbosity()
    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    try:
        yield
    finally:
        datasets.logging.set_verbosity(verbosity)
        if enabled:
            datasets.enable_progress_bars()


def _first_line(error: BaseException) -> str:
    cause = error.__cause__ if error.__cause__ is not None else error
    text = str(cause).strip() or type(cause).__name__
    lines = text.splitlines()
    return lines[0] if len(lines) == 1 else lines[0] + " ..."


def _load_file(path: Path, cache_dir: str) -> list[dict]:
    import datasets

    try:
        if not path.read_bytes().strip():
            return []
    except OSError as error:
        raise CorpusError(f"{path}: cannot read the file ({error.strerror or error})") from error
    try:
        if hasattr(datasets, "Json"):
            dataset = datasets.load_dataset("json", data_files=[str(path)], features=_features(),
                                            cache_dir=cache_dir, split="train")
        else:  # JSON values go into string columns: encode them before `datasets` sees them
            lines = path.read_text(encoding="utf-8").splitlines()
            dataset = to_dataset(json.loads(line) for line in lines if line.strip())
    except Exception as error:  # datasets raises many kinds; every one means this file is bad
        raise CorpusError(
            f"{path}: not a corpus JSON Lines file ({_first_line(error)}). Each line must be one "
            f"meeting with exactly the fields id, text, meta ({', '.join(META_FIELDS)}), items and "
            f"entities (see corpus/README.md); `referat corpus validate` on the fixed file checks it."
        ) from error
    return [record_from_row(row) for row in dataset]


def _looks_like_dataset_name(name: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z0-9][\w.\-]*(/[A-Za-z0-9][\w.\-]*)?", name)) \
        and not name.endswith((".jsonl", ".json"))


def load_corpus(source: str | Path, *, cache_dir: str | Path | None = None,
                split: str = "train") -> list[dict]:
    """Load annotated meetings from a .jsonl file, a folder or a Hugging Face dataset name.

    - a ``.jsonl`` file (any existing file): its lines;
    - a folder: every ``*.jsonl`` file directly in it, in sorted order;
    - anything that is not an existing path: ``datasets.load_dataset(source, split=split)``.

    Local files go through ``datasets.load_dataset("json", data_files=..., features=FEATURES)``;
    nothing is downloaded for them. `cache_dir` is where `datasets` keeps its Arrow cache; by
    default a temporary folder, removed afterwards (never the user's home). Raises
    `CorpusError` for a missing path, a folder without .jsonl files, a file that is not
    corpus JSON Lines (naming the file), or a dataset name that cannot be loaded.
    """
    path = Path(source)
    with _cache(cache_dir) as cache, _quiet_datasets():
        if path.is_file():
            return _load_file(path, cache)
        if path.is_dir():
            files = sorted(p for p in path.glob("*.jsonl") if p.is_file())
            if not files:
                raise CorpusError(f"{path}: the folder holds no *.jsonl files; build one with "
                                  f"`referat corpus build corpus/source --out {path / 'meetings.jsonl'}`")
            return [record for file in files for record in _load_file(file, cache)]
        name = str(source)
        if not _looks_like_dataset_name(name):
            raise CorpusError(f"{name}: no such file or folder (give a .jsonl file, a folder of "
                              f".jsonl files, or a Hugging Face dataset name like 'owner/name')")
        import datasets

        try:
            dataset = datasets.load_dataset(name, split=split, cache_dir=cache)
        except Exception as error:
            raise CorpusError(
                f"{name}: neither an existing file or folder nor a dataset that could be loaded "
                f"({type(error).__name__}: {_first_line(error)}). Check the path, or the dataset "
                f"name and your network access."
            ) from error
        return [record_from_row(row) for row in dataset]


