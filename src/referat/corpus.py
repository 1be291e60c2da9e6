"""The annotated-minutes corpus: schema, loading (with `datasets`), validation, splits,
conversion to spaCy's `DocBin`, statistics, and import from annotation tools.

One meeting is one JSON object (one line of a ``.jsonl`` file)::

    {"id": str, "text": str,
     "meta": {"municipality": str, "committee": str, "date": "YYYY-MM-DD", "kind": str, "style": str},
     "items": [{"start": int, "end": int, "number": str | null, "title": str, "label": str}],
     "entities": [{"start": int, "end": int, "label": str, "value": int | str | null}]}

Offsets are Python string indices into ``text``, end exclusive. ``value`` is whole kroner
(an int) for AMOUNT, the party name (a str) for PARTY, and null otherwise.

How ``value`` is stored in a `datasets.Dataset` (see `FEATURES`): as JSON text (the
`datasets.Json` feature where the installed `datasets` has it, otherwise a string column
holding ``json.dumps(value)``), so 585000 is stored as ``585000`` and "Venstre" as
``"Venstre"``; null stays a missing value. Reading decodes it again and then makes
AMOUNT values ints and every other non-null value a str, so every value the schema
allows comes back as it was written.

The JSON loader of `datasets` reads a string shaped like a date as a timestamp and
gives it back as ``"2019-03-12 00:00:00"``; reading cuts such a value in ``meta.date``
back to ``"2019-03-12"``.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import logging
import re
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from referat.errors import CorpusError

log = logging.getLogger("referat.corpus")

ENTITY_LABELS = ("PERSON", "PARTY", "PROGRAMME", "AMOUNT", "ORG")
ITEM_LABELS = ("orientering", "godkendelse", "bevilling", "budgetopfølgning")
META_FIELDS = ("municipality", "committee", "date", "kind", "style")
RECORD_FIELDS = ("id", "text", "meta", "items", "entities")
ITEM_FIELDS = ("start", "end", "number", "title", "label")
ENTITY_FIELDS = ("start", "end", "label", "value")
UNKNOWN = "unknown"
ITEM_PREFIX = "item:"

#: The rule names `validate` reports, one per check.
RULES = {
    "schema": "missing required fields or wrong types",
    "span": "span inside the text: 0 <= start < end <= len(text)",
    "whitespace": "no leading or trailing whitespace in an entity span",
    "overlap": "no overlapping entities in one meeting",
    "entity-label": "entity label is one of the known entity labels",
    "item-label": "item label is known (or, with no list given, not empty)",
    "item-order": "items ordered by start and not overlapping",
    "amount": "AMOUNT value equals parse_amount(span text)",
    "duplicate-id": "meeting ids are unique",
}


def _features():
    import datasets
    from datasets import Features, Value

    value = datasets.Json() if hasattr(datasets, "Json") else Value("string")
    return Features({
        "id": Value("string"),
        "text": Value("string"),
        "meta": {name: Value("string") for name in META_FIELDS},
        "items": [{"start": Value("int64"), "end": Value("int64"), "number": Value("string"),
                   "title": Value("string"), "label": Value("string")}],
        "entities": [{"start": Value("int64"), "end": Value("int64"), "label": Value("string"),
                      "value": value}],
    })


def __getattr__(name: str):
    # FEATURES is built on first use so that importing this module does not import datasets.
    if name == "FEATURES":
        features = _features()
        globals()["FEATURES"] = features
        return features
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
        record["items"] = [dict(item) if isinstance(item, dict) else item for item in record["items"]]
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
    if hasattr(datasets, "Json"):
        return row
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
        dataset = datasets.load_dataset("json", data_files=[str(path)], features=_features(),
                                        cache_dir=cache_dir, split="train")
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
            found = _check_fields(span, spec, f"{key}[{index}]")
            if found:
                start = span.get("start") if isinstance(span, dict) and _is_int(span.get("start")) else None
                end = span.get("end") if isinstance(span, dict) and _is_int(span.get("end")) else None
                for message in found:
                    add(message, start, end)
            else:
                good.append(index)
    return problems, good_items, good_entities


def validate(records: Iterable[dict], *, labels: Iterable[str] | None = None,
             entity_labels: Iterable[str] = ENTITY_LABELS) -> list[Problem]:
    """Check records against the schema and the annotation rules; return every problem.

    Rules (the `rule` field of a Problem): see `RULES`. `labels` is the list of accepted
    item labels; by default any non-empty label is accepted.
    """
    from referat.amounts import parse_amount

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


# --------------------------------------------------------------------------- split

def _group_meetings(records: list[dict]) -> list[list[dict]]:
    parent = list(range(len(records)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple[str, str], int] = {}
    for index, record in enumerate(records):
        meta = record.get("meta") or {}
        for key in ("style", "municipality"):
            value = meta.get(key)
            if not value or value == UNKNOWN:
                continue
            other = first.setdefault((key, value), index)
            a, b = find(index), find(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[dict]] = defaultdict(list)
    for index, record in enumerate(records):
        groups[find(index)].append(record)
    return [sorted(group, key=lambda r: r["id"]) for group in groups.values()]


def split(records: Iterable[dict], *, seed: int = 13, dev: float = 0.15,
          test: float = 0.15) -> dict[str, list[dict]]:
    """Split meetings into train, dev and test so that test (and dev) hold unseen styles and places.

    1. Groups: the connected components of meetings that share a house style or a
       municipality (a meeting with neither known forms its own group). No style and no
       municipality is then found in two groups, so none is in both test and train.
    2. Order: groups are sorted by sha256 of ``"<seed>:<sorted ids of the group>"``.
    3. Fill: in that order, a group goes to test if test stays within ``test * meetings``;
       then, over the groups left, to dev if dev stays within ``dev * meetings``. With 3 or
       more groups, test and dev each get at least one group (the smallest left, if none
       fitted), and train keeps at least one.
    4. The rest is train. Each split is sorted by id.

    The result depends only on the records and the seed, not on their order.
    """
    records = sorted(records, key=lambda r: r["id"])
    total = len(records)

    def key(group):
        joined = "\x1f".join(r["id"] for r in group)
        return hashlib.sha256(f"{seed}:{joined}".encode("utf-8")).hexdigest()

    groups = sorted(_group_meetings(records), key=key)
    parts: dict[str, list[list[dict]]] = {"test": [], "dev": [], "train": []}
    left = list(groups)
    for name, fraction in (("test", test), ("dev", dev)):
        limit = fraction * total
        count = 0
        keep = []
        for group in left:
            if count + len(group) <= limit:
                parts[name].append(group)
                count += len(group)
            else:
                keep.append(group)
        left = keep
        if not parts[name] and len(groups) >= 3 and len(left) >= 2 and fraction > 0:
            smallest = min(left, key=len)  # min keeps the first in hash order among ties
            parts[name].append(smallest)
            left = [g for g in left if g is not smallest]
    parts["train"] = left
    return {name: sorted((r for g in parts[name] for r in g), key=lambda r: r["id"])
            for name in ("train", "dev", "test")}


# --------------------------------------------------------------------------- spaCy

def to_docbin(records: Iterable[dict], nlp=None, *, return_skipped: bool = False):
    """Records → a spaCy `DocBin`: entities as ``doc.ents``, items as ``doc.spans["items"]``.

    Spans are aligned to tokens with ``alignment_mode="contract"``. A span that cannot be
    aligned (or an entity overlapping an earlier one) is skipped and counted; the count is
    logged as a warning, and returned with the DocBin when ``return_skipped=True``
    (``(docbin, skipped)``). ``doc.user_data`` holds ``id``, ``meta``, the items' numbers and
    titles, and the entities' values.
    """
    import spacy
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    nlp = nlp if nlp is not None else spacy.blank("da")
    docbin = DocBin(store_user_data=True)
    skipped = 0
    for record in records:
        text = record["text"]
        doc = nlp.make_doc(text)
        ents = []
        for entity in record.get("entities") or []:
            span = doc.char_span(entity["start"], entity["end"], label=entity["label"],
                                 alignment_mode="contract")
            if span is None or len(span) == 0:
                skipped += 1
                continue
            ents.append(span)
        kept = filter_spans(ents)
        skipped += len(ents) - len(kept)
        doc.ents = sorted(kept, key=lambda s: s.start)
        items = []
        for item in record.get("items") or []:
            span = doc.char_span(item["start"], item["end"], label=item["label"] or "",
                                 alignment_mode="contract")
            if span is None or len(span) == 0:
                skipped += 1
                continue
            items.append(span)
        doc.spans["items"] = items
        doc.user_data["id"] = record.get("id")
        doc.user_data["meta"] = dict(record.get("meta") or {})
        doc.user_data["items"] = [{k: item.get(k) for k in ITEM_FIELDS} for item in record.get("items") or []]
        doc.user_data["entity_values"] = [[e["start"], e["end"], e["label"], e.get("value")]
                                          for e in record.get("entities") or []]
        docbin.add(doc)
    if skipped:
        log.warning("to_docbin: %d span(s) could not be aligned to tokens and were skipped", skipped)
    return (docbin, skipped) if return_skipped else docbin


# --------------------------------------------------------------------------- stats

def stats(records: Iterable[dict]) -> dict:
    """Counts: meetings, items (per label), entities (per label), styles, municipalities,
    committees (meetings each) and years (meetings each)."""
    records = list(records)
    items = Counter(item.get("label") for r in records for item in r.get("items") or [])
    entities = Counter(e.get("label") for r in records for e in r.get("entities") or [])

    def per(key):
        return Counter((r.get("meta") or {}).get(key) or UNKNOWN for r in records)

    years = Counter()
    for record in records:
        date = (record.get("meta") or {}).get("date") or ""
        years[date[:4] if re.match(r"\d{4}", date) else UNKNOWN] += 1

    def ordered(counter):
        return {str(k): v for k, v in sorted(counter.items(), key=lambda kv: str(kv[0]))}

    return {
        "meetings": len(records),
        "items": sum(items.values()),
        "items_per_label": ordered(items),
        "entities": sum(entities.values()),
        "entities_per_label": ordered(entities),
        "styles": ordered(per("style")),
        "municipalities": ordered(per("municipality")),
        "committees": ordered(per("committee")),
        "years": ordered(years),
    }


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
    from referat.amounts import parse_amount

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


def ordered_record(record: dict) -> dict:
    """A copy of the record with the stable key order used in files."""
    meta = record.get("meta") or {}
    return {
        "id": record.get("id"),
        "text": record.get("text"),
        "meta": {**{k: meta[k] for k in META_FIELDS if k in meta},
                 **{k: meta[k] for k in sorted(meta) if k not in META_FIELDS}},
        "items": [{**{k: item[k] for k in ITEM_FIELDS if k in item},
                   **{k: item[k] for k in sorted(item) if k not in ITEM_FIELDS}}
                  for item in record.get("items") or []],
        "entities": [{**{k: e[k] for k in ENTITY_FIELDS if k in e},
                      **{k: e[k] for k in sorted(e) if k not in ENTITY_FIELDS}}
                     for e in record.get("entities") or []],
    }


def write_jsonl(records: Iterable[dict], path: str | Path) -> Path:
    """Write records as UTF-8 JSON Lines (ensure_ascii=False), one per line, stable key order."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for record in records:
            handle.write(json.dumps(ordered_record(record), ensure_ascii=False) + "\n")
    return path


def compile_sources(folder: str | Path) -> list[dict]:
    """Compile every corpus source file (``*.txt``) directly in `folder`, sorted by id.

    All files are tried; if any fails, CorpusError lists every failure (``file:line:
    message``), and its ``errors`` attribute holds them one by one.
    """
    from referat.corpus_source import SourceError, compile_file

    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusError(f"{folder}: no such folder")
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise CorpusError(f"{folder}: holds no *.txt corpus source files")
    from referat.parties import normalise_party

    records, failures = [], []
    for file in files:
        try:
            record = compile_file(file)
            for entity in record["entities"]:
                # a PARTY's value is its party's name; a local list's letter stands for itself
                if entity["label"] == "PARTY" and entity["value"] is None:
                    surface = record["text"][entity["start"]:entity["end"]]
                    entity["value"] = normalise_party(surface) or surface
            records.append(record)
        except SourceError as error:
            failures.append(str(error))
        except (OSError, UnicodeDecodeError) as error:
            failures.append(f"{file}: cannot be read ({error})")
    if failures:
        error = CorpusError(f"{len(failures)} source file(s) failed:\n" + "\n".join(failures))
        error.errors = failures
        raise error
    return sorted(records, key=lambda r: r["id"])
