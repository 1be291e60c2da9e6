"""The review export: referat's predictions as Label Studio tasks or doccano rows, to correct.

`records` are referat analysis records (``Analysis.to_dict()`` / batch records) and `texts`
the analysed texts their offsets index into. What is written here is exactly what
`referat.annotations.import_annotations` reads back: offsets, labels and item classes survive
the round trip, and the predictions travel with the task so the import can count what the
annotator changed.

- Label Studio task: ``{"data": {"text", "meeting_id", municipality, committee, date, kind,
  "style": "review", "referat_model": {...}}, "predictions": [{"model_version", "score",
  "result": [...]}]}``; an entity is a ``labels`` region, an item an ``ITEM`` region plus a
  per-region ``choices`` result (same ``id``) holding its class; both carry ``score``.
- doccano row: ``{"text", "label": [[s, e, "L"], [s, e, "item:<class>"]], meeting_id, meta
  fields, "referat_model", "referat_predictions"}`` (doccano keeps the extra keys as metadata
  and spreads them at the top level of its export).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from referat.annotations.labelstudio import ITEM_CHOICES_NAME, SPAN_NAME, TEXT_NAME
from referat.annotations.records import ITEM_PREFIX, ITEM_SPAN
from referat.errors import ReferatError

REVIEW_STYLE = "review"
#: Meta fields a review task carries (style is always `REVIEW_STYLE`).
TASK_META = ("municipality", "committee", "date", "kind")
#: Below this probability an entity counts as low-confidence in `uncertain_first`.
LOW_CONFIDENCE = 0.5
#: Entity labels whose value the pipeline should resolve; an unresolved one is doubtful.
VALUED_LABELS = ("AMOUNT", "PARTY")


def _check(records: list[dict], texts: list[str]) -> None:
    if len(records) != len(texts):
        raise ReferatError(f"{len(records)} record(s) but {len(texts)} text(s): give one text per record")
    for index, (record, text) in enumerate(zip(records, texts)):
        if not isinstance(record, dict) or "error" in record:
            raise ReferatError(f"record {index + 1} is a failed input or not an analysis record")
        if not isinstance(text, str):
            raise ReferatError(f"text {index + 1} is {type(text).__name__}, not str")
        for span in [*(record.get("items") or []), *(record.get("entities") or [])]:
            if not 0 <= span.get("start", -1) < span.get("end", -1) <= len(text):
                raise ReferatError(f"record {index + 1}: span {span.get('start')}:{span.get('end')} lies "
                                   f"outside its text (length {len(text)}); is it the analysed text?")


def meeting_id(record: dict, index: int) -> str:
    """A stable id for a meeting: the file's stem and meeting index, else its metadata."""
    if record.get("id"):
        return str(record["id"])
    if record.get("file"):
        return f"{Path(str(record['file'])).stem}-{int(record.get('meeting_index') or 0)}"
    meeting = record.get("meeting") or {}
    parts = [meeting.get(k) for k in ("municipality", "date", "committee") if meeting.get(k)]
    if parts:
        return re.sub(r"[^\w]+", "-", " ".join(map(str, parts)).lower()).strip("-")
    return f"meeting-{index + 1}"


def _model(model: dict) -> dict:
    if not isinstance(model, dict) or not model.get("name"):
        raise ReferatError("model must be a dict with the pipeline's 'name' and 'version'")
    return {"name": str(model["name"]), "version": str(model.get("version") or "")}


def _top(item: dict) -> float | None:
    scores = item.get("scores") or {}
    return max(scores.values()) if scores else None


def _meta(record: dict, index: int, model: dict) -> dict:
    meeting = record.get("meeting") or {}
    return {"meeting_id": meeting_id(record, index),
            **{k: meeting.get(k) for k in TASK_META if meeting.get(k) not in (None, "")},
            "style": REVIEW_STYLE, "referat_model": model}


def _spans(record: dict) -> list[list]:
    """``[start, end, label]`` of every entity and item (``item:<class>``, or ``ITEM``)."""
    spans = [[e["start"], e["end"], e["label"]] for e in record.get("entities") or []]
    spans += [[i["start"], i["end"], ITEM_PREFIX + i["label"] if i.get("label") else ITEM_SPAN]
              for i in record.get("items") or []]
    return sorted(spans, key=lambda s: (s[0], s[1], s[2]))


