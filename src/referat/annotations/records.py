"""Corpus records from the spans an annotation tool exported, and the import report.

The readers (`labelstudio`, `doccano`) turn a file into `Task` objects: the text, the
metadata, every completed annotation as a list of `Span` and the predictions the task was
sent out with. `build_records` then chooses one annotation per task, checks its spans,
and builds corpus records (schema: ``corpus/README.md``). Every span or task left out is
counted in the `ImportReport` with its reason; nothing is dropped silently.

A span's label is an entity label (``AMOUNT``) or an item label written ``item:<label>``
(``item:bevilling``); ``ITEM`` alone is an item whose class is missing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from referat.corpus import (
    ENTITY_LABELS,
    ITEM_LABELS,
    ITEM_PREFIX,
    META_FIELDS,
    UNKNOWN,
    validate,
)
from referat.errors import CorpusError

try:
    from referat.entities.amounts import parse_amount
except ImportError:  # before the move into referat.entities
    from referat.amounts import parse_amount

#: A region that is an item whose class was not given (Label Studio's span label, doccano's too).
ITEM_SPAN = "ITEM"
#: The labels accepted when `labels` is not given: entity labels and ``item:<label>``.
DEFAULT_LABELS = frozenset(ENTITY_LABELS) | frozenset(ITEM_LABELS)

#: Why a task, an annotation or a span was left out (the keys of `ImportReport.skipped`).
SKIP_REASONS = {
    "unlabelled": "a task with no completed annotation (only predictions, or nothing)",
    "cancelled": "an annotation the annotator cancelled (skipped) in Label Studio",
    "other-annotator": "the task has no annotation by the annotator asked for",
    "unknown-label": "a span label that is not one of the accepted labels",
    "span-out-of-range": "span offsets outside the text, empty, or not numbers",
    "text-mismatch": "the span's text is not the text at its offsets (and could not be realigned)",
    "item-without-label": "an item region with no item class",
    "multiple-item-labels": "an item region (or the whole task) with more than one item class",
    "unmatched-choice": "an item class that belongs to no item region",
    "unsupported-result": "a result type that the corpus cannot hold (relation, text area, ...)",
    "duplicate-span": "the same span with the same label twice in one annotation",
    "duplicate-id": "a meeting id used by an earlier task",
    "no-text": "a task or row without a text",
}


class Span(NamedTuple):
    """One labelled span as the tool exported it; `text` is the tool's copy of the surface."""

    start: Any
    end: Any
    label: str
    text: str | None = None


@dataclass
class Annotation:
    """One annotator's completed work on one task."""

    spans: list[Span]
    who: frozenset[str] = frozenset()     # ids, emails or names that identify the annotator
    when: str | None = None               # updated_at, else created_at (ISO text)
    order: int = 0                        # position in the export
    skipped: Counter = field(default_factory=Counter)   # reasons found while reading it


@dataclass
class Task:
    """One task (meeting) of an export, before an annotation is chosen."""

    where: str                            # "file: task 3", for messages
    record_id: str
    text: str | None
    meta: dict
    annotations: list[Annotation] = field(default_factory=list)
    cancelled: int = 0
    predictions: list[Span] | None = None  # what referat predicted, when the task carries it
    model: dict | None = None             # the task's referat_model


