"""The archive's tables: one plain SQLite file that Datasette, pandas `read_sql` or any SQL
tool reads as it is (no custom functions needed to read it).

    documents   one row per indexed file: path (unique), content_hash (sha256 of the bytes),
                format, indexed_at (ISO 8601, UTC), model_name, model_version, error (the
                "ExceptionType: message" of a file that failed, else NULL)
    meetings    one row per meeting record of a document (meeting_index: a file may hold
                several): municipality, committee, date (YYYY-MM-DD), time, place, kind,
                warnings (JSON list)
    members     meeting_id, name, party (letter), party_name, absent (0/1)
    items       one row per agenda item: position (1-based in its meeting), number as
                printed, title, case_number as printed, case_key (see `cases.normalise_case`),
                title_key (see `cases.title_key`), closed, label, score (top probability),
                scores (JSON), outcome (of the last decision), page, start, end
    sections    item_id, position, name (canonical), heading (as printed), start, end, text
                (NULL when the record carried no text)
    decisions   item_id, idx (0-based), body, date, outcome, amended, text, dissent (JSON)
    votes       item_id, decision_index (= decisions.idx), side (for/against/abstain), party,
                party_name, name, count
    entities    meeting_id, item_id (NULL in the header), label, text, value_num (REAL: kroner
                for AMOUNT, so SUM(value_num) works), value_text (party name, canonical ORG),
                start, end
    search      FTS5 over each item (rowid = items.id): title and body (sections and decision
                texts), both folded by `fold` (lower case, æ->ae, ø->oe, å->aa, é->e), with
                the original text beside them (UNINDEXED) for display

Every child row goes with its parent (ON DELETE CASCADE); `search` rows are deleted by the
store with their items. `PRAGMA user_version` holds the schema version and
`PRAGMA application_id` marks the file as a referat archive.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from referat.errors import ReferatError

SCHEMA_VERSION = 1
# 'RFAR' as a big-endian 32-bit integer: tells a referat archive from any other SQLite file
APPLICATION_ID = 0x52464152

# plain tables in the order they are created (and exported); `search` is the FTS5 table
TABLES = ("documents", "meetings", "members", "items", "sections", "decisions", "votes", "entities")
SEARCH_TABLE = "search"

DDL_V1 = """
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    content_hash TEXT,
    format TEXT,
    indexed_at TEXT NOT NULL,
    model_name TEXT,
    model_version TEXT,
    error TEXT
);
CREATE INDEX documents_hash ON documents (content_hash);

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    meeting_index INTEGER NOT NULL DEFAULT 0,
    municipality TEXT,
    committee TEXT,
    date TEXT,
    time TEXT,
    place TEXT,
    kind TEXT,
    warnings TEXT,
    UNIQUE (document_id, meeting_index)
);
CREATE INDEX meetings_municipality_date ON meetings (municipality, date);

CREATE TABLE members (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    party TEXT,
    party_name TEXT,
    absent INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX members_meeting ON members (meeting_id);

CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    number TEXT,
    title TEXT,
    case_number TEXT,
    case_key TEXT,
    title_key TEXT,
    closed INTEGER NOT NULL DEFAULT 0,
    label TEXT,
    score REAL,
    scores TEXT,
    outcome TEXT,
    page INTEGER,
    "start" INTEGER,
    "end" INTEGER
);
CREATE INDEX items_meeting ON items (meeting_id);
CREATE INDEX items_case_key ON items (case_key);
CREATE INDEX items_title_key ON items (title_key);

CREATE TABLE sections (
    item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT,
    heading TEXT,
    "start" INTEGER,
    "end" INTEGER,
    text TEXT
);
CREATE INDEX sections_item ON sections (item_id);

CREATE TABLE decisions (
    item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    body TEXT,
    date TEXT,
    outcome TEXT,
    amended INTEGER NOT NULL DEFAULT 0,
    text TEXT,
    dissent TEXT,
    PRIMARY KEY (item_id, idx)
);

