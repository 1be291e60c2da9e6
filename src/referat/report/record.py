"""Reading one meeting record (`Analysis.to_dict()` plus batch keys) for the report.

Plain functions shared by the HTML page and the terminal summary, so each reading of a
record (the last decision, an item's amounts, Danish number style) lives in one place.
Older records lack "format", "page", "decisions" and "text"; every reader here copes.
"""

from __future__ import annotations

from collections.abc import Mapping
from numbers import Real

from referat.errors import ReferatError


class ReportError(ReferatError):
    """A record (or timeline) that cannot be reported: wrong shape or offsets past its text."""


def check_record(record) -> dict:
    """Return the record if it is shaped like one, else raise ReportError saying what is wrong."""
    if not isinstance(record, Mapping):
        raise ReportError(f"a meeting record must be a JSON object, not {type(record).__name__}")
    if "error" in record and "items" not in record:
        return dict(record)
    for key, kind in (("meeting", Mapping), ("items", list), ("entities", list)):
        if key in record and record[key] is not None and not isinstance(record[key], kind):
            raise ReportError(f"the record's {key!r} must be a {'JSON object' if kind is Mapping else 'list'}")
    for position, item in enumerate(record.get("items") or [], start=1):
        if not isinstance(item, Mapping):
            raise ReportError(f"item {position} of the record is not a JSON object")
    for position, entity in enumerate(record.get("entities") or [], start=1):
        if not isinstance(entity, Mapping):
            raise ReportError(f"entity {position} of the record is not a JSON object")
    return dict(record)


def check_offsets(record: Mapping, text: str) -> None:
    """Raise ReportError when an item or entity points past the end of `text`."""
    size = len(text)
    for position, item in enumerate(record.get("items") or [], start=1):
        start, end = _span(item)
        if start is None or not 0 <= start <= end <= size:
            raise ReportError(f"item {position} spans {start}..{end} but the text has {size} characters: "
                              "is this the text that was analysed?")
    for position, entity in enumerate(record.get("entities") or [], start=1):
        start, end = _span(entity)
        if start is None or not 0 <= start <= end <= size:
            raise ReportError(f"entity {position} spans {start}..{end} but the text has {size} characters: "
                              "is this the text that was analysed?")


def _span(data: Mapping) -> tuple[int | None, int | None]:
    start, end = data.get("start"), data.get("end")
    if isinstance(start, int) and isinstance(end, int):
        return start, end
    return None, None


def format_kroner(value) -> str:
    """Whole kroner in Danish style: 1400000 -> "1.400.000 kr."."""
    return f"{round(value):,} kr.".replace(",", ".")


def format_percent(probability: float) -> str:
    """A probability as a Danish percentage: 0.8 -> "80 %"."""
    return f"{round(probability * 100)} %"


def last_decision(item: Mapping) -> dict | None:
    """The item's last decision (a dict of "decisions"), or None when the record has none."""
    decisions = item.get("decisions") or []
    last = decisions[-1] if decisions else None
    return dict(last) if isinstance(last, Mapping) else None


def outcome(item: Mapping) -> str | None:
    """The outcome of the item's last decision, or None."""
    decision = last_decision(item)
    return (decision or {}).get("outcome") or None


VOTE_GROUPS = (("for", "for"), ("against", "imod"), ("abstain", "undlod"))


def votes_text(votes: Mapping | None) -> str:
    """A short line for a decision's votes: "for: A 5, F · imod: V"; a printed total that is no
    one voter's goes in brackets ("for: A, F, Ø (15)"); "" when no votes are recorded."""
    parts = []
    for key, word in VOTE_GROUPS:
        entries = [voter for voter in (votes or {}).get(key) or [] if isinstance(voter, Mapping)]
        voters = [_voter(voter) for voter in entries if _who(voter)]
        totals = [voter["count"] for voter in entries if not _who(voter) and _is_count(voter.get("count"))]
        if voters or totals:
            total = f" ({sum(totals)})" if totals else ""
            parts.append(f"{word}: {', '.join(voters) or 'i alt'}{total}")
    return " · ".join(parts)


def _who(voter: Mapping) -> str | None:
    return voter.get("party") or voter.get("name") or voter.get("party_name") or None


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _voter(voter: Mapping) -> str:
    who, count = _who(voter), voter.get("count")
    return f"{who} {count}" if _is_count(count) else str(who)


def top_score(item: Mapping) -> float | None:
    """The highest class probability of the item, or None without scores."""
    scores = [value for value in (item.get("scores") or {}).values() if _is_number(value)]
    return max(scores) if scores else None


def label_score(item: Mapping) -> float | None:
    """The probability of the item's own label (the top one when the label has none)."""
    scores = item.get("scores") or {}
    value = scores.get(item.get("label"))
    return value if _is_number(value) else top_score(item)


def _is_number(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def entities_by_item(record: Mapping) -> dict[int, list[dict]]:
    """Entities grouped by the 1-based position of their item (its "item" key; where that key
    is missing, the item whose span holds the entity's start). Header entities are left out."""
    items = record.get("items") or []
    spans = [_span(item) for item in items]
    grouped: dict[int, list[dict]] = {}
    for entity in record.get("entities") or []:
        if "item" in entity:
            position = entity.get("item")
        else:
            start = entity.get("start")
            position = next((index for index, (s, e) in enumerate(spans, start=1)
                             if s is not None and isinstance(start, int) and s <= start < e), None)
        if isinstance(position, int) and 1 <= position <= len(items):
            grouped.setdefault(position, []).append(dict(entity))
    return grouped


def amounts(entities: list[Mapping]) -> list[int]:
    """The kroner values of the AMOUNT entities among `entities`, in order (unvalued ones skipped)."""
    return [round(entity["value"]) for entity in entities
            if entity.get("label") == "AMOUNT" and _is_number(entity.get("value"))]


def amount_sum(entities: list[Mapping]) -> int | None:
    """The sum of the AMOUNT values among `entities`, or None when there are none."""
    values = amounts(entities)
    return sum(values) if values else None


def meeting_line(record: Mapping) -> str:
    """One line naming the meeting: committee, municipality, date and time, kind."""
    meeting = record.get("meeting") or {}
    when = " ".join(str(meeting[key]) for key in ("date", "time") if meeting.get(key))
    parts = [meeting.get("committee"), meeting.get("municipality"), when, meeting.get("kind")]
    return " · ".join(str(part) for part in parts if part) or str(record.get("file") or "møde")
