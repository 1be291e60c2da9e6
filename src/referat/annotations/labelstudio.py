"""Label Studio: reading its JSON export (tasks) and JSON_MIN export, and the labelling config.

Task format (Label Studio's docs)::

    {"id": 1, "data": {"text": "...", ...}, "annotations": [{"id", "completed_by", "was_cancelled",
     "result": [{"id", "from_name", "to_name", "type": "labels" | "choices",
                 "value": {"start", "end", "text", "labels": [...]} | {"choices": [...]}}],
     "created_at", "updated_at"}], "predictions": [...]}

Before Label Studio 1.0 ``annotations`` was called ``completions``. JSON_MIN is one flat row
per annotation: the task's data fields at the top level, ``"<from_name>": [{"start", "end",
"text", "labels"}]``, ``"<choices name>": "x"`` or ``[...]``, and ``annotator``,
``annotation_id``, ``created_at``, ``updated_at``, ``lead_time``.

Item classes are read in three forms: a span labelled ``item:<label>``; a span region
labelled ``ITEM`` with a per-region ``choices`` result (same region ``id``); a
document-level choice when the task has no item region (the whole text is one item).
"""

from __future__ import annotations

from collections import Counter
from xml.etree import ElementTree as ET

from referat.annotations.records import (
    ENTITY_LABELS,
    ITEM_LABELS,
    ITEM_PREFIX,
    ITEM_SPAN,
    Annotation,
    Span,
    Task,
    pick_meta,
)

#: Names in the labelling config; the export writes them and `labelstudio_config` declares them.
SPAN_NAME = "label"
TEXT_NAME = "text"
ITEM_CHOICES_NAME = "item_label"

_SPAN_TYPES = {"labels", "hypertextlabels", "paragraphlabels"}
_MIN_RESERVED = {"id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time",
                 "agreement", "history", "annotators", "drafts", "predictions"}


def _who(completed_by) -> frozenset[str]:
    if isinstance(completed_by, dict):
        return frozenset(str(completed_by[k]) for k in ("id", "email", "username")
                         if completed_by.get(k) not in (None, ""))
    return frozenset() if completed_by in (None, "") else frozenset({str(completed_by)})


def _whole_item(text: str, label: str) -> Span:
    start = len(text) - len(text.lstrip())
    return Span(start, len(text), ITEM_PREFIX + label)


def results_to_spans(results: list, text: str) -> tuple[list[Span], Counter]:
    """Spans and skip reasons from one annotation's (or prediction's) ``result`` list."""
    spans, skipped = [], Counter()
    regions: dict[str, dict] = {}      # region id -> {"labels": [...], "value": ..., "choices": [...]}
    loose_choices = []
    for number, result in enumerate(results or []):
        if not isinstance(result, dict) or not isinstance(result.get("value"), dict):
            skipped["unsupported-result"] += 1
            continue
        value = result["value"]
        kind = str(result.get("type") or "").lower()
        if not kind:
            kind = "labels" if "labels" in value else "choices" if "choices" in value else ""
        region_id = str(result.get("id", f"#{number}"))
        if kind in _SPAN_TYPES and "start" in value:
            region = regions.setdefault(region_id, {"labels": [], "choices": []})
            region["labels"].extend(value.get(kind) or value.get("labels") or [])
            region["value"] = value
        elif kind == "choices":
            choices = list(value.get("choices") or [])
            if "start" in value or region_id in regions or any(
                    str(r.get("id")) == region_id and "start" in (r.get("value") or {})
                    for r in results if isinstance(r, dict) and r is not result):
                region = regions.setdefault(region_id, {"labels": [], "choices": []})
                region["choices"].extend(choices)
                region.setdefault("value", value)
            else:
                loose_choices.extend(choices)
        else:
            skipped["unsupported-result"] += 1
    has_item_region = False
    for region in regions.values():
        value = region["value"]
        if "start" not in value:
            skipped["unmatched-choice"] += len(region["choices"])
            continue
        start, end, surface = value.get("start"), value.get("end"), value.get("text")
        item_choices = region["choices"]
        entity_labels = [l for l in region["labels"] if l != ITEM_SPAN]
        if region["choices"] or ITEM_SPAN in region["labels"]:
            has_item_region = True
            if len(item_choices) > 1:
                skipped["multiple-item-labels"] += 1
            else:
                label = ITEM_PREFIX + item_choices[0] if item_choices else ITEM_SPAN
                spans.append(Span(start, end, label, surface))
        for label in entity_labels:
            if str(label).startswith(ITEM_PREFIX):
                has_item_region = True
            spans.append(Span(start, end, str(label), surface))
    if loose_choices:
        if has_item_region:
            skipped["unmatched-choice"] += len(loose_choices)
        elif len(loose_choices) > 1:
            skipped["multiple-item-labels"] += 1
        else:
            spans.append(_whole_item(text, loose_choices[0]))
    return spans, skipped


