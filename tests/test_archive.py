"""The archive (referat.archive): schema, store, search, cases, export and indexing, on
composed records (invented municipalities and people), plus one run through the real
pipeline on composed minutes text files."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from referat.archive import (
    ArchiveError,
    case_timeline,
    export_parquet,
    fold,
    index_paths,
    normalise_case,
    open_archive,
    search,
    title_key,
    write_document,
)
from referat.archive.cases import within_months
from referat.archive.schema import SCHEMA_VERSION, TABLES, fold_with_offsets
from referat.archive.search import match_expression
from referat.errors import ReferatError

DOC = Path(__file__).resolve().parents[1] / "docs" / "archive.md"
MODEL = {"name": "da_test", "version": "1.0"}


# --- composing records -------------------------------------------------------------------

def compose(file: str, meeting: dict, items: list[dict], *, with_text: bool = True, meeting_index=None) -> dict:
    """A batch record whose offsets index into the text it is built from. An item is
    {"number", "title", "case_number", "label", "sections": {name: text}, "decisions": [...],
    "amounts": [(text, kroner)]}."""
    text = f"{meeting.get('committee', '')}\n{meeting.get('date', '')}\n\n"
    out_items, entities = [], []
    for position, spec in enumerate(items, start=1):
        start = len(text)
        text += f"{spec['number']}. {spec['title']}\n"
        if spec.get("case_number"):
            text += f"Sagsnr.: {spec['case_number']}\n"
        sections = []
        for name, body in spec.get("sections", {}).items():
            section_start = len(text)
            text += f"{name.capitalize()}\n{body}\n"
            sections.append({"name": name, "heading": name.capitalize(), "start": section_start, "end": len(text)})
        for amount, kroner in spec.get("amounts", []):
            at = text.index(amount, start)
            entities.append({"label": "AMOUNT", "text": amount, "start": at, "end": at + len(amount),
                             "value": kroner, "item": position})
        decisions = spec.get("decisions", [])
        out_items.append({"number": spec["number"], "title": spec["title"], "start": start, "end": len(text),
                          "page": position, "case_number": spec.get("case_number"), "closed": False,
                          "sections": sections, "label": spec.get("label"),
                          "scores": spec.get("scores", {spec.get("label") or "orientering": 0.9, "andet": 0.1}),
                          "decision": decisions[-1]["text"] if decisions else None, "decisions": decisions})
    record = {"file": file, "format": "text", "meeting": {"members": [], "absent": [], **meeting},
              "items": out_items, "entities": entities, "warnings": [], "model": MODEL}
    if meeting_index is not None:
        record["meeting_index"] = meeting_index
    if with_text:
        record["text"] = text
    return record


def votes(**sides) -> dict:
    return {side: [{"party": party, "party_name": None, "name": None, "count": count} for party, count in parties]
            for side, parties in {"for": [], "against": [], "abstain": [], **sides}.items()}


FJORDBY = "Fjordby Kommune"


def school_committee(file: str = "fjordby/bsu-2023-03.txt") -> dict:
    return compose(file, {"municipality": FJORDBY, "committee": "Børne- og Skoleudvalget", "date": "2023-03-14",
                          "members": [{"name": "Anne Holm", "party": "A", "party_name": "Socialdemokratiet"}],
                          "absent": [{"name": "Per Vang", "party": "V", "party_name": "Venstre"}]}, [
        {"number": "4", "title": "Anlægsbevilling til udvidelse af Havbakke Skole", "case_number": "23-004567",
         "label": "bevilling",
         "sections": {"sagsfremstilling": "Havbakke Skole har brug for fire nye klasselokaler. "
                                          "Udvidelsen koster 4,2 mio. kr. i 2023.",
                      "indstilling": "Forvaltningen indstiller, at udvalget anbefaler bevillingen."},
         "decisions": [{"body": "Børne- og Skoleudvalget", "date": "2023-03-14", "text": "Anbefales.",
                        "outcome": "anbefalet", "amended": False, "votes": votes(against=[("Ø", 1)], **{"for": [("A", 5)]}),
                        "dissent": [{"party": "Ø", "party_name": "Enhedslisten", "name": None,
                                     "text": "Ø ønsker sagen udsat."}], "absent": []}],
         "amounts": [("4,2 mio. kr.", 4200000)]},
        {"number": "5", "title": "Orientering om elevtal i skoleåret", "label": "orientering",
         "sections": {"sagsfremstilling": "Elevtallet i Fjordby er steget med 120 elever; "
                                          "en ny børnehave åbner til august. Tilskud 300.000 kr."},
         "decisions": [{"body": "Børne- og Skoleudvalget", "date": "2023-03-14", "text": "Taget til efterretning.",
                        "outcome": "taget til efterretning", "amended": False, "votes": votes(), "dissent": [],
                        "absent": []}],
         "amounts": [("300.000 kr.", 300000)]},
    ])


def council(file: str = "fjordby/byraad-2023-04.txt") -> dict:
    return compose(file, {"municipality": FJORDBY, "committee": "Byrådet", "date": "2023-04-20"}, [
        {"number": "11", "title": "Anlægsbevilling til udvidelse af Havbakke Skole", "case_number": "Sag nr. 23/4567",
         "label": "bevilling",
         "sections": {"sagsfremstilling": "Børne- og Skoleudvalget anbefaler en anlægsbevilling på 4,2 mio. kr."},
         "decisions": [{"body": "Byrådet", "date": "2023-04-20", "text": "Godkendt.", "outcome": "godkendt",
                        "amended": False, "votes": votes(against=[("Ø", 2), ("O", 1)], **{"for": [("A", 15)]}),
                        "dissent": [], "absent": []}],
         "amounts": [("4,2 mio. kr.", 4200000)]},
        {"number": "12", "title": "Lokalplan for boligområde ved Strandengen", "case_number": "22.01.00-P20-1-22",
         "label": "godkendelse", "sections": {"sagsfremstilling": "Lokalplanen muliggør 40 boliger."},
         "decisions": [{"body": "Byrådet", "date": "2023-04-20", "text": "Godkendt.", "outcome": "godkendt",
                        "amended": False, "votes": votes(**{"for": [("A", 15), ("V", 8)]}), "dissent": [],
                        "absent": []}]},
    ])


def follow_up(file: str = "fjordby/bsu-2024-05.txt", date: str = "2024-05-07") -> dict:
    """The school case again, printed without a case number (linked by its title)."""
    return compose(file, {"municipality": FJORDBY, "committee": "Børne- og Skoleudvalget", "date": date}, [
        {"number": "2", "title": "Lukket: Anlægsbevilling til udvidelse af  Havbakke Skole", "label": "bevilling",
         "sections": {"sagsfremstilling": "Byggeriet er i gang; der er brugt 1,1 mio. kr."},
         "decisions": [{"body": "Børne- og Skoleudvalget", "date": date, "text": "Taget til efterretning.",
                        "outcome": "taget til efterretning", "amended": False, "votes": votes(), "dissent": [],
                        "absent": []}],
         "amounts": [("1,1 mio. kr.", 1100000)]},
    ])


def other_town() -> dict:
    """Another municipality with the same case number and title: never part of Fjordby's case."""
    return compose("aaby/bsu-2023-05.txt", {"municipality": "Åby Kommune", "committee": "Skoleudvalget",
                                             "date": "2023-05-02"}, [
        {"number": "3", "title": "Anlægsbevilling til udvidelse af Havbakke Skole", "case_number": "23/4567",
         "label": "bevilling", "sections": {"sagsfremstilling": "En tilbygning til 2,5 mio. kr."},
         "decisions": [{"body": "Skoleudvalget", "date": "2023-05-02", "text": "Godkendt.", "outcome": "godkendt",
                        "amended": False, "votes": votes(), "dissent": [], "absent": []}],
         "amounts": [("2,5 mio. kr.", 2500000)]},
    ])


