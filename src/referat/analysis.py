"""The public result types of `referat` and their JSON form (the output contract).

`Analysis.to_dict()` is the record that `referat analyse --json` and `referat batch` write,
one object per meeting. Offsets are Python string indices into the text as given, end
exclusive.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import asdict, dataclass, field, fields
from array import array
from collections.abc import Iterable, Iterator
from typing import Any


NOT_MINUTES = "no agenda items found: the text may not be minutes"
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _from_dict(cls, data: dict):
    names = {f.name for f in fields(cls)}
    return cls(**{key: value for key, value in data.items() if key in names})


@dataclass
class Member:
    """A committee member as printed in the header, with the party beside the name."""

    name: str
    party: str | None = None
    party_name: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Meeting:
    """The header of one meeting's minutes; a field is None where the document prints none."""

    municipality: str | None = None
    committee: str | None = None
    date: str | None = None
    time: str | None = None
    place: str | None = None
    kind: str | None = None
    members: list[Member] = field(default_factory=list)
    absent: list[Member] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["members"] = [member.to_dict() for member in self.members]
        data["absent"] = [member.to_dict() for member in self.absent]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Meeting":
        meeting = _from_dict(cls, data)
        meeting.members = [_from_dict(Member, m) for m in data.get("members", [])]
        meeting.absent = [_from_dict(Member, m) for m in data.get("absent", [])]
        return meeting


@dataclass(slots=True)
class Section:
    """A labelled block inside an item: canonical name, the heading as printed, its span."""

    name: str
    heading: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"name": self.name, "heading": self.heading, "start": self.start, "end": self.end}


@dataclass(slots=True)
class Item:
    """One agenda item (punkt) with its sections, and its label once classified."""

    number: str | None
    title: str
    start: int
    end: int
    case_number: str | None = None
    closed: bool = False
    sections: list[Section] = field(default_factory=list)
    decision: str | None = None
    label: str | None = None
    scores: dict[str, float] = field(default_factory=dict)
    page: int | None = None
    decisions: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"number": self.number, "title": self.title, "start": self.start, "end": self.end,
                "page": self.page, "case_number": self.case_number, "closed": self.closed,
                "sections": [section.to_dict() for section in self.sections], "decision": self.decision,
                "decisions": [dict(decision) for decision in self.decisions],
                "label": self.label, "scores": dict(self.scores)}

    @classmethod
    def from_dict(cls, data: dict) -> "Item":
        item = _from_dict(cls, data)
        item.sections = [_from_dict(Section, s) for s in data.get("sections", [])]
        item.scores = dict(data.get("scores") or {})
        item.decisions = [dict(decision) for decision in data.get("decisions") or []]
        return item

    def section(self, name: str) -> Section | None:
        """The first section with this canonical name, or None."""
        return next((section for section in self.sections if section.name == name), None)


@dataclass(slots=True)
class Entity:
    """A named entity: label, text and span; `value` is kroner for AMOUNT, the party's name
    for PARTY (and for a PERSON printed with a party letter or named in the member list), the
    canonical name for ORG and PROGRAMME ("Herning Kommunes" -> "Herning Kommune", a short form
    -> its long form); `item` is the 1-based position of the item the entity stands in, or None
    in the header."""

    label: str
    text: str
    start: int
    end: int
    value: Any = None
    item: int | None = None

    def to_dict(self) -> dict:
        return {"label": self.label, "text": self.text, "start": self.start, "end": self.end,
                "value": self.value, "item": self.item}


class ItemPositions:
    """Where a meeting's items stand (their starts and ends, 16 bytes an item), to tell which
    item an entity stands in without the items themselves."""

    def __init__(self, items: Iterable[Item]):
        self.starts, self.ends = array("q"), array("q")
        for item in items:
            self.starts.append(item.start)
            self.ends.append(item.end)

    def place(self, entities: list[Entity]) -> list[Entity]:
        """Each entity with the 1-based position of the item it stands in (None in the header)."""
        for entity in entities:
            index = bisect_right(self.starts, entity.start) - 1
            entity.item = index + 1 if index >= 0 and entity.start < self.ends[index] else None
        return entities