def _task_text(data: dict) -> str | None:
    if isinstance(data.get("text"), str):
        return data["text"]
    strings = [v for v in data.values() if isinstance(v, str)]
    return max(strings, key=len) if strings else None


def _record_id(data: dict, task_id, fallback: str) -> str:
    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    for value in (data.get("meeting_id"), meta.get("meeting_id"), data.get("id"), meta.get("id"), task_id):
        if value not in (None, ""):
            return str(value)
    return fallback


def _predictions(task: dict, data: dict, text: str) -> list[Span] | None:
    model = data.get("referat_model")
    predictions = task.get("predictions") or []
    if not isinstance(model, dict) or not predictions:
        return None
    version = f"{model.get('name')} {model.get('version')}"
    chosen = next((p for p in predictions if isinstance(p, dict) and p.get("model_version") == version),
                  predictions[0])
    if not isinstance(chosen, dict):
        return None
    spans, _ = results_to_spans(chosen.get("result") or [], text)
    return spans


def read_tasks(tasks: list, name: str) -> list[Task]:
    """Tasks from Label Studio's JSON export (a list of tasks with ``data`` and ``annotations``)."""
    out = []
    for index, task in enumerate(tasks, start=1):
        where = f"{name}: task {task.get('id', index) if isinstance(task, dict) else index}"
        data = task.get("data") if isinstance(task, dict) else None
        data = data if isinstance(data, dict) else {}
        text = _task_text(data)
        meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
        record = Task(where=where, record_id=_record_id(data, task.get("id") if isinstance(task, dict) else None,
                                                        f"{name}-{index:04d}"),
                      text=text, meta=pick_meta(data, meta), model=data.get("referat_model"))
        if not isinstance(task, dict):
            out.append(record)
            continue
        annotations = task.get("annotations")
        if annotations is None:
            annotations = task.get("completions")  # Label Studio before 1.0
        for order, annotation in enumerate(annotations or []):
            if not isinstance(annotation, dict):
                continue
            if annotation.get("was_cancelled"):
                record.cancelled += 1
                continue
            spans, skipped = results_to_spans(annotation.get("result") or [], text or "")
            record.annotations.append(Annotation(
                spans=spans, skipped=skipped, order=order, who=_who(annotation.get("completed_by")),
                when=annotation.get("updated_at") or annotation.get("created_at")))
        if text is not None:
            record.predictions = _predictions(task, data, text)
        out.append(record)
    return out


def _is_region_list(value) -> bool:
    return isinstance(value, list) and bool(value) and all(
        isinstance(v, dict) and "start" in v and "end" in v for v in value)


def _is_choice(value, item_labels: set[str]) -> bool:
    values = value if isinstance(value, list) else [value]
    return bool(values) and all(isinstance(v, str) and v in item_labels for v in values)