def build(db: Path, records: list[dict]) -> Path:
    conn = open_archive(db, create=True)
    try:
        for record in records:
            write_document(conn, record["file"], "hash-" + record["file"], [record])
    finally:
        conn.close()
    return db


@pytest.fixture
def archive(tmp_path) -> Path:
    return build(tmp_path / "a.sqlite", [school_committee(), council(), follow_up(), other_town()])


def rows(db: Path, sql: str, params=()) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


# --- schema and opening ------------------------------------------------------------------

def test_new_archive_has_the_tables_wal_foreign_keys_and_version(tmp_path):
    conn = open_archive(tmp_path / "new.sqlite", create=True)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    assert set(TABLES) | {"search"} <= names


def test_errors_for_missing_foreign_and_newer_files(tmp_path):
    with pytest.raises(ArchiveError, match="no archive"):
        open_archive(tmp_path / "missing.sqlite")
    with pytest.raises(ArchiveError, match="no archive"):
        search(tmp_path / "missing.sqlite", "skole")
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database at all, just some bytes" * 100)
    with pytest.raises(ArchiveError, match="not a referat archive"):
        open_archive(junk)
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(ArchiveError, match="not a referat archive"):
        open_archive(other, create=True)
    newer = tmp_path / "newer.sqlite"
    open_archive(newer, create=True).close()
    with sqlite3.connect(newer) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(ArchiveError, match="schema version"):
        open_archive(newer)
    assert issubclass(ArchiveError, ReferatError)


