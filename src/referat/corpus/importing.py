"""Import from annotation tools (doccano, Label Studio): spans to corpus records."""

from __future__ import annotations

import json
import re
from pathlib import Path

from referat.errors import CorpusError
from referat.corpus.schema import (ITEM_PREFIX,
                                   META_FIELDS, UNKNOWN)
from referat.corpus.validate import validate

# --------------------------------------------------------------------------- import / write

_NUMBER = re.compile(r"((?:(?:Punkt|Pkt\.?|Nr\.?)\s*)?\d+[A-Za-z]?)\.?(?:\s*[-–:)]\s*|\s+|$)")


def item_heading(text: str) -> tuple[str | None, str]:
    """(number, title) from the first line of an item span: number is the leading number
    token as printed (``"3"``, ``"Punkt 2"``) or None; title is the rest of that line."""
    stripped = text.strip()
    line = stripped.splitlines()[0].strip() if stripped else ""
    match = _NUMBER.match(line)
    if match and line[match.end():].strip():
        return match.group(1), line[match.end():].strip()
    if match and not line[match.end():].strip():
        return match.group(1), line
    return None, line


def _record_from_spans(record_id: str, text: str, meta: dict | None,
                       spans: list[tuple[int, int, str]], where: str) -> dict:
    from referat.entities.amounts import parse_amount

    meta = meta if isinstance(meta, dict) else {}
    items, entities = [], []
    for start, end, label in spans:
        try:
            start, end = int(start), int(end)
        except (TypeError, ValueError) as error:
            raise CorpusError(f"{where}: span offsets {start!r}:{end!r} are not numbers") from error
        label = str(label)
        if label.startswith(ITEM_PREFIX):
            number, title = item_heading(text[start:end])
            items.append({"start": start, "end": end, "number": number, "title": title,
                          "label": label[len(ITEM_PREFIX):]})
        else:
            value = parse_amount(text[start:end]) if label == "AMOUNT" else None
            entities.append({"start": start, "end": end, "label": label, "value": value})
    return {
        "id": record_id,
        "text": text,
        "meta": {name: str(meta[name]) if meta.get(name) not in (None, "") else UNKNOWN
                 for name in META_FIELDS},
        "items": sorted(items, key=lambda s: (s["start"], s["end"])),
        "entities": sorted(entities, key=lambda s: (s["start"], s["end"], s["label"])),
    }


def _read_doccano(path: Path) -> list[dict]:
    records = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                task = json.loads(line)
            except ValueError as error:
                raise CorpusError(f"{where}: not JSON ({error})") from error
            if not isinstance(task, dict) or not isinstance(task.get("text"), str):
                raise CorpusError(f"{where}: a doccano line needs a 'text' string")
            spans = []
            for span in task.get("label") or []:
                if not isinstance(span, (list, tuple)) or len(span) != 3:
                    raise CorpusError(f"{where}: a doccano label must be [start, end, LABEL]")
                spans.append(tuple(span))
            for span in task.get("entities") or []:
                try:
                    spans.append((span["start_offset"], span["end_offset"], span["label"]))
                except (TypeError, KeyError) as error:
                    raise CorpusError(f"{where}: a doccano entity needs start_offset, end_offset "
                                      f"and label") from error
            meta = task.get("meta") if isinstance(task.get("meta"), dict) else {}
            record_id = task.get("id", meta.get("id"))
            record_id = str(record_id) if record_id not in (None, "") else f"{path.stem}-{number:04d}"
            records.append(_record_from_spans(record_id, task["text"], meta, spans, where))
    return records


def _read_labelstudio(path: Path) -> list[dict]:
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise CorpusError(f"{path}: not a Label Studio JSON export ({error})") from error
    if not isinstance(tasks, list):
        raise CorpusError(f"{path}: a Label Studio JSON export is a list of tasks")
    records = []
    for index, task in enumerate(tasks, start=1):
        where = f"{path}: task {index}"
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise CorpusError(f"{where}: needs data.text")
        spans = []
        annotations = task.get("annotations") or []
        results = annotations[0].get("result") or [] if annotations else []
        for result in results:
            value = result.get("value") if isinstance(result, dict) else None
            if not isinstance(value, dict) or "start" not in value or not value.get("labels"):
                continue  # not a labelled span (e.g. a choice or a relation)
            for label in value["labels"]:
                spans.append((value["start"], value["end"], label))
        meta = data.get("meta") if isinstance(data.get("meta"), dict) else \
            {name: data.get(name) for name in META_FIELDS}
        record_id = data.get("id", task.get("id"))
        record_id = str(record_id) if record_id not in (None, "") else f"{path.stem}-{index:04d}"
        records.append(_record_from_spans(record_id, data["text"], meta, spans, where))
    return records


def import_annotations(path: str | Path, fmt: str) -> list[dict]:
    """Read an export of doccano (JSONL) or Label Studio (JSON) into corpus records.

    A span labelled ``item:<label>`` becomes an item (number and title from the span's
    first line, see `item_heading`); any other label becomes an entity, AMOUNT with its
    value from `parse_amount`, others with value None. Meta fields come from the task's
    ``meta`` (doccano) or ``data.meta`` / ``data`` (Label Studio); missing ones are
    ``"unknown"``. Records are sorted by id (spans by offset) and checked for structure
    (schema and offsets); a structural problem raises CorpusError.
    """
    path = Path(path)
    if not path.is_file():
        raise CorpusError(f"{path}: no such file")
    readers = {"doccano": _read_doccano, "labelstudio": _read_labelstudio}
    if fmt not in readers:
        raise CorpusError(f"unknown annotation format {fmt!r}; use one of {', '.join(readers)}")
    records = sorted(readers[fmt](path), key=lambda r: r["id"])
    broken = [p for p in validate(records) if p.rule in ("schema", "span", "duplicate-id")]
    if broken:
        shown = "\n".join(f"  {p}" for p in broken[:20])
        raise CorpusError(f"{path}: {len(broken)} structural problem(s):\n{shown}")
    return records


