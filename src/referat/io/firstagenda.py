"""FirstAgenda JSON: one meeting object rendered as minutes text, with the items, sections
and meeting header taken exactly from the JSON (`Document.items`, `Document.meeting`).

The text: committee, kind, "Mødedato", "Mødetid", "Mødested", "Deltagere", "Fraværende"
lines, then per item "N. Title", "Sagsnr.: ...", and each section heading of its fields
on its own line followed by the section's text.
"""

from __future__ import annotations

import json
from datetime import datetime

from referat.analysis import Item, Meeting, Member, Section
from referat.errors import BrokenFileError, EmptyTextError
from referat.io.document import Document
from referat.io.html import fragment_blocks
from referat.io.text import decode
from referat.structure.styles import load_styles

OTHER_SECTION = "andet"
# where a meeting object may state its municipality (FirstAgenda exports differ)
MUNICIPALITY_KEYS = ("Kommune", "KommuneNavn", "Municipality", "MunicipalityName", "Organisation")
# where a participant may state a party
PARTY_KEYS = ("Party", "Parti", "PartyShortName", "Partibogstav")
PARTY_NAME_KEYS = ("PartyName", "Partinavn")
# a title with this prefix is a closed item
CLOSED_PREFIX = "lukket:"


def _first(mapping: dict, *keys):
    for key in keys:
        value = mapping.get(key)
        if value not in (None, ""):
            return value
    return None


def _member(person: dict) -> Member:
    return Member(name=str(person.get("Name") or person.get("Navn") or "").strip(),
                  party=_first(person, *PARTY_KEYS), party_name=_first(person, *PARTY_NAME_KEYS))