# --- store ---------------------------------------------------------------------------------

def test_store_keeps_amounts_numeric_and_sections_with_text(archive):
    assert rows(archive, "SELECT SUM(value_num) FROM entities WHERE label = 'AMOUNT'")[0][0] == 12_300_000
    texts = rows(archive, "SELECT s.text FROM sections s JOIN items i ON i.id = s.item_id "
                          "WHERE i.number = '4' AND s.name = 'sagsfremstilling'")
    assert texts[0][0].startswith("Sagsfremstilling\nHavbakke Skole har brug for fire")
    item = rows(archive, "SELECT case_key, label, score, scores, outcome, page FROM items WHERE number = '4'")[0]
    assert item[:3] == ("23-4567", "bevilling", 0.9) and json.loads(item[3])["bevilling"] == 0.9
    assert item[4:] == ("anbefalet", 1)
    assert rows(archive, "SELECT name, party, absent FROM members ORDER BY absent") == [
        ("Anne Holm", "A", 0), ("Per Vang", "V", 1)]
    assert rows(archive, "SELECT side, party, count FROM votes v JOIN items i ON i.id = v.item_id "
                         "WHERE i.number = '4' ORDER BY side") == [("against", "Ø", 1), ("for", "A", 5)]
    dissent = rows(archive, "SELECT dissent FROM decisions d JOIN items i ON i.id = d.item_id WHERE i.number = '4'")
    assert json.loads(dissent[0][0])[0]["party"] == "Ø"
    header = rows(archive, "SELECT COUNT(*) FROM entities WHERE item_id IS NULL")[0][0]
    assert header == 0


def test_record_without_text_or_decisions_still_loads(tmp_path):
    record = school_committee()
    del record["text"]
    for item in record["items"]:
        del item["decisions"]
    del record["format"]
    db = build(tmp_path / "old.sqlite", [record])
    assert rows(db, "SELECT COUNT(*), COUNT(text) FROM sections") == [(3, 0)]
    assert rows(db, "SELECT text FROM decisions ORDER BY item_id") == [("Anbefales.",), ("Taget til efterretning.",)]
    assert search(db, "efterretning")[0]["number"] == "5"  # decision text is searchable


def test_replacing_a_document_leaves_no_old_rows(tmp_path):
    db = build(tmp_path / "r.sqlite", [school_committee("same.txt")])
    conn = open_archive(db)
    changed = council("same.txt")
    assert write_document(conn, "same.txt", "new-hash", [changed]) == "replaced"
    conn.close()
    assert rows(db, "SELECT COUNT(*) FROM documents") == [(1,)]
    assert rows(db, "SELECT committee FROM meetings") == [("Byrådet",)]
    assert rows(db, "SELECT COUNT(*) FROM items") == [(2,)]
    assert rows(db, "SELECT COUNT(*) FROM search") == [(2,)]
    assert rows(db, "SELECT COUNT(*) FROM sections") == [(2,)]
    assert search(db, "klasselokaler") == []