@dataclass
class ImportReport:
    """What an import read, what it built, and what it left out and why."""

    tasks: int = 0
    imported: int = 0
    spans: int = 0                        # entity spans in the imported records
    items: int = 0                        # items in the imported records
    skipped: dict[str, int] = field(default_factory=dict)
    multiple_annotations: int = 0         # tasks with more than one completed annotation
    changed: dict | None = None           # annotations vs predictions, see `compare_spans`
    trimmed: int = 0                      # entity spans whose surrounding whitespace was cut
    problems: list[str] = field(default_factory=list)   # "where: reason (detail)", one per skip

    def skip(self, where: str, reason: str, detail: str = "", count: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + count
        self.problems.append(f"{where}: {reason}" + (f" ({detail})" if detail else ""))

    def lines(self) -> list[str]:
        """A human-readable summary, one line per fact."""
        out = [(f"{self.tasks} task(s) read, {self.imported} meeting(s) imported with "
                f"{self.items} item(s) and {self.spans} entity span(s)")]
        if self.multiple_annotations:
            out.append(f"{self.multiple_annotations} task(s) had more than one completed annotation; "
                       f"one was chosen for each")
        if self.trimmed:
            out.append(f"{self.trimmed} entity span(s) had surrounding whitespace cut off")
        for reason, count in sorted(self.skipped.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f"skipped {count}: {reason} - {SKIP_REASONS.get(reason, reason)}")
        if self.changed:
            for kind in ("items", "entities"):
                counts = self.changed.get(kind) or {}
                out.append(f"{kind} vs predictions: " + ", ".join(
                    f"{counts.get(key, 0)} {key}" for key in ("kept", "changed", "added", "removed")))
        for problem in self.problems[:10]:
            out.append(f"  {problem}")
        if len(self.problems) > 10:
            out.append(f"  ... and {len(self.problems) - 10} more")
        return out


# --------------------------------------------------------------------------- helpers

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


def entity_value(label: str, surface: str, parties=None) -> Any:
    """The corpus value of an entity: kroner for AMOUNT; for PARTY the party's name from
    `parties` (a PartyTable, or anything with ``name(text)``; a local list's letter stands for
    itself), null without a table, as the corpus README says of imports; else None."""
    if label == "AMOUNT":
        return parse_amount(surface)
    if label == "PARTY" and parties is not None:
        return parties.name(surface) or surface
    return None


def pick_meta(*sources: dict | None) -> dict:
    """The corpus meta fields from the first source that has each one (``"unknown"`` if none)."""
    meta = {}
    for name in META_FIELDS:
        value = next((s[name] for s in sources if isinstance(s, dict) and s.get(name) not in (None, "")), None)
        meta[name] = str(value) if value is not None else UNKNOWN
    return meta


def _utf16_to_index(text: str, offset: int) -> int:
    """The code-point index of a UTF-16 code-unit offset (what JavaScript tools count)."""
    units = 0
    for index, char in enumerate(text):
        if units >= offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def _place(span: Span, text: str) -> tuple[int, int] | str:
    """The span's offsets in `text`, or the skip reason."""
    try:
        start, end = int(span.start), int(span.end)
    except (TypeError, ValueError):
        return "span-out-of-range"
    if span.text is not None and text[start:end] != span.text:
        # JavaScript tools count UTF-16 code units; characters outside the BMP shift offsets
        start16, end16 = _utf16_to_index(text, start), _utf16_to_index(text, end)
        if text[start16:end16] == span.text:
            return start16, end16
        return "text-mismatch"
    if not 0 <= start < end <= len(text):
        return "span-out-of-range"
    return start, end


def _item_label(label: str) -> str | None:
    return label[len(ITEM_PREFIX):] if label.startswith(ITEM_PREFIX) else None


def resolve_spans(spans: Iterable[Span], text: str) -> tuple[list[tuple[int, int, str]], Counter, int]:
    """Placed, de-duplicated ``(start, end, label)`` spans, the skip reasons and how many
    entity spans were trimmed of surrounding whitespace."""
    placed, skipped, trimmed, seen = [], Counter(), 0, set()
    for span in spans:
        where = _place(span, text)
        if isinstance(where, str):
            skipped[where] += 1
            continue
        start, end = where
        label = str(span.label)
        if _item_label(label) is None and label != ITEM_SPAN:
            surface = text[start:end]
            cut_start = len(surface) - len(surface.lstrip())
            cut_end = len(surface) - len(surface.rstrip())
            if cut_start or cut_end:
                if cut_start + cut_end >= len(surface):
                    skipped["span-out-of-range"] += 1
                    continue
                start, end, trimmed = start + cut_start, end - cut_end, trimmed + 1
        if (start, end, label) in seen:
            skipped["duplicate-span"] += 1
            continue
        seen.add((start, end, label))
        placed.append((start, end, label))
    return placed, skipped, trimmed


def compare_spans(predicted: Iterable[tuple[int, int, str]], annotated: Iterable[tuple[int, int, str]],
                  counts: dict | None = None) -> dict:
    """How the annotation differs from the predictions, per kind (items, entities): spans with
    the same offsets and label are kept, with the same offsets and another label changed, only
    annotated added, only predicted removed. Adds to `counts` when given."""
    counts = counts if counts is not None else {}
    for kind, is_kind in (("items", lambda label: _item_label(label) is not None or label == ITEM_SPAN),
                          ("entities", lambda label: _item_label(label) is None and label != ITEM_SPAN)):
        before = {(s, e): label for s, e, label in predicted if is_kind(label)}
        after = {(s, e): label for s, e, label in annotated if is_kind(label)}
        tally = counts.setdefault(kind, {"kept": 0, "changed": 0, "added": 0, "removed": 0})
        for key, label in after.items():
            if key not in before:
                tally["added"] += 1
            elif before[key] == label:
                tally["kept"] += 1
            else:
                tally["changed"] += 1
        tally["removed"] += sum(1 for key in before if key not in after)
    return counts


def _matches(annotation: Annotation, annotator: str) -> bool:
    return annotator in annotation.who


def choose_annotation(task: Task, annotator: str | None) -> Annotation | None:
    """The annotation to import: by `annotator` when given, else the latest completed one
    (by updated_at / created_at, else the last in the export)."""
    candidates = [a for a in task.annotations if a.spans or a.skipped]
    if annotator is not None:
        candidates = [a for a in candidates if _matches(a, annotator)]
    if not candidates:
        return None
    return max(candidates, key=lambda a: (a.when or "", a.order))


# --------------------------------------------------------------------------- records

def record_from_spans(record_id: str, text: str, meta: dict,
                      spans: Iterable[tuple[int, int, str]], parties=None) -> dict:
    """A corpus record from placed ``(start, end, label)`` spans (``item:<label>`` = item)."""
    items, entities = [], []
    for start, end, label in spans:
        item_label = _item_label(label)
        if item_label is not None:
            number, title = item_heading(text[start:end])
            items.append({"start": start, "end": end, "number": number, "title": title,
                          "label": item_label})
        else:
            entities.append({"start": start, "end": end, "label": label,
                             "value": entity_value(label, text[start:end], parties)})
    return {"id": record_id, "text": text, "meta": pick_meta(meta),
            "items": sorted(items, key=lambda s: (s["start"], s["end"])),
            "entities": sorted(entities, key=lambda s: (s["start"], s["end"], s["label"]))}


def _accepted(label: str, labels: set[str]) -> bool:
    item_label = _item_label(label)
    return (item_label in labels) if item_label is not None else label in labels


def build_records(tasks: Iterable[Task], *, annotator: str | None = None, strict: bool = False,
                  labels: set[str] | None = None, parties=None) -> tuple[list[dict], ImportReport]:
    """Corpus records (sorted by id) and the report, from the tasks a reader produced.

    With `strict`, any skip raises CorpusError naming the task(s) and the reasons.
    """
    labels = set(DEFAULT_LABELS if labels is None else labels)
    report = ImportReport()
    records, seen_ids = [], set()
    changed: dict | None = None
    for task in tasks:
        report.tasks += 1
        if task.cancelled:
            report.skip(task.where, "cancelled", f"{task.cancelled} cancelled annotation(s)", task.cancelled)
        if task.text is None:
            report.skip(task.where, "no-text")
            continue
        completed = [a for a in task.annotations if a.spans or a.skipped]
        if len(completed) > 1:
            report.multiple_annotations += 1
        chosen = choose_annotation(task, annotator)
        if chosen is None:
            if completed:
                report.skip(task.where, "other-annotator", f"none by {annotator!r}")
            elif not task.cancelled:
                report.skip(task.where, "unlabelled")
            continue
        if task.record_id in seen_ids:
            report.skip(task.where, "duplicate-id", task.record_id)
            continue
        seen_ids.add(task.record_id)
        for reason, count in chosen.skipped.items():
            report.skip(task.where, reason, count=count)
        placed, skipped, trimmed = resolve_spans(chosen.spans, task.text)
        for reason, count in skipped.items():
            report.skip(task.where, reason, count=count)
        report.trimmed += trimmed
        kept = []
        for start, end, label in placed:
            if label == ITEM_SPAN:
                report.skip(task.where, "item-without-label", f"{start}:{end}")
            elif not _accepted(label, labels):
                report.skip(task.where, "unknown-label", f"{label!r} at {start}:{end}")
            else:
                kept.append((start, end, label))
        if task.predictions is not None:
            predicted, _, _ = resolve_spans(task.predictions, task.text)
            changed = compare_spans(predicted, placed, changed if changed is not None else {})
        record = record_from_spans(task.record_id, task.text, task.meta, kept, parties)
        records.append(record)
        report.imported += 1
        report.items += len(record["items"])
        report.spans += len(record["entities"])
    report.changed = changed
    if strict and report.problems:
        shown = "\n".join(f"  {p}" for p in report.problems[:20])
        more = f"\n  ... and {len(report.problems) - 20} more" if len(report.problems) > 20 else ""
        raise CorpusError(f"{len(report.problems)} annotation(s) or span(s) would be skipped "
                          f"(strict):\n{shown}{more}")
    records.sort(key=lambda r: r["id"])
    broken = [p for p in validate(records) if p.rule in ("schema", "span", "duplicate-id")]
    if broken:
        shown = "\n".join(f"  {p}" for p in broken[:20])
        raise CorpusError(f"{len(broken)} structural problem(s) in the imported records:\n{shown}")
    return records, report