def _min_results(row: dict, item_labels: set[str]) -> tuple[list, list[str], set[str]]:
    """Results (task-format) rebuilt from a JSON_MIN row, the loose choices, the keys used."""
    results, loose, used = [], [], set()
    for key, value in row.items():
        if key in _MIN_RESERVED:
            continue
        if _is_region_list(value):
            used.add(key)
            for number, region in enumerate(value):
                if "choices" in region:
                    results.append({"id": f"{key}-{number}", "type": "choices", "value": region})
                else:
                    results.append({"id": f"{key}-{number}", "type": "labels", "value": region})
        elif _is_choice(value, item_labels):
            used.add(key)
            loose.extend(value if isinstance(value, list) else [value])
    return results, loose, used


def read_min(rows: list, name: str, item_labels: set[str] | None = None) -> list[Task]:
    """Tasks from Label Studio's JSON_MIN export: one row per annotation, grouped by task id.

    A choice whose value is an item label is an item class: per region when the row has
    as many bare ``ITEM`` regions as choices (paired in order, as JSON_MIN loses the region
    of a per-region choice), else for the whole task.
    """
    item_labels = set(ITEM_LABELS) if item_labels is None else set(item_labels)
    tasks: dict[str, Task] = {}
    for index, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            continue
        task_key = str(row.get("id", f"row-{index}"))
        results, loose, used = _min_results(row, item_labels)
        data = {k: v for k, v in row.items() if k not in used and k not in _MIN_RESERVED}
        text = _task_text(data)
        task = tasks.get(task_key)
        if task is None:
            meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
            task = tasks[task_key] = Task(
                where=f"{name}: task {row.get('id', index)}",
                record_id=_record_id(data, row.get("id"), f"{name}-{index:04d}"),
                text=text, meta=pick_meta(data, meta), model=data.get("referat_model"))
        spans, skipped = results_to_spans(results, text or "")
        bare = [i for i, s in enumerate(spans) if s.label == ITEM_SPAN]
        if loose and len(loose) == len(bare):
            for position, choice in zip(bare, loose):
                spans[position] = spans[position]._replace(label=ITEM_PREFIX + choice)
        elif loose and not bare and not any(s.label.startswith(ITEM_PREFIX) for s in spans) and len(loose) == 1:
            spans.append(_whole_item(text or "", loose[0]))
        elif loose:
            skipped["unmatched-choice"] += len(loose)
        if spans or skipped:
            task.annotations.append(Annotation(
                spans=spans, skipped=skipped, order=index, who=_who(row.get("annotator")),
                when=row.get("updated_at") or row.get("created_at")))
    return list(tasks.values())


def looks_like_min(rows: list) -> bool:
    """True when a JSON list holds JSON_MIN rows rather than tasks or doccano rows."""
    for row in rows:
        if not isinstance(row, dict):
            continue
        if "data" in row and ("annotations" in row or "completions" in row or "predictions" in row):
            return False
        if {"annotation_id", "lead_time", "annotator"} & set(row):
            return True
        if any(_is_region_list(v) for v in row.values()):
            return True
    return False


def labelstudio_config() -> str:
    """The labelling config (XML) that fits `export_labelstudio`: entity labels and ``ITEM``
    on the text, and a per-region choice of the item class shown for an ITEM region."""
    view = ET.Element("View")
    labels = ET.SubElement(view, "Labels", name=SPAN_NAME, toName=TEXT_NAME)
    colours = {"PERSON": "#f5a623", "PARTY": "#d0021b", "PROGRAMME": "#7ed321", "AMOUNT": "#4a90e2",
               "ORG": "#9013fe", ITEM_SPAN: "#cccccc"}
    for label in (*ENTITY_LABELS, ITEM_SPAN):
        ET.SubElement(labels, "Label", value=label, background=colours.get(label, "#888888"))
    ET.SubElement(view, "Text", name=TEXT_NAME, value=f"${TEXT_NAME}")
    choices = ET.SubElement(view, "Choices", name=ITEM_CHOICES_NAME, toName=TEXT_NAME, perRegion="true",
                            choice="single", visibleWhen="region-selected", whenTagName=SPAN_NAME,
                            whenLabelValue=ITEM_SPAN)
    for label in ITEM_LABELS:
        ET.SubElement(choices, "Choice", value=label)
    ET.indent(view)
    return ET.tostring(view, encoding="unicode") + "\n"