def _when(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None, None
    return moment.strftime("%Y-%m-%d"), moment.strftime("%H:%M")


def _kind(data: dict, has_decisions: bool) -> str:
    meeting = data.get("Moede") or {}
    supplementary = bool(data.get("TillaegsDagsorden") or meeting.get("IsSupplementaryAgenda"))
    if has_decisions:
        return "tillægsreferat" if supplementary else "referat"
    return "tillægsdagsorden" if supplementary else "dagsorden"


def _sorted_items(data: dict) -> list[dict]:
    items = [item for item in data.get("Dagsordenpunkter") or [] if isinstance(item, dict)]
    return [item for _, item in sorted(enumerate(items), key=lambda pair: (pair[1].get("Sorting") is None,
                                                                          pair[1].get("Sorting") or 0, pair[0]))]


class _Writer:
    def __init__(self):
        self.parts: list[str] = []
        self.length = 0

    def line(self, text: str = "") -> int:
        """Write one line; return the offset where it starts."""
        start = self.length
        self.parts.append(text + "\n")
        self.length += len(text) + 1
        return start

    def text(self) -> str:
        return "".join(self.parts)


def _item_blocks(item: dict) -> list[tuple[str, str]]:
    blocks: list[tuple[str, str]] = []
    for field in item.get("Felter") or []:
        if not isinstance(field, dict):
            continue
        label = (field.get("Navn") or "").strip()
        if label:
            blocks.append(("heading", label))
        if field.get("Html"):
            blocks.extend(fragment_blocks(field["Html"]))
        elif field.get("Tekst"):
            blocks.append(("text", str(field["Tekst"]).strip()))
    return blocks


def section_styles():
    """The structure package's style table (its section vocabulary), as the shipped pipeline
    carries it."""
    return load_styles()


def render(data: dict, name: str | None = None, styles=None) -> Document:
    """The Document of one FirstAgenda meeting object."""
    styles = styles or section_styles()
    meeting = data.get("Moede") or {}
    committee = (data.get("Udvalg") or {}).get("Navn") or None
    date, time = _when(meeting.get("Dato") or meeting.get("MeetingBeginUtc"))
    place = meeting.get("Sted") or None
    people = [p for p in meeting.get("Moededeltagere") or [] if isinstance(p, dict)]
    members = [_member(p) for p in people]
    absent = [_member(p) for p in people if p.get("Absent") or p.get("ParticipationCancelled")]
    municipality = _first(data, *MUNICIPALITY_KEYS) or _first(data.get("Udvalg") or {}, *MUNICIPALITY_KEYS)

    body = _Writer()
    items: list[Item] = []
    for raw in _sorted_items(data):
        number = _first(raw, "Number", "Punktnummer")
        number = str(number).strip() if number is not None else None
        title = str(_first(raw, "Caption", "Navn") or "").strip()
        case_number = _first(raw, "CaseNumber", "SagsNummer")
        start = body.line(f"{number}. {title}" if number else title)
        if case_number:
            body.line(f"Sagsnr.: {case_number}")
        sections: list[list] = []
        for kind, text in _item_blocks(raw):
            if kind == "heading":
                name_ = styles.section_name(text) or OTHER_SECTION
                sections.append([name_, text.rstrip(":").strip(), body.line(text), None, []])
            else:
                for line in text.split("\n"):
                    body.line(line)
                if sections:
                    sections[-1][4].append(text)
        end = body.length
        body.line()
        for index, section in enumerate(sections):
            section[3] = sections[index + 1][2] if index + 1 < len(sections) else end
        decisions = [("\n".join(s[4])).strip() for s in sections if s[0] == "beslutning"]
        decision = "\n\n".join(d for d in decisions if d) or None
        items.append(Item(number=number, title=title, start=start, end=end,
                          case_number=str(case_number) if case_number else None,
                          closed=title.casefold().startswith(CLOSED_PREFIX),
                          sections=[Section(s[0], s[1], s[2], s[3]) for s in sections], decision=decision))

    kind = _kind(data, any(item.decision for item in items))
    head = _Writer()
    for line in (municipality, committee, kind.capitalize()):
        if line:
            head.line(line)
    if date:
        year, month, day = date.split("-")
        head.line(f"Mødedato: {day}.{month}.{year}")
    if time:
        head.line(f"Mødetid: {time}")
    if place:
        head.line(f"Mødested: {place}")
    present = [m.name for m in members if m.name and m.name not in {a.name for a in absent}]
    if present:
        head.line("Deltagere: " + ", ".join(present))
    if absent:
        head.line("Fraværende: " + ", ".join(a.name for a in absent))
    head.line()
    shift = head.length
    for item in items:
        item.start += shift
        item.end += shift
        for section in item.sections:
            section.start += shift
            section.end += shift
    text = head.text() + body.text()
    if not text.strip():
        raise EmptyTextError(f"{name or 'the FirstAgenda JSON'} holds no meeting text")
    facts = Meeting(municipality=municipality, committee=committee, date=date, time=time, place=place,
                    kind=kind, members=members, absent=absent)
    document = Document(text=text, format="firstagenda", name=name, encoding="utf-8",
                        meeting=facts.to_dict(), items=[item.to_dict() for item in items])
    if not items:
        document.warnings.append("the FirstAgenda JSON holds no agenda items (Dagsordenpunkter)")
    return document


def read_firstagenda(data: bytes, name: str | None = None) -> Document:
    """A FirstAgenda JSON file as a Document; a list of meetings must hold exactly one."""
    label = name or "the FirstAgenda JSON"
    text, encoding = decode(data, label)
    try:
        value = json.loads(text)
    except ValueError as error:
        raise BrokenFileError(f"{label} is not valid JSON: {error}") from None
    if isinstance(value, list):
        if len(value) != 1:
            raise BrokenFileError(f"{label} holds {len(value)} meetings: give one meeting per file")
        value = value[0]
    if not isinstance(value, dict) or not isinstance(value.get("Dagsordenpunkter"), list):
        raise BrokenFileError(f"{label} is not a FirstAgenda meeting: it has no 'Dagsordenpunkter' list")
    document = render(value, name)
    document.encoding = encoding
    return document
