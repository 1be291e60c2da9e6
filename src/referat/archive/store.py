"""Writing analysed files into the archive: one file's records in one transaction, its old
rows replaced when the file changed, nothing done for a file that is already current.

The records are the ones `referat batch` writes (`Analysis.to_dict()` plus "file",
"meeting_index", "error", "text"); missing keys are taken as empty, so older records load.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from referat.archive.cases import normalise_case, title_key
from referat.archive.schema import SEARCH_TABLE, fold, open_archive
from referat.engines.per_file import content_hash

__all__ = ["open_archive", "file_hash", "is_current", "write_document", "ADDED", "REPLACED", "FAILED"]

ADDED, REPLACED, FAILED = "added", "replaced", "failed"
VOTE_SIDES = ("for", "against", "abstain")
#: the sha256 of a file's bytes (hex), or None when it cannot be read: the batch's own
file_hash = content_hash


def is_current(conn: sqlite3.Connection, content_hash: str | None, model: dict | None) -> bool:
    """True when a file with these bytes is in the archive, analysed without error by this
    model (name and version); with `model` None, by any model."""
    if content_hash is None:
        return False
    query = "SELECT 1 FROM documents WHERE content_hash = ? AND error IS NULL"
    params: list = [content_hash]
    if model is not None:
        query += " AND model_name IS ? AND model_version IS ?"
        params += [model.get("name"), model.get("version")]
    return conn.execute(query + " LIMIT 1", params).fetchone() is not None


def _json(value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _delete_document(conn: sqlite3.Connection, document_id: int) -> None:
    conn.execute(f"DELETE FROM {SEARCH_TABLE} WHERE rowid IN (SELECT i.id FROM items i JOIN meetings m "
                 "ON m.id = i.meeting_id WHERE m.document_id = ?)", (document_id,))
    conn.execute("DELETE FROM documents WHERE id = ?", (document_id,))  # the rest cascades


def _warnings(record: dict) -> list[str]:
    warnings = list(record.get("warnings") or [])
    if record.get("warning"):
        warnings.append(record["warning"])
    return warnings


def _decisions(item: dict) -> list[dict]:
    """The item's decisions; an older record's single "decision" text stands as one."""
    decisions = item.get("decisions")
    if decisions:
        return decisions
    return [{"text": item["decision"]}] if item.get("decision") else []


def _entity_values(entity: dict) -> tuple[float | None, str | None]:
    value = entity.get("value")
    if isinstance(value, bool) or value is None:
        return None, None
    if isinstance(value, (int, float)):
        return float(value), None
    return None, str(value)


def _write_item(conn: sqlite3.Connection, meeting_id: int, position: int, item: dict, text: str | None) -> int:
    scores = item.get("scores") or {}
    decisions = _decisions(item)
    outcome = next((d.get("outcome") for d in reversed(decisions) if d.get("outcome")), None)
    cursor = conn.execute(
        'INSERT INTO items (meeting_id, position, number, title, case_number, case_key, title_key, closed, label, '
        'score, scores, outcome, page, "start", "end") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        (meeting_id, position, item.get("number"), item.get("title"), item.get("case_number"),
         normalise_case(item.get("case_number")), title_key(item.get("title")), int(bool(item.get("closed"))),
         item.get("label"), max(scores.values()) if scores else None, _json(scores) if scores else None,
         outcome, item.get("page"), item.get("start"), item.get("end")))
    item_id = cursor.lastrowid
    section_texts = []
    for index, section in enumerate(item.get("sections") or []):
        start, end = section.get("start"), section.get("end")
        body = text[start:end] if text is not None and start is not None and end is not None else None
        if body:
            section_texts.append(body)
        conn.execute('INSERT INTO sections (item_id, position, name, heading, "start", "end", text) '
                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (item_id, index, section.get("name"), section.get("heading"), start, end, body))
    decision_texts = []
    for index, decision in enumerate(decisions):
        if decision.get("text"):
            decision_texts.append(decision["text"])
        conn.execute("INSERT INTO decisions (item_id, idx, body, date, outcome, amended, text, dissent) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (item_id, index, decision.get("body"), decision.get("date"), decision.get("outcome"),
                      int(bool(decision.get("amended"))), decision.get("text"),
                      _json(decision.get("dissent")) if decision.get("dissent") else None))
        votes = decision.get("votes") or {}
        conn.executemany(
            "INSERT INTO votes (item_id, decision_index, side, party, party_name, name, count) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(item_id, index, side, vote.get("party"), vote.get("party_name"), vote.get("name"), vote.get("count"))
             for side in VOTE_SIDES for vote in votes.get(side) or []])
    # the searchable text: sections where the record carried its text, decisions (which may
    # repeat a Beslutning section's text: harmless for matching)
    body = "\n\n".join(section_texts + [t for t in decision_texts if t not in section_texts])
    title = item.get("title") or ""
    conn.execute(f"INSERT INTO {SEARCH_TABLE} (rowid, title, body, title_display, body_display) "
                 "VALUES (?, ?, ?, ?, ?)", (item_id, fold(title), fold(body), title, body))
    return item_id


def _write_meeting(conn: sqlite3.Connection, document_id: int, index: int, record: dict) -> None:
    meeting = record.get("meeting") or {}
    cursor = conn.execute(
        "INSERT INTO meetings (document_id, meeting_index, municipality, committee, date, time, place, kind, "
        "warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (document_id, index, meeting.get("municipality"), meeting.get("committee"), meeting.get("date"),
         meeting.get("time"), meeting.get("place"), meeting.get("kind"), _json(_warnings(record) or None)))
    meeting_id = cursor.lastrowid
    conn.executemany(
        "INSERT INTO members (meeting_id, name, party, party_name, absent) VALUES (?, ?, ?, ?, ?)",
        [(meeting_id, member.get("name"), member.get("party"), member.get("party_name"), int(group == "absent"))
         for group in ("members", "absent") for member in meeting.get(group) or [] if member.get("name")])
    text = record.get("text")
    item_ids = [_write_item(conn, meeting_id, position, item, text)
                for position, item in enumerate(record.get("items") or [], start=1)]
    rows = []
    for entity in record.get("entities") or []:
        position = entity.get("item")
        item_id = item_ids[position - 1] if isinstance(position, int) and 1 <= position <= len(item_ids) else None
        value_num, value_text = _entity_values(entity)
        rows.append((meeting_id, item_id, entity.get("label"), entity.get("text"), value_num, value_text,
                     entity.get("start"), entity.get("end")))
    conn.executemany('INSERT INTO entities (meeting_id, item_id, label, text, value_num, value_text, "start", "end") '
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)


def write_document(conn: sqlite3.Connection, path: str, content_hash: str | None, records: list[dict]) -> str:
    """Write one file's records (all its meetings, or its error record) in one transaction,
    replacing whatever the archive held for the same path. Returns ADDED, REPLACED or FAILED."""
    if not records:
        raise ValueError(f"no records for {path}")
    error = next((r["error"] for r in records if r.get("error")), None)
    first = records[0]
    model = first.get("model") or {}
    conn.execute("BEGIN IMMEDIATE")
    try:
        old = conn.execute("SELECT id FROM documents WHERE path = ?", (path,)).fetchone()
        if old is not None:
            _delete_document(conn, old["id"])
        cursor = conn.execute(
            "INSERT INTO documents (path, content_hash, format, indexed_at, model_name, model_version, error) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (path, content_hash, first.get("format"), datetime.now(UTC).isoformat(timespec="seconds"),
             model.get("name"), model.get("version"), error))
        if error is None:
            ordered = sorted(records, key=lambda r: r.get("meeting_index") or 0)
            for position, record in enumerate(ordered):
                index = record.get("meeting_index")
                _write_meeting(conn, cursor.lastrowid, position if index is None else index, record)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    if error is not None:
        return FAILED
    return ADDED if old is None else REPLACED