def export_labelstudio(records: list[dict], texts: list[str], *, model: dict) -> list[dict]:
    """Label Studio tasks holding the predictions of `model` for each record (see module doc)."""
    _check(records, texts)
    model = _model(model)
    version = f"{model['name']} {model['version']}".strip()
    tasks = []
    for index, (record, text) in enumerate(zip(records, texts)):
        result, tops = [], []
        for number, entity in enumerate(record.get("entities") or []):
            region = {"id": f"e{number}", "from_name": SPAN_NAME, "to_name": TEXT_NAME, "type": "labels",
                      "value": {"start": entity["start"], "end": entity["end"],
                                "text": text[entity["start"]:entity["end"]], "labels": [entity["label"]]}}
            if isinstance(entity.get("score"), (int, float)):
                region["score"] = float(entity["score"])
            result.append(region)
        for number, item in enumerate(record.get("items") or []):
            value = {"start": item["start"], "end": item["end"], "text": text[item["start"]:item["end"]]}
            top = _top(item)
            scored = {} if top is None else {"score": float(top)}
            if top is not None:
                tops.append(top)
            result.append({"id": f"i{number}", "from_name": SPAN_NAME, "to_name": TEXT_NAME,
                           "type": "labels", "value": {**value, "labels": [ITEM_SPAN]}, **scored})
            if item.get("label"):
                result.append({"id": f"i{number}", "from_name": ITEM_CHOICES_NAME, "to_name": TEXT_NAME,
                               "type": "choices", "value": {**value, "choices": [item["label"]]}, **scored})
        prediction = {"model_version": version, "result": result}
        if tops:
            prediction["score"] = float(min(tops))
        tasks.append({"data": {"text": text, **_meta(record, index, model)}, "predictions": [prediction]})
    return tasks


def export_doccano(records: list[dict], texts: list[str], *, model: dict) -> list[dict]:
    """doccano JSONL rows (sequence labelling) pre-filled with the predictions (see module doc)."""
    _check(records, texts)
    model = _model(model)
    rows = []
    for index, (record, text) in enumerate(zip(records, texts)):
        spans = _spans(record)
        rows.append({"text": text, "label": spans, **_meta(record, index, model),
                     "referat_predictions": [list(s) for s in spans]})
    return rows


@dataclass(frozen=True)
class Pick:
    """One thing to review: an item (`item` is its 0-based index) or a whole meeting (None)."""

    record: int         # index into `records`
    item: int | None
    score: float        # items: the top label probability; meetings: low-confidence entities
    reason: str         # "item" or "entities"


def low_confidence(entity: dict, threshold: float = LOW_CONFIDENCE) -> bool:
    """True for an entity with a score below `threshold`, or (no score) an unresolved value."""
    score = entity.get("score")
    if isinstance(score, (int, float)):
        return score < threshold
    return entity.get("label") in VALUED_LABELS and entity.get("value") is None


def uncertain_first(records: list[dict], n: int | None = None, *,
                    threshold: float = LOW_CONFIDENCE) -> list[Pick]:
    """What to review first: the `n` items (all when None) with the lowest top label
    probability, lowest first; then the meetings with low-confidence entities, most first.
    Ties keep the records' order."""
    if n is not None and n < 0:
        raise ReferatError(f"n must be 0 or more, not {n}")
    items = []
    for r, record in enumerate(records):
        if not isinstance(record, dict) or "error" in record:
            continue
        for i, item in enumerate(record.get("items") or []):
            top = _top(item)
            items.append(Pick(r, i, 0.0 if top is None else float(top), "item"))
    items.sort(key=lambda p: (p.score, p.record, p.item))
    meetings = []
    for r, record in enumerate(records):
        if not isinstance(record, dict) or "error" in record:
            continue
        count = sum(1 for e in record.get("entities") or [] if low_confidence(e, threshold))
        if count:
            meetings.append(Pick(r, None, float(count), "entities"))
    meetings.sort(key=lambda p: (-p.score, p.record))
    return items[:n] + meetings if n is not None else items + meetings