def place_entities(entities: list[Entity], items: list[Item]) -> list[Entity]:
    """Each entity with the 1-based position of the item it stands in (None in the header)."""
    return ItemPositions(items).place(entities)


@dataclass
class Analysis:
    """Everything `referat` found in one meeting's minutes."""

    meeting: Meeting
    items: list[Item] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    model: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    format: str | None = None
    error: str | None = None

    def to_dict(self) -> dict:
        """The record of the output contract; "error" only where the source could not be analysed."""
        data = {
            "format": self.format,
            "meeting": self.meeting.to_dict(),
            "items": [item.to_dict() for item in self.items],
            "entities": [entity.to_dict() for entity in self.entities],
            "warnings": list(self.warnings),
            "model": dict(self.model),
        }
        if self.error is not None:
            data["error"] = self.error
        return data

    def to_json(self, **kwargs) -> str:
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)

    def record_json_parts(self, head: dict, tail: dict | None = None) -> Iterator[str]:
        """`json.dumps({**head, **self.to_dict(), **tail}, ensure_ascii=False)` in pieces, made
        without the dict, in order: items and entities a thousand at a time, so a
        meeting with a million entities can be written out piece by piece and is never a million
        dicts (or one huge string made several times over) in memory."""
        return record_json_parts(self, head, tail, encoded_list(self.items), encoded_list(self.entities))

    @classmethod
    def from_dict(cls, data: dict) -> "Analysis":
        return cls(
            meeting=Meeting.from_dict(data.get("meeting") or {}),
            items=[Item.from_dict(item) for item in data.get("items", [])],
            entities=[_from_dict(Entity, entity) for entity in data.get("entities", [])],
            model=dict(data.get("model") or {}),
            warnings=list(data.get("warnings") or []),
            format=data.get("format"),
            error=data.get("error"),
        )

    @classmethod
    def from_doc(cls, doc) -> "Analysis":
        """Read the results the pipeline's components wrote onto a spaCy Doc."""
        meeting = Meeting.from_dict(doc._.meeting or {})
        items = [Item.from_dict(item) for item in (doc._.items or [])]
        spans = list(doc.spans["items"]) if "items" in doc.spans else []
        for item, span in zip(items, spans):
            item.label = span._.label
            item.scores = dict(span._.scores or {})
        entities = place_entities([Entity(label=ent.label_, text=ent.text, start=ent.start_char, end=ent.end_char,
                                          value=ent._.value) for ent in doc.ents], items)
        warnings = [] if items else [NOT_MINUTES]
        return cls(meeting=meeting, items=items, entities=entities, warnings=warnings)


def encoded_list(values: list) -> Iterator[str]:
    """The JSON of `values` (each with a `to_dict`) inside a list's brackets, a thousand at a time."""
    encode = _ENCODER.encode
    for start in range(0, len(values), 1000):
        yield (", " if start else "") + ", ".join(encode(value.to_dict()) for value in values[start:start + 1000])


def record_json_parts(analysis: Analysis, head: dict, tail: dict | None, items: Iterable[str],
                      entities: Iterable[str]) -> Iterator[str]:
    """The record's JSON line in pieces: `head`, then `analysis` without its items and entities,
    whose JSON comes already encoded in `items` and `entities` (what stands between the brackets
    of each list, in pieces), then `tail`."""
    encode = _ENCODER.encode
    yield "{" + ", ".join(f"{encode(key)}: {encode(value)}" for key, value in head.items())
    yield f'{", " if head else ""}"format": {encode(analysis.format)}, "meeting": {encode(analysis.meeting.to_dict())}'
    for key, values in (("items", items), ("entities", entities)):
        yield f', "{key}": ['
        yield from values
        yield "]"
    yield f', "warnings": {encode(list(analysis.warnings))}, "model": {encode(dict(analysis.model))}'
    if analysis.error is not None:
        yield f', "error": {encode(analysis.error)}'
    yield "".join(f", {encode(key)}: {encode(value)}" for key, value in (tail or {}).items()) + "}"
