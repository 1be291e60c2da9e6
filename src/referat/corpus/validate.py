"""Validating corpus records against the schema and the annotation rules."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Any, Iterable

from referat.corpus.schema import (DECISION_FIELDS, DECISIONS_FIELD, ENTITY_LABELS, META_FIELDS,
                                   RECORD_FIELDS, UNKNOWN, VOTE_SIDES)

# --------------------------------------------------------------------------- validation

@dataclass(frozen=True)
class Problem:
    """One broken rule: in which meeting, at which offsets (None for the whole meeting)."""

    meeting_id: str
    start: int | None
    end: int | None
    rule: str
    message: str

    def __str__(self) -> str:
        where = f"{self.start}:{self.end}" if self.start is not None else "-"
        return f"{self.meeting_id} [{where}] {self.rule}: {self.message}"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_fields(obj: Any, spec: dict[str, tuple], what: str) -> list[str]:
    if not isinstance(obj, dict):
        return [f"{what} is {type(obj).__name__}, not an object"]
    found = []
    for name, types in spec.items():
        if name not in obj:
            found.append(f"{what} lacks '{name}'")
            continue
        value = obj[name]
        ok = any(_is_int(value) if t is int else (value is None if t is None else isinstance(value, t))
                 for t in types)
        if not ok:
            names = " or ".join("null" if t is None else t.__name__ for t in types)
            found.append(f"{what} '{name}' is {type(value).__name__}, not {names}")
    extra = sorted(set(obj) - set(spec))
    if extra:
        found.append(f"{what} has unknown field(s) {', '.join(map(repr, extra))}")
    return found


_ITEM_SPEC = {"start": (int,), "end": (int,), "number": (str, None), "title": (str,), "label": (str,)}
_ENTITY_SPEC = {"start": (int,), "end": (int,), "label": (str,), "value": (int, str, None)}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _schema_problems(record: Any, meeting_id: str) -> tuple[list[Problem], list[int], list[int]]:
    """Structural problems, plus the indices of items and entities fit for the other checks."""
    problems = []

    def add(message, start=None, end=None):
        problems.append(Problem(meeting_id, start, end, "schema", message))

    if not isinstance(record, dict):
        add(f"the meeting is {type(record).__name__}, not an object")
        return problems, [], []
    for name, types in (("id", str), ("text", str), ("meta", dict), ("items", list), ("entities", list)):
        if record.get(name) is None:
            add(f"missing field '{name}'")
        elif not isinstance(record[name], types):
            add(f"'{name}' is {type(record[name]).__name__}, not {types.__name__}")
    extra = sorted(set(record) - set(RECORD_FIELDS))
    if extra:
        add(f"unknown field(s) {', '.join(map(repr, extra))}")
    if isinstance(record.get("id"), str) and not record["id"].strip():
        add("'id' is empty")
    meta = record.get("meta")
    if isinstance(meta, dict):
        for message in _check_fields(meta, {name: (str,) for name in META_FIELDS}, "meta"):
            add(message)
        date = meta.get("date")
        if isinstance(date, str) and date != UNKNOWN:
            try:
                if not _DATE.fullmatch(date):
                    raise ValueError
                _dt.date.fromisoformat(date)
            except ValueError:
                add(f"meta 'date' {date!r} is not a date YYYY-MM-DD (or {UNKNOWN!r})")
    good_items, good_entities = [], []
    for key, spec, good in (("items", _ITEM_SPEC, good_items), ("entities", _ENTITY_SPEC, good_entities)):
        spans = record.get(key)
        if not isinstance(spans, list):
            continue
        for index, span in enumerate(spans):
            if key == "items" and isinstance(span, dict) and DECISIONS_FIELD in span:
                span = {name: value for name, value in span.items() if name != DECISIONS_FIELD}
            found = _check_fields(span, spec, f"{key}[{index}]")
            if found:
                start = span.get("start") if isinstance(span, dict) and _is_int(span.get("start")) else None
                end = span.get("end") if isinstance(span, dict) and _is_int(span.get("end")) else None
                for message in found:
                    add(message, start, end)
            else:
                good.append(index)
    return problems, good_items, good_entities


def _decision_problems(decision: Any) -> list[str]:
    from referat.entities.decisions import OUTCOMES

    if not isinstance(decision, dict):
        return [f"is {type(decision).__name__}, not an object"]
    found = []
    if sorted(decision) != sorted(DECISION_FIELDS):
        found.append(f"has fields {', '.join(sorted(decision))}, not {', '.join(DECISION_FIELDS)}")
    if decision.get("outcome") is not None and decision.get("outcome") not in OUTCOMES:
        found.append(f"outcome {decision.get('outcome')!r} is not one of {', '.join(OUTCOMES)} or null")
    if not isinstance(decision.get("amended"), bool):
        found.append("'amended' is not true or false")
    if decision.get("body") is not None and not (isinstance(decision["body"], str) and decision["body"].strip()):
        found.append("'body' is neither a name nor null")
    for side in VOTE_SIDES:
        codes = decision.get(side)
        if not isinstance(codes, list) or not all(isinstance(c, str) and c.strip() for c in codes):
            found.append(f"{side!r} is not a list of party letters")
        elif len(set(codes)) != len(codes):
            found.append(f"{side!r} names a party twice")
    return found


def _check_decisions(items: list[dict], add) -> None:
    """The ``decisions`` of a meeting's items: on every item or on none, each one well formed."""
    marked = [DECISIONS_FIELD in item for item in items]
    if any(marked) and not all(marked):
        add("decision", f"{marked.count(True)} of {len(items)} items have 'decisions': a meeting "
                        f"annotated for decisions gives every item a list ([] where it decides nothing)")
    for item in items:
        if DECISIONS_FIELD not in item:
            continue
        decisions = item[DECISIONS_FIELD]
        if not isinstance(decisions, list):
            add("decision", f"'decisions' is {type(decisions).__name__}, not a list", item["start"], item["end"])
            continue
        for index, decision in enumerate(decisions):
            for message in _decision_problems(decision):
                add("decision", f"decision {index + 1} of item {item['title']!r} {message}",
                    item["start"], item["end"])


