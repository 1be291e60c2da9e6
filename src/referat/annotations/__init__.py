"""Annotation exchange with Label Studio and doccano: import corrected annotations as corpus
records (with a report of everything left out) and export predictions for review.

Formats read by `import_annotations` (``fmt`` None detects them):

- ``labelstudio``: Label Studio's JSON export (tasks with ``annotations``, or ``completions``
  before 1.0), or its JSON_MIN export (one flat row per annotation);
- ``labelstudio-min``: JSON_MIN only;
- ``doccano``: doccano's JSONL (or JSON list) export, or the ZIP it downloads.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from referat.annotations import doccano, labelstudio
from referat.annotations.export import (
    Pick,
    export_doccano,
    export_labelstudio,
    uncertain_first,
)
from referat.annotations.labelstudio import labelstudio_config
from referat.annotations.records import (
    DEFAULT_LABELS,
    ENTITY_LABELS,
    ITEM_LABELS,
    SKIP_REASONS,
    ImportReport,
    build_records,
    item_heading,
)
from referat.errors import CorpusError

FORMATS = ("labelstudio", "labelstudio-min", "doccano")

__all__ = [
    "FORMATS",
    "SKIP_REASONS",
    "ImportReport",
    "Pick",
    "detect_format",
    "export_doccano",
    "export_labelstudio",
    "import_annotations",
    "item_heading",
    "labelstudio_config",
    "read_tasks",
    "uncertain_first",
]


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CorpusError(f"{path}: not UTF-8 text ({error})") from error


def _json(text: str):
    try:
        return json.loads(text)
    except ValueError:
        return None


def detect_format(path: str | Path) -> str:
    """``labelstudio``, ``labelstudio-min`` or ``doccano``, from the file's content."""
    path = Path(path)
    if zipfile.is_zipfile(path):
        return "doccano"
    data = _json(_read_text(path))
    if isinstance(data, dict):
        data = [data]
    if isinstance(data, list):
        rows = [r for r in data if isinstance(r, dict)]
        if any("data" in r and ({"annotations", "completions", "predictions"} & set(r)) for r in rows):
            return "labelstudio"
        if labelstudio.looks_like_min(rows):
            return "labelstudio-min"
        return "doccano"
    return "doccano"  # JSON Lines


def read_tasks(path: str | Path, fmt: str | None = None, *, labels: set[str] | None = None) -> list:
    """The tasks (`records.Task`) of an export, before annotations are chosen."""
    path = Path(path)
    if not path.is_file():
        raise CorpusError(f"{path}: no such file")
    fmt = detect_format(path) if fmt is None else fmt
    if fmt not in FORMATS:
        raise CorpusError(f"unknown annotation format {fmt!r}; use one of {', '.join(FORMATS)}")
    item_labels = set(ITEM_LABELS) if labels is None else set(labels) - set(ENTITY_LABELS)
    if fmt == "doccano":
        if zipfile.is_zipfile(path):
            sources = doccano.read_zip(path.read_bytes(), str(path))
        else:
            sources = [(str(path), None, doccano.parse_rows(_read_text(path), str(path)))]
        return doccano.read_rows(sources, path.name)
    data = _json(_read_text(path))
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise CorpusError(f"{path}: a Label Studio export is a JSON list of tasks")
    if fmt == "labelstudio-min" or labelstudio.looks_like_min(data):
        return labelstudio.read_min(data, path.name, item_labels)
    return labelstudio.read_tasks(data, path.name)


def import_annotations(path: str | Path, fmt: str | None = None, *, annotator: str | None = None,
                       strict: bool = False, labels: set[str] | None = None,
                       parties=None) -> tuple[list[dict], ImportReport]:
    """Corpus records from a Label Studio or doccano export, and the report of the import.

    One annotation per task: cancelled ones are skipped; `annotator` picks the one by that
    user (Label Studio ``completed_by`` id or email, JSON_MIN ``annotator``, the user file of
    a doccano ZIP); otherwise the latest completed one. Tasks without a completed annotation
    are skipped as "unlabelled". Span labels outside `labels` (default: the entity labels and
    the item labels) are skipped as "unknown-label". Every skip is counted in the report;
    with `strict` any skip raises CorpusError naming the task. AMOUNT values are parsed;
    PARTY values come from `parties` (a PartyTable) when given, else stay null.
    """
    tasks = read_tasks(path, fmt, labels=labels)
    return build_records(tasks, annotator=annotator, strict=strict,
                         labels=set(DEFAULT_LABELS) if labels is None else set(labels), parties=parties)