def test_a_failing_write_rolls_back_the_whole_file(tmp_path):
    db = build(tmp_path / "f.sqlite", [school_committee("f.txt")])
    broken = council("f.txt")
    broken["items"][1]["label"] = object()  # cannot be stored: fails after item 1 was written
    conn = open_archive(db)
    with pytest.raises(sqlite3.Error):
        write_document(conn, "f.txt", "other", [broken])
    conn.close()
    assert rows(db, "SELECT committee FROM meetings") == [("Børne- og Skoleudvalget",)]
    assert rows(db, "SELECT content_hash FROM documents") == [("hash-f.txt",)]


def test_several_meetings_in_one_file(tmp_path):
    first = school_committee("two.txt")
    first["meeting_index"] = 0
    second = follow_up("two.txt")
    second["meeting_index"] = 1
    db = tmp_path / "m.sqlite"
    conn = open_archive(db, create=True)
    assert write_document(conn, "two.txt", "h", [second, first]) == "added"
    conn.close()
    assert rows(db, "SELECT meeting_index, date FROM meetings ORDER BY meeting_index") == [
        (0, "2023-03-14"), (1, "2024-05-07")]


# --- search --------------------------------------------------------------------------------

def test_fold():
    assert fold("Børnehave på Åbrinken é") == "boernehave paa aabrinken e"
    text = "Ærø Å-Ø Éclair ØKONOMI Fjordby Kommunes æble"
    folded, origin = fold_with_offsets(text)
    assert folded == fold(text) and len(origin) == len(folded)
    assert [text[origin[i]] for i in range(3)] == ["Æ", "Æ", "r"]


@pytest.mark.parametrize("query", ["Havbakke Skole", "havbakke skole", "HAVBAKKE   skole"])
def test_search_is_case_insensitive(archive, query):
    found = search(archive, query)
    assert {r["committee"] for r in found} >= {"Børne- og Skoleudvalget", "Byrådet"}
    assert all("havbakke" in r["title"].lower() for r in found)


def test_search_folds_danish_letters(archive):
    for query in ("børnehave", "boernehave", "Børnehave"):
        found = search(archive, query)
        assert [r["number"] for r in found] == ["5"], query
        assert "[børnehave]" in found[0]["snippet"]  # shown in the original spelling


def test_search_snippet_uses_the_callers_markers(archive):
    found = search(archive, "klasselokaler", markers=("<b>", "</b>"))
    assert len(found) == 1 and "<b>klasselokaler</b>" in found[0]["snippet"]
    assert found[0]["date"] == "2023-03-14" and found[0]["label"] == "bevilling"
    assert found[0]["outcome"] == "anbefalet" and found[0]["file"] == "fjordby/bsu-2023-03.txt"


def test_search_filters(archive):
    assert {r["municipality"] for r in search(archive, "havbakke", committee="skoleudvalget")} == {FJORDBY,
                                                                                                 "Åby Kommune"}
    assert {r["committee"] for r in search(archive, "havbakke", committee="byrådet")} == {"Byrådet"}
    assert {r["committee"] for r in search(archive, "havbakke", committee="byraadet")} == {"Byrådet"}
    assert [r["date"] for r in search(archive, "havbakke", since="2024-01-01")] == ["2024-05-07"]
    assert {r["date"] for r in search(archive, "havbakke", until="2023-04-20")} == {"2023-03-14", "2023-04-20"}
    assert search(archive, "havbakke", label="orientering") == []
    assert len(search(archive, "havbakke", limit=2)) == 2


def test_title_hits_rank_first(archive):
    # "skole" is in several titles and in the body of item 5 (skoleåret is another word)
    found = search(archive, "havbakke")
    assert "havbakke" in found[0]["title"].lower()
    assert search(archive, "lokalplan")[0]["title"].startswith("Lokalplan")


@pytest.mark.parametrize("query", ['"', 'skole"', 'AND OR NOT', '-skole', 'skole-', '(skole', 'NEAR(a b)',
                                   'skole*', '*', '^skole', 'title:skole', "'", '""', 'a + b', '23-4567'])
def test_search_never_raises_on_syntax(archive, query):
    assert isinstance(search(archive, query), list)


def test_match_expression_quotes_words_phrases_and_prefixes():
    assert match_expression('Engvej skole') == '"engvej" "skole"'
    assert match_expression('"havbakke skole" OR') == '"havbakke skole" "or"'
    assert match_expression('23-4567') == '"23 4567"'
    assert match_expression('skol*') == '"skol"*'
    assert match_expression('" - ') is None