def validate(records: Iterable[dict], *, labels: Iterable[str] | None = None,
             entity_labels: Iterable[str] = ENTITY_LABELS) -> list[Problem]:
    """Check records against the schema and the annotation rules; return every problem.

    Rules (the `rule` field of a Problem): see `RULES`. `labels` is the list of accepted
    item labels; by default any non-empty label is accepted.
    """
    from referat.entities.amounts import parse_amount

    item_labels = None if labels is None else set(labels)
    entity_labels = set(entity_labels)
    problems: list[Problem] = []
    seen: set[str] = set()
    for position, record in enumerate(records):
        raw_id = record.get("id") if isinstance(record, dict) else None
        meeting_id = raw_id if isinstance(raw_id, str) and raw_id.strip() else f"<meeting {position + 1}>"
        found, good_items, good_entities = _schema_problems(record, meeting_id)
        problems.extend(found)
        if not isinstance(record, dict):
            continue

        def add(rule, message, start=None, end=None):
            problems.append(Problem(meeting_id, start, end, rule, message))

        if isinstance(raw_id, str) and raw_id.strip():
            if raw_id in seen:
                add("duplicate-id", f"the id {raw_id!r} is used by an earlier meeting")
            seen.add(raw_id)
        text = record.get("text") if isinstance(record.get("text"), str) else None

        def inside(span) -> bool:
            if text is None:
                return False
            start, end = span["start"], span["end"]
            if 0 <= start < end <= len(text):
                return True
            add("span", f"{span['label'] or 'span'} offsets {start}:{end} are outside the text "
                        f"(length {len(text)}) or empty", start, end)
            return False

        items = record["items"] if isinstance(record.get("items"), list) else []
        previous = None
        for index in good_items:
            item = items[index]
            start, end = item["start"], item["end"]
            inside(item)
            if item_labels is not None and item["label"] not in item_labels:
                add("item-label", f"item label {item['label']!r} is not one of "
                                  f"{', '.join(sorted(item_labels))}", start, end)
            elif not item["label"].strip():
                add("item-label", "item label is empty", start, end)
            if previous is not None:
                if start < previous["start"]:
                    add("item-order", f"item starts before the previous item ({previous['start']})",
                        start, end)
                elif start < previous["end"]:
                    add("item-order", f"item overlaps the previous item "
                                      f"({previous['start']}:{previous['end']})", start, end)
            previous = item

        _check_decisions([items[index] for index in good_items], add)

        entities = record["entities"] if isinstance(record.get("entities"), list) else []
        placed = []
        for index in good_entities:
            entity = entities[index]
            start, end, label = entity["start"], entity["end"], entity["label"]
            if label not in entity_labels:
                add("entity-label", f"entity label {label!r} is not one of "
                                    f"{', '.join(sorted(entity_labels))}", start, end)
            if not inside(entity):
                continue
            surface = text[start:end]
            placed.append(entity)
            if surface != surface.strip():
                add("whitespace", f"{label} span {surface!r} has leading or trailing whitespace",
                    start, end)
            if label == "AMOUNT":
                parsed = parse_amount(surface)
                if parsed is None:
                    add("amount", f"{surface!r} cannot be read as a sum of money", start, end)
                elif entity["value"] != parsed or not _is_int(entity["value"]):
                    add("amount", f"value {entity['value']!r} differs from {parsed} read from "
                                  f"{surface!r}", start, end)
        placed.sort(key=lambda e: (e["start"], e["end"]))
        reach = None
        for entity in placed:
            if reach is not None and entity["start"] < reach["end"]:
                add("overlap", f"{entity['label']} {text[entity['start']:entity['end']]!r} overlaps "
                               f"{reach['label']} {text[reach['start']:reach['end']]!r} "
                               f"({reach['start']}:{reach['end']})", entity["start"], entity["end"])
            if reach is None or entity["end"] > reach["end"]:
                reach = entity
    return problems


