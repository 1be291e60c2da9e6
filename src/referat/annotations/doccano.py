"""doccano: reading its exports (JSONL rows, a JSON list of rows, or the ZIP it downloads).

Row shapes (doccano's exports)::

    {"id": 7, "text": "...", "label": [[0, 5, "PERSON"]], ...meta}       sequence labelling
    {"id": 7, "text": "...", "labels": [[0, 5, "PERSON"]]}                 doccano 1.x
    {"id": 7, "text": "...", "entities": [{"id", "label", "start_offset", "end_offset"}], "relations": []}
    {"id": 7, "text": "...", "entities": [[0, 5, "PERSON"]], "cats": ["bevilling"]}   intent / multi-task
    {"id": 7, "text": "...", "label": ["bevilling"]}  or  "cats": [...]   text classification

The metadata of a row is spread at its top level (``{"id", "text", **meta}``) or kept under
``meta``. A class (``label: ["x"]`` or ``cats``) makes the whole text one item of that class
when the row has no item span. The ZIP holds one JSONL per user (``admin.jsonl``; ``all.jsonl``
when annotation is collaborative; ``unknown.jsonl``): the same example in several files is one
task with one annotation per file (the file's stem names the annotator).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from pathlib import Path

from referat.annotations.records import ITEM_PREFIX, Annotation, Span, Task, pick_meta
from referat.errors import CorpusError

#: Keys of a doccano row that are not metadata.
ROW_KEYS = {"id", "text", "label", "labels", "entities", "cats", "relations", "meta", "Comments",
            "comments", "annotation_approver", "annotations"}
#: Files in a doccano ZIP whose stem is not a user name.
NOT_USERS = {"all", "unknown"}


def _pair_list(value) -> bool:
    return isinstance(value, list) and len(value) == 3 and not isinstance(value[2], (list, dict))


def row_spans(row: dict) -> tuple[list[Span], Counter]:
    """The spans of one doccano row (classes as whole-text items) and the skip reasons."""
    spans, skipped, classes = [], Counter(), []
    for key in ("label", "labels", "entities"):
        for entry in row.get(key) or []:
            if isinstance(entry, str):
                classes.append(entry)
            elif _pair_list(entry):
                spans.append(Span(entry[0], entry[1], str(entry[2])))
            elif isinstance(entry, dict) and "start_offset" in entry:
                spans.append(Span(entry.get("start_offset"), entry.get("end_offset"), str(entry.get("label"))))
            else:
                skipped["span-out-of-range"] += 1
    cats = row.get("cats")
    if isinstance(cats, dict):  # spaCy-style {"label": score}
        classes.extend(label for label, score in cats.items() if isinstance(score, (int, float)) and score >= 0.5)
    elif isinstance(cats, list):
        classes.extend(str(c) for c in cats)
    if row.get("relations"):
        skipped["unsupported-result"] += len(row["relations"])
    if classes:
        text = row.get("text") if isinstance(row.get("text"), str) else ""
        if any(s.label.startswith(ITEM_PREFIX) for s in spans):
            skipped["unmatched-choice"] += len(classes)
        elif len(set(classes)) > 1:
            skipped["multiple-item-labels"] += 1
        else:
            label = classes[0]
            start = len(text) - len(text.lstrip())
            spans.append(Span(start, len(text), label if label.startswith(ITEM_PREFIX) else ITEM_PREFIX + label))
    return spans, skipped


def _key(row: dict, number: int) -> str:
    for name in ("meeting_id", "id"):
        if row.get(name) not in (None, ""):
            return f"{name}={row[name]}"
    return f"text={hash(row.get('text'))}-{number}"


def _meta_sources(row: dict) -> tuple[dict, dict]:
    meta = row.get("meta") if isinstance(row.get("meta"), dict) else {}
    top = {k: v for k, v in row.items() if k not in ROW_KEYS}
    return top, meta


def _predicted(row: dict, meta: dict) -> list[Span] | None:
    predicted = row.get("referat_predictions", meta.get("referat_predictions"))
    model = row.get("referat_model", meta.get("referat_model"))
    if not isinstance(predicted, list) or not isinstance(model, dict):
        return None
    return [Span(p[0], p[1], str(p[2])) for p in predicted if _pair_list(p)]


def read_rows(sources: list[tuple[str, str | None, list]], name: str) -> list[Task]:
    """Tasks from doccano rows: `sources` is ``(file name, annotator or None, rows)`` per file."""
    tasks: dict[str, Task] = {}
    order = 0
    for file_name, user, rows in sources:
        for number, row in enumerate(rows, start=1):
            order += 1
            where = f"{file_name}:{number}"
            if not isinstance(row, dict):
                raise CorpusError(f"{where}: a doccano row is a JSON object, not {type(row).__name__}")
            key = _key(row, number)
            top, meta = _meta_sources(row)
            task = tasks.get(key)
            if task is None:
                text = row.get("text") if isinstance(row.get("text"), str) else None
                record_id = next((str(v) for v in (row.get("meeting_id"), meta.get("meeting_id"), meta.get("id"),
                                                   row.get("id")) if v not in (None, "")), f"{Path(name).stem}-{order:04d}")
                task = tasks[key] = Task(where=where, record_id=record_id, text=text,
                                         meta=pick_meta(top, meta), model=top.get("referat_model"),
                                         predictions=_predicted(row, meta))
            spans, skipped = row_spans(row)
            if not spans and not skipped:
                continue  # doccano exports every example: this user labelled nothing here
            who = {user} if user else set()
            for field in ("annotator", "user", "username"):
                if row.get(field) not in (None, ""):
                    who.add(str(row[field]))
            annotation = Annotation(spans=spans, skipped=skipped, who=frozenset(who), order=order)
            same = next((a for a in task.annotations if sorted(a.spans) == sorted(spans)
                         and a.skipped == skipped), None)
            if same is not None:  # the same work listed twice (e.g. in all.jsonl and admin.jsonl)
                same.who = same.who | annotation.who
                same.order = order
            else:
                task.annotations.append(annotation)
    return list(tasks.values())


def parse_jsonl(text: str, name: str) -> list:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except ValueError as error:
            raise CorpusError(f"{name}:{number}: not JSON ({error})") from error
    return rows


def parse_rows(text: str, name: str) -> list:
    """Rows from a JSONL text, or from a JSON list (doccano's JSON export)."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            rows = json.loads(text)
        except ValueError as error:
            raise CorpusError(f"{name}: not JSON ({error})") from error
        return rows
    return parse_jsonl(text, name)


def read_zip(data: bytes, name: str) -> list[tuple[str, str | None, list]]:
    """``(member name, annotator, rows)`` for each JSON/JSONL file in a doccano ZIP."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise CorpusError(f"{name}: not a ZIP file ({error})") from error
    sources = []
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()
                   and Path(m.filename).suffix.lower() in (".jsonl", ".json")
                   and not Path(m.filename).name.startswith(".")]
        if not members:
            raise CorpusError(f"{name}: the ZIP holds no .jsonl or .json file")
        for member in members:
            where = f"{name}!{member.filename}"
            try:
                text = archive.read(member).decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise CorpusError(f"{where}: not UTF-8 text ({error})") from error
            stem = Path(member.filename).stem
            sources.append((where, None if stem in NOT_USERS else stem, parse_rows(text, where)))
    return sources