def test_search_phrases_and_prefixes(archive):
    assert {r["number"] for r in search(archive, "lokalpla*")} == {"12"}
    assert search(archive, '"skole havbakke"') == []
    assert search(archive, '"havbakke skole"')


# --- cases ---------------------------------------------------------------------------------

@pytest.mark.parametrize("printed, key", [
    ("22-012933", "22-12933"), ("22/12933", "22-12933"), ("Sagsnr. 22-012933", "22-12933"),
    ("Sag nr. 22/12933", "22-12933"), ("sagsnr.: 22 / 012933", "22-12933"), ("22.01.00-P20-1-22", "22.01.00-P20-1-22"),
    ("22.01.00-p20-1-22 ", "22.01.00-P20-1-22"), ("Sagsnr. 22.01.00 - P20 - 1 - 22", "22.01.00-P20-1-22"),
    ("", None), (None, None), ("Sagsnr.", None), ("ingen", None)])
def test_normalise_case(printed, key):
    assert normalise_case(printed) == key


def test_title_key():
    assert title_key("Lukket: Salg af   grund ved Fjordvej") == "salg af grund ved fjordvej"
    assert title_key("B - Salg af grund ved Fjordvej") == title_key("salg af grund ved fjordvej")
    assert title_key("3. Salg af grund ved Fjordvej") == "salg af grund ved fjordvej"
    assert title_key("Godkendelse af dagsorden") is None  # three words: too common to link
    assert title_key("") is None


def test_within_months():
    assert within_months("2023-03-14", "2024-09-14") and not within_months("2023-03-14", "2024-09-15")
    assert within_months("2024-09-01", "2023-03-14") and not within_months(None, "2023-03-14")


def test_case_timeline_follows_committee_to_council(archive):
    timeline = case_timeline(archive, "Sagsnr. 23/04567", municipality=FJORDBY)
    assert [(r["date"], r["committee"]) for r in timeline] == [
        ("2023-03-14", "Børne- og Skoleudvalget"), ("2023-04-20", "Byrådet"), ("2024-05-07", "Børne- og Skoleudvalget")]
    assert [r["linked_by"] for r in timeline] == ["case_number", "case_number", "title"]
    assert [r["outcome"] for r in timeline] == ["anbefalet", "godkendt", "taget til efterretning"]
    assert [r["amount"] for r in timeline] == [4200000, 4200000, 1100000]
    assert timeline[1]["votes"]["against"] == ["Ø (2)", "O (1)"]
    assert timeline[1]["votes_summary"] == "for: A (15); against: Ø (2), O (1)"
    assert {r["number"] for r in timeline} == {"4", "11", "2"}


def test_case_timeline_keeps_municipalities_and_time_apart(tmp_path):
    db = build(tmp_path / "t.sqlite", [school_committee(), other_town(), follow_up("late.txt", "2025-01-10")])
    timeline = case_timeline(db, "23-4567", municipality=FJORDBY)
    assert [r["date"] for r in timeline] == ["2023-03-14"]  # the 2025 item is too late to link by title
    both = case_timeline(db, "23-4567")
    assert {r["municipality"] for r in both} == {FJORDBY, "Åby Kommune"}
    with pytest.raises(ArchiveError, match="not a case number"):
        case_timeline(db, "ingen")


# --- the documented queries --------------------------------------------------------------

