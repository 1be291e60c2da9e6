"""Cases across meetings: case numbers folded to one key, titles keyed for conservative
linking, and a case's timeline from committee to council.

A case is keyed by (municipality, `normalise_case(number)`). An item printed without a case
number joins a case only by its title: the same `title_key` (at least `MIN_TITLE_WORDS`
words) in the same municipality, within `LINK_MONTHS` months of an item of the case.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import date as Date
from pathlib import Path

from referat.archive.schema import ArchiveError, open_archive

# the words printed before a case number ("Sagsnr.: 22-012933", "Sag nr. 22/12933", "J.nr.")
CASE_PREFIX = re.compile(
    r"^\s*(?:(?:acadre|sbsys|esdh)[\s-]*)?(?:sag(?:s)?\s*(?:nr|nummer)|j(?:ournal)?\s*\.?\s*nr|journalnummer)"
    r"\s*\.?\s*:?\s*", re.IGNORECASE)
# year/serial: "22-012933", "22/12933", "2022-012933" (the serial's leading zeros are dropped)
YEAR_SERIAL = re.compile(r"^(\d{2}|\d{4})\s*[-/]\s*(\d+)$")

# what goes before a title that is not the title: "Lukket: ", "Åben punkt - ", "B - ", "ØU: ",
# item numbers ("3.", "Pkt. 3", "Punkt 3:")
TITLE_PREFIXES = (
    re.compile(r"^(?:lukket|åben|aaben)(?:\s+punkt)?\s*[:\-–]\s*", re.IGNORECASE),
    re.compile(r"^\((?:lukket|åben)\)\s*", re.IGNORECASE),
    re.compile(r"^(?:pkt\.?|punkt|nr\.?)\s*\d+\s*[.:\-–]?\s*", re.IGNORECASE),
    re.compile(r"^\d+\s*[.):\-–]\s*"),
    re.compile(r"^[A-ZÆØÅ]{1,3}\s*[:\-–]\s+"),
)
MIN_TITLE_WORDS = 4
LINK_MONTHS = 18


def normalise_case(number: str | None) -> str | None:
    """One key for the ways a case number is printed: "Sagsnr. 22-012933", "22/12933" and
    "Sag nr. 22/012933" all give "22-12933". Other journal numbers (KLE style,
    "22.01.00-P20-1-22") are kept as printed, upper-cased, spaces removed. None for a
    text that holds no digit."""
    if not number:
        return None
    text = CASE_PREFIX.sub("", number.strip()).strip(" .:;,")
    if not any(char.isdigit() for char in text):
        return None
    match = YEAR_SERIAL.match(text)
    if match:
        return f"{match.group(1)}-{int(match.group(2))}"
    return re.sub(r"\s+", "", text).upper()


def title_key(title: str | None) -> str | None:
    """The title for linking items that print no case number: case-folded, prefix codes
    and 'Lukket:' dropped, whitespace collapsed; None when fewer than MIN_TITLE_WORDS words
    are left (short titles such as 'Godkendelse af dagsorden' recur without being one case)."""
    if not title:
        return None
    text = " ".join(title.split())
    changed = True
    while changed:
        changed = False
        for pattern in TITLE_PREFIXES:
            stripped = pattern.sub("", text, count=1)
            if stripped != text:
                text, changed = stripped, True
    text = text.casefold().strip(" .:;,-–")
    words = re.findall(r"\w+", text)
    return text if len(words) >= MIN_TITLE_WORDS else None


def _parse_date(value: str | None) -> Date | None:
    try:
        return Date.fromisoformat(value) if value else None
    except ValueError:
        return None


def within_months(first: str | None, second: str | None, months: int = LINK_MONTHS) -> bool:
    """True when both ISO dates are known and at most `months` calendar months apart."""
    a, b = _parse_date(first), _parse_date(second)
    if a is None or b is None:
        return False
    if a > b:
        a, b = b, a
    apart = (b.year - a.year) * 12 + (b.month - a.month)
    return apart < months or (apart == months and b.day <= a.day)


_ITEM_ROWS = """
SELECT i.id, i.number, i.title, i.case_number, i.case_key, i.title_key, i.outcome, i.label,
       m.municipality, m.committee, m.date, d.path AS file
FROM items i JOIN meetings m ON m.id = i.meeting_id JOIN documents d ON d.id = m.document_id
"""


def _votes(conn: sqlite3.Connection, item_id: int) -> dict[str, list[str]]:
    """The votes of the item's last decision: side -> ["A (5)", "Anne Holm (Ø)", ...]."""
    rows = conn.execute(
        "SELECT side, party, name, count FROM votes WHERE item_id = ? AND decision_index = "
        "(SELECT MAX(decision_index) FROM votes WHERE item_id = ?) ORDER BY rowid", (item_id, item_id)).fetchall()
    votes: dict[str, list[str]] = {"for": [], "against": [], "abstain": []}
    for row in rows:
        who = row["name"] or row["party"] or "?"
        if row["name"] and row["party"]:
            who = f"{row['name']} ({row['party']})"
        votes[row["side"]].append(f"{who} ({row['count']})" if row["count"] else who)
    return votes


def votes_summary(votes: dict[str, list[str]]) -> str:
    """'for: A (5), V; against: Ø' — the sides that have votes, in a fixed order."""
    return "; ".join(f"{side}: {', '.join(who)}" for side, who in votes.items() if who)


def _timeline_row(conn: sqlite3.Connection, row: sqlite3.Row, linked_by: str) -> dict:
    amount = conn.execute("SELECT SUM(value_num) FROM entities WHERE item_id = ? AND label = 'AMOUNT'",
                          (row["id"],)).fetchone()[0]
    votes = _votes(conn, row["id"])
    return {"date": row["date"], "municipality": row["municipality"], "committee": row["committee"],
            "number": row["number"], "title": row["title"], "case_number": row["case_number"],
            "outcome": row["outcome"], "label": row["label"], "amount": amount, "votes": votes,
            "votes_summary": votes_summary(votes), "file": row["file"], "linked_by": linked_by,
            "item_id": row["id"]}


def case_timeline(db: str | Path, number: str, municipality: str | None = None) -> list[dict]:
    """Every item of one case in date order: date, committee, number, title, outcome, label,
    amount (sum of the item's AMOUNTs, kroner), votes and votes_summary, file; `linked_by`
    says whether the item printed the case number or joined by its title."""
    key = normalise_case(number)
    if key is None:
        raise ArchiveError(f"{number!r} is not a case number (e.g. 22-012933 or 22.01.00-P20-1-22)")
    conn = open_archive(db)
    try:
        query = _ITEM_ROWS + " WHERE i.case_key = ?"
        params: list = [key]
        if municipality is not None:
            query += " AND m.municipality = ?"
            params.append(municipality)
        found = conn.execute(query, params).fetchall()
        rows = [_timeline_row(conn, row, "case_number") for row in found]
        seen = {row["id"] for row in found}
        for anchor in found:
            if not anchor["title_key"]:
                continue
            candidates = conn.execute(
                _ITEM_ROWS + " WHERE i.case_key IS NULL AND i.title_key = ? AND m.municipality IS ?",
                (anchor["title_key"], anchor["municipality"])).fetchall()
            for candidate in candidates:
                if candidate["id"] not in seen and within_months(anchor["date"], candidate["date"]):
                    seen.add(candidate["id"])
                    rows.append(_timeline_row(conn, candidate, "title"))
    finally:
        conn.close()
    rows.sort(key=lambda r: (r["date"] is None, r["date"] or "", r["committee"] or "", r["file"], r["item_id"]))
    return rows
