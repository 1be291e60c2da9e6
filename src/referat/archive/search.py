"""Full-text search over the archive's items (FTS5, ranked by bm25), with filters.

The query is folded as the index was (`schema.fold`), so "Engvej Skole", "engvej skole" and
"boernehave" for "børnehave" all match. Every word of the query is quoted for FTS5, so
quotes, hyphens and FTS5 operators typed by a user are text, never syntax:
- words are ANDed: `skole tilbygning`;
- "double quotes" make a phrase, and so does a hyphenated word (`22-12933`);
- a trailing `*` makes a prefix: `skole*`.
"""

from __future__ import annotations

import re
from pathlib import Path

from referat.archive.schema import SEARCH_TABLE, fold, fold_with_offsets, open_archive

# bm25 weights of the FTS5 columns (title, body, and the two display columns)
TITLE_WEIGHT, BODY_WEIGHT = 5.0, 1.0
SNIPPET_TOKENS = 12
# markers used inside the query, replaced by the caller's on the original text
_OPEN, _CLOSE, _ELLIPSIS = "\ue000", "\ue001", "\ue002"
_CHUNKS = re.compile(r'"([^"]*)"(\*?)|(\S+)')
_WORD = re.compile(r"\w+")


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for a user's query, or None when it holds no word."""
    terms = []
    for phrase, phrase_star, chunk in _CHUNKS.findall(query):
        raw = phrase if phrase or phrase_star else chunk
        prefix = bool(phrase_star) or (chunk.endswith("*") and not phrase)
        words = _WORD.findall(fold(raw))
        if words:
            terms.append('"' + " ".join(words) + '"' + ("*" if prefix else ""))
    return " ".join(terms) or None


def _display(folded_snippet: str, folded: str, origin: list[int], original: str,
             markers: tuple[str, str], ellipsis: str) -> str:
    """The FTS5 snippet (taken from the folded text) shown in the original text, with the
    caller's markers around the hits."""
    plain = folded_snippet.replace(_OPEN, "").replace(_CLOSE, "")
    leading = plain.startswith(_ELLIPSIS)
    trailing = plain.endswith(_ELLIPSIS) and len(plain) > 1
    plain = plain.strip(_ELLIPSIS)
    base = folded.find(plain) if plain else -1
    if base < 0 or not origin:
        return folded_snippet.replace(_OPEN, markers[0]).replace(_CLOSE, markers[1]).replace(_ELLIPSIS, ellipsis)

    def original_at(folded_index: int) -> int:  # first original character of a folded position
        return origin[min(folded_index, len(origin) - 1)] if folded_index < len(origin) else len(original)

    pieces, cursor, position = [], original_at(base), base
    for token in re.split(f"([{_OPEN}{_CLOSE}])", folded_snippet.strip(_ELLIPSIS)):
        if token == _OPEN or token == _CLOSE:
            at = original_at(position)
            pieces.append(original[cursor:at])
            pieces.append(markers[0] if token == _OPEN else markers[1])
            cursor = at
        else:
            position += len(token)
    end = original_at(base + len(plain))
    pieces.append(original[cursor:end])
    return (ellipsis if leading else "") + "".join(pieces) + (ellipsis if trailing else "")


def search(db: str | Path, query: str, *, label: str | None = None, committee: str | None = None,
           since: str | None = None, until: str | None = None, limit: int = 20,
           markers: tuple[str, str] = ("[", "]"), ellipsis: str = "…") -> list[dict]:
    """Items matching `query`, best first (bm25; title hits weigh more than body hits).
    Filters: `label`, `committee` (folded substring: "teknik" finds Teknik- og
    Miljøudvalget), meeting date `since`/`until` (ISO, inclusive). Each row: date,
    municipality, committee, number, title, label, outcome, case_number, snippet (the hit in
    `markers`), file, item_id."""
    expression = match_expression(query)
    if expression is None:
        return []
    conn = open_archive(db)
    conn.create_function("referat_fold", 1, fold, deterministic=True)
    try:
        sql = [f"""
            SELECT i.id AS item_id, i.number, i.title, i.label, i.outcome, i.case_number,
                   m.date, m.municipality, m.committee, d.path AS file,
                   s.title_display, s.body_display,
                   snippet({SEARCH_TABLE}, 0, ?, ?, ?, {SNIPPET_TOKENS}) AS title_snippet,
                   snippet({SEARCH_TABLE}, 1, ?, ?, ?, {SNIPPET_TOKENS}) AS body_snippet
            FROM {SEARCH_TABLE} s
            JOIN items i ON i.id = s.rowid
            JOIN meetings m ON m.id = i.meeting_id
            JOIN documents d ON d.id = m.document_id
            WHERE {SEARCH_TABLE} MATCH ?"""]
        params: list = [_OPEN, _CLOSE, _ELLIPSIS] * 2 + [expression]
        if label is not None:
            sql.append("AND i.label = ?")
            params.append(label)
        if committee is not None:
            sql.append("AND instr(referat_fold(m.committee), ?) > 0")
            params.append(fold(committee))
        if since is not None:
            sql.append("AND m.date >= ?")
            params.append(since)
        if until is not None:
            sql.append("AND m.date <= ?")
            params.append(until)
        sql.append(f"ORDER BY bm25({SEARCH_TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT}) LIMIT ?")
        params.append(int(limit))
        rows = conn.execute("\n".join(sql), params).fetchall()
    finally:
        conn.close()
    results = []
    for row in rows:
        column = "body" if _OPEN in (row["body_snippet"] or "") else "title"
        original = row[f"{column}_display"] or ""
        folded, origin = fold_with_offsets(original)
        snippet = _display(row[f"{column}_snippet"] or "", folded, origin, original, markers, ellipsis)
        results.append({"date": row["date"], "municipality": row["municipality"], "committee": row["committee"],
                        "number": row["number"], "title": row["title"], "label": row["label"],
                        "outcome": row["outcome"], "case_number": row["case_number"], "snippet": snippet,
                        "file": row["file"], "item_id": row["item_id"]})
    return results