def documented_queries() -> dict[str, str]:
    """The ```sql blocks of docs/archive.md, by their '-- name:' line."""
    blocks = re.findall(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    return {re.match(r"-- name: (\w+)", block).group(1): block for block in blocks}


def test_documented_queries_run_on_a_composed_archive(archive):
    queries = documented_queries()
    assert set(queries) == {"school_amounts_2023", "voted_against", "case_timeline"}
    with sqlite3.connect(archive) as conn:
        amounts = conn.execute(queries["school_amounts_2023"]).fetchall()
        against = conn.execute(queries["voted_against"], {"party": "Ø"}).fetchall()
        against_o = conn.execute(queries["voted_against"], {"party": "O"}).fetchall()
        timeline = conn.execute(queries["case_timeline"], {"case_key": normalise_case("23/4567"),
                                                           "municipality": FJORDBY}).fetchall()
    # 4,2 mio. twice (committee, council) and 2,5 mio. in Åby; not 1,1 mio. (2024) nor 300.000 kr.
    assert [(r[0], r[5]) for r in amounts] == [("2023-03-14", 4200000), ("2023-04-20", 4200000),
                                               ("2023-05-02", 2500000)]
    assert [(r[0], r[2], r[5]) for r in against] == [("2023-03-14", "4", "anbefalet"), ("2023-04-20", "11", "godkendt")]
    assert [r[2] for r in against_o] == ["11"]
    assert [(r[0], r[1], r[6]) for r in timeline] == [("2023-03-14", "Børne- og Skoleudvalget", 4200000),
                                                      ("2023-04-20", "Byrådet", 4200000)]


# --- export --------------------------------------------------------------------------------

def test_export_parquet_writes_every_table_with_types(archive, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    files = export_parquet(archive, tmp_path / "out")
    assert sorted(f.stem for f in files) == sorted(TABLES)
    entities = pq.read_table(tmp_path / "out" / "entities.parquet")
    assert str(entities.schema.field("value_num").type) == "double"
    assert sum(v for v in entities.column("value_num").to_pylist() if v is not None) == 12_300_000
    members = pq.read_table(tmp_path / "out" / "members.parquet")
    assert members.column("absent").to_pylist() == [False, True]
    empty = build(tmp_path / "empty.sqlite", [])
    export_parquet(empty, tmp_path / "empty")
    assert pq.read_table(tmp_path / "empty" / "votes.parquet").num_rows == 0


# --- indexing ------------------------------------------------------------------------------

class FakeAnalyse:
    """An analyse callable over files holding one JSON record's meeting each: counts the files
    it was asked for. A file holding "FAIL" gives an error record."""

    def __init__(self):
        self.calls: list[list[str]] = []

    def __call__(self, files):
        self.calls.append(list(files))
        for name in files:
            content = Path(name).read_text(encoding="utf-8")
            if content == "FAIL":
                yield {"file": name, "error": "DecodeError: composed failure", "warnings": []}
                continue
            for index, record in enumerate(json.loads(content)):
                yield {**record, "file": name, "meeting_index": index}


def write_inputs(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    files = {"a": folder / "a.txt", "b": folder / "b.txt", "bad": folder / "bad.txt"}
    files["a"].write_text(json.dumps([school_committee()]), encoding="utf-8")
    files["b"].write_text(json.dumps([council(), follow_up()]), encoding="utf-8")
    files["bad"].write_text("FAIL", encoding="utf-8")
    return files


def test_index_paths_adds_skips_replaces_and_counts_failures(tmp_path):
    files = write_inputs(tmp_path / "in")
    db = tmp_path / "idx.sqlite"
    analyse = FakeAnalyse()
    seen = []
    first = index_paths([str(tmp_path / "in")], db, analyse=analyse, progress=lambda d, t: seen.append((d, t)))
    assert (first.added, first.replaced, first.skipped, first.failed) == (2, 0, 0, 1)
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert rows(db, "SELECT COUNT(*) FROM meetings") == [(3,)]
    assert rows(db, "SELECT error FROM documents WHERE error IS NOT NULL") == [("DecodeError: composed failure",)]

    second = index_paths([str(tmp_path / "in")], db, analyse=analyse)
    assert (second.added, second.replaced, second.skipped, second.failed) == (0, 0, 2, 1)
    assert analyse.calls[-1] == [str(files["bad"])]  # only the failed file is tried again

    files["a"].write_text(json.dumps([other_town()]), encoding="utf-8")
    third = index_paths([str(tmp_path / "in")], db, analyse=analyse)
    assert (third.added, third.replaced, third.skipped, third.failed) == (0, 1, 1, 1)
    assert rows(db, "SELECT COUNT(*) FROM documents") == [(3,)]
    assert rows(db, "SELECT municipality FROM meetings m JOIN documents d ON d.id = m.document_id "
                    "WHERE d.path LIKE '%a.txt'") == [("Åby Kommune",)]
    assert rows(db, "SELECT COUNT(*) FROM items") == rows(db, "SELECT COUNT(*) FROM search")


def test_an_interrupted_run_is_finished_by_the_next(tmp_path):
    write_inputs(tmp_path / "in")
    db = tmp_path / "stop.sqlite"

    def stops_after_first(files):
        records = FakeAnalyse()(files)
        yield next(records)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        index_paths([str(tmp_path / "in")], db, analyse=stops_after_first)
    assert rows(db, "SELECT COUNT(*) FROM documents") == [(0,)]  # a.txt's one record was not yet complete
    analyse = FakeAnalyse()
    summary = index_paths([str(tmp_path / "in")], db, analyse=analyse)
    assert (summary.added, summary.failed) == (2, 1)
    assert rows(db, "SELECT COUNT(*) FROM meetings") == [(3,)]


def test_skipping_depends_on_the_model(tmp_path):
    """With the default analyse, the same bytes analysed by another model are analysed again."""
    from referat.api import structure_pipeline

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "m.txt").write_text("Fjordby Kommune\nTeknik- og Miljøudvalget\n\nPunkt 1 Godkendelse af "
                                  "dagsorden\n\nBeslutning\nGodkendt.\n", encoding="utf-8")
    db = tmp_path / "model.sqlite"
    nlp = structure_pipeline()
    assert index_paths([str(folder)], db, model=nlp).added == 1
    assert index_paths([str(folder)], db, model=nlp).skipped == 1
    other = structure_pipeline()
    assert other is not nlp
    other.meta["version"] = "9.9.9"
    again = index_paths([str(folder)], db, model=other)
    assert (again.replaced, again.skipped) == (1, 0)
    assert rows(db, "SELECT model_version FROM documents") == [("9.9.9",)]


MINUTES = """Fjordby Kommune
Referat
Teknik- og Miljøudvalget
Tirsdag den 12. marts 2024 kl. 16.00
Mødelokale 2, Rådhuset

Medlemmer
Anne Holm (A)
Jens Lund (V)

Punkt 1 Anlægsbevilling til renovering af Solvænget Skole
Sagsnr.: 24/01234

Sagsfremstilling
Taget på Solvænget Skole skal udskiftes. Arbejdet koster 2,4 mio. kr.

Indstilling
Forvaltningen indstiller, at der gives en anlægsbevilling på 2,4 mio. kr.

Beslutning
Godkendt.

Punkt 2 Orientering om trafiksikkerhed ved Havnevej
Sagsnr.: 24/01300

Sagsfremstilling
Forvaltningen orienterer om en ny cykelsti langs Havnevej og en børnehave ved Åløkken.

Indstilling
Forvaltningen indstiller, at orienteringen tages til efterretning.

Beslutning
Taget til efterretning.
"""


def test_end_to_end_through_the_real_pipeline(tmp_path):
    """Composed minutes text files, analysed by referat.batch.analyse_files and indexed."""
    folder = tmp_path / "minutes"
    folder.mkdir()
    (folder / "tmu-2024-03.txt").write_text(MINUTES, encoding="utf-8")
    (folder / "tmu-2024-04.txt").write_text(MINUTES.replace("12. marts", "9. april")
                                            .replace("Solvænget Skole", "Lærkereden Skole"), encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    db = tmp_path / "e2e.sqlite"
    summary = index_paths([str(folder)], db)
    assert (summary.added, summary.failed) == (2, 1)
    assert rows(db, "SELECT committee, date FROM meetings ORDER BY date") == [
        ("Teknik- og Miljøudvalget", "2024-03-12"), ("Teknik- og Miljøudvalget", "2024-04-09")]
    assert rows(db, "SELECT COUNT(*) FROM items") == [(4,)]
    assert rows(db, "SELECT DISTINCT case_key FROM items ORDER BY case_key") == [("24-1234",), ("24-1300",)]
    found = search(db, "solvaenget skole")
    assert [r["date"] for r in found] == ["2024-03-12"] and "Solvænget" in found[0]["title"]
    assert search(db, "cykelsti", since="2024-04-01")[0]["date"] == "2024-04-09"
    assert search(db, "aaloekken")  # section text is indexed, folded
    assert [r["date"] for r in case_timeline(db, "Sagsnr. 24-1234")] == ["2024-03-12", "2024-04-09"]
    again = index_paths([str(folder)], db)
    assert (again.skipped, again.added, again.failed) == (2, 0, 1)