CREATE TABLE votes (
    item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    decision_index INTEGER NOT NULL,
    side TEXT NOT NULL CHECK (side IN ('for', 'against', 'abstain')),
    party TEXT,
    party_name TEXT,
    name TEXT,
    count INTEGER
);
CREATE INDEX votes_item ON votes (item_id);
CREATE INDEX votes_party_side ON votes (party, side);

CREATE TABLE entities (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    item_id INTEGER REFERENCES items (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    text TEXT,
    value_num REAL,
    value_text TEXT,
    "start" INTEGER,
    "end" INTEGER
);
CREATE INDEX entities_meeting ON entities (meeting_id);
CREATE INDEX entities_item ON entities (item_id);
CREATE INDEX entities_label ON entities (label);

CREATE VIRTUAL TABLE search USING fts5 (
    title, body, title_display UNINDEXED, body_display UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
"""

# schema version reached -> the statements that lead to it from the version before
MIGRATIONS: dict[int, str] = {1: DDL_V1}


class ArchiveError(ReferatError):
    """An archive that is missing, is not a referat archive, or has an unknown schema version."""


# Danish folding for search: the one place it is defined (applied at index and query time)
# (other accents are removed by the tokenizer, `unicode61 remove_diacritics 2`)
FOLDS = {"æ": "ae", "ø": "oe", "å": "aa", "é": "e"}


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original character
    it came from (folding can make a text longer: æ -> ae)."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = "".join(FOLDS.get(c, c) for c in char.lower())
        out.append(folded)
        origin.extend([index] * len(folded))
    return "".join(out), origin


_FOLD_TABLE = str.maketrans(FOLDS)


def fold(text: str | None) -> str:
    """Lower case with æ->ae, ø->oe, å->aa, é->e: 'Engvej Skole', 'engvej skole' fold alike,
    and so do 'Børnehave' and 'boernehave'. (The same as `fold_with_offsets(text)[0]`,
    at C speed.)"""
    return (text or "").lower().translate(_FOLD_TABLE)


def _user_tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").fetchall()
    return {name for (name,) in rows if not name.startswith("sqlite_")}


def _migrate(conn: sqlite3.Connection, version: int) -> None:
    """Bring the schema from `version` to SCHEMA_VERSION, one step per transaction."""
    for target in range(version + 1, SCHEMA_VERSION + 1):
        try:
            conn.executescript("BEGIN;\n" + MIGRATIONS[target] + f"\nPRAGMA application_id = {APPLICATION_ID};"
                               f"\nPRAGMA user_version = {target};\nCOMMIT;")
        except sqlite3.Error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def open_archive(db: str | Path, *, create: bool = False) -> sqlite3.Connection:
    """A connection to the archive at `db` (WAL mode, foreign keys on, rows as sqlite3.Row),
    migrated to the current schema. With `create`, a missing or empty file becomes a new
    archive; without it, a missing file is an ArchiveError. A file that is not a referat
    archive, or has a schema version newer than this code knows, is an ArchiveError."""
    path = Path(db)
    if not create and not path.is_file():
        raise ArchiveError(f"no archive at {path}: build one with index_paths (referat index) first")
    if path.is_dir():
        raise ArchiveError(f"{path} is a folder: give the archive's file name, e.g. archive.sqlite")
    try:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        application = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = _user_tables(conn)
    except sqlite3.DatabaseError as error:
        raise ArchiveError(f"{path} is not a referat archive (not an SQLite database: {error})") from error
    if application != APPLICATION_ID and (tables or version):
        conn.close()
        raise ArchiveError(f"{path} is not a referat archive (an SQLite database of something else)")
    if version > SCHEMA_VERSION:
        conn.close()
        raise ArchiveError(f"{path} has archive schema version {version}; this referat knows versions up to "
                           f"{SCHEMA_VERSION}: upgrade referat to read it")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")  # in WAL mode: consistent after a crash, one sync per checkpoint
    conn.execute("PRAGMA foreign_keys = ON")
    if version < SCHEMA_VERSION:
        _migrate(conn, version)
    return conn
