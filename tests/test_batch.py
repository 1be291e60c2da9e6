"""Batch at scale: pieces, error records, resume, streams, output formats and the Dask engine."""

from __future__ import annotations

import io
import json

import pytest
from typer.testing import CliRunner

import referat
from referat.api import analyse_document, load
from referat.batch import analyse_files, expand_inputs
from referat.cli.app import app
from referat.errors import InputFileError, ReferatError
from referat.io.document import Document
from referat.segments import plan_segments

runner = CliRunner()

HEADER = """Vestby Kommune
Referat
Børne- og Skoleudvalget
Mødedato: 5. februar 2025 kl. 17.00
Medlemmer: Lene Bak (A), Jonas Friis (V), Maja Holt (Ø)

"""


def item(number: int, body_lines: int = 3) -> str:
    body = "\n".join(f"Skolen på Engvej {number} har brug for {number}50.000 kr. til nye lokaler, linje {i}."
                     for i in range(body_lines))
    return (f"{number}. Anlægsbevilling til skolen på Engvej {number}\n"
            f"Sagsfremstilling\n{body}\nIndstilling\nForvaltningen indstiller, at der gives en anlægsbevilling.\n"
            "Beslutning\nAnbefales.\n\n")


MINUTES = HEADER + "".join(item(n) for n in range(1, 4))


def test_pieces_cover_the_text_and_bound_their_length():
    text = HEADER + item(1, body_lines=400) + item(2)
    items = [(i.start, i.end) for i in referat.analyse(text, model="structure").items]
    segments = plan_segments(text, items, max_chars=5_000)
    assert segments[0].start == 0 and segments[-1].end == len(text)
    assert all(a.end == b.start for a, b in zip(segments, segments[1:]))
    assert max(s.end - s.start for s in segments) <= 5_000
    assert [s.item for s in segments if s.item is not None] == [0, 1]


def test_small_pieces_give_the_same_items_labels_and_amounts():
    nlp = load()
    text = HEADER + "".join(item(n, body_lines=40) for n in range(1, 4))
    whole = analyse_document(nlp, Document(text, "text"))[0]
    pieces = analyse_document(nlp, Document(text, "text"), max_chars=1_500)[0]
    assert [(i.title, i.label) for i in pieces.items] == [(i.title, i.label) for i in whole.items]
    # an item longer than a piece is labelled and decided on its whole text
    assert [i.decisions for i in pieces.items] == [i.decisions for i in whole.items]
    assert [d["outcome"] for i in whole.items for d in i.decisions] == ["anbefalet"] * 3
    amounts = lambda a: sorted((e.start, e.value) for e in a.entities if e.label == "AMOUNT")  # noqa: E731
    assert amounts(pieces) == amounts(whole) and len(amounts(whole)) == 3 * 40
    for entity in pieces.entities:
        assert text[entity.start:entity.end] == entity.text


def test_the_words_a_text_brings_are_freed_after_it():
    """A batch reads millions of distinct numbers and names: the pipeline's vocabulary must not
    keep them (spaCy memory zones), and what was found must outlive the zone."""
    import referat.api as api

    nlp = load()
    api.release_zone(nlp)  # a batch run earlier in this process may hold one
    text = HEADER + "".join(item(n, body_lines=5) for n in range(1, 4)).replace(
        "nye lokaler", "nye lokaler hos Kvistrupgårdens Snedkerværksted")
    analyse_document(nlp, Document(text, "text"))  # the pipeline's own lazily added strings
    strings = len(nlp.vocab.strings)
    fresh = text + "".join(f"Sagen nævner også bilag Zqx{n}-{n * 7919} og konto {n * 104729}.\n" for n in range(300))
    analysis = analyse_document(nlp, Document(fresh, "text"), max_chars=800)[0]
    assert len(nlp.vocab.strings) == strings  # 600 new words came and went
    assert [(i.title, i.label) for i in analysis.items][0] == ("Anlægsbevilling til skolen på Engvej 1", "bevilling")
    assert all(fresh[e.start:e.end] == e.text for e in analysis.entities) and analysis.entities
    again = analyse_document(nlp, Document(fresh, "text"), max_chars=800)[0]
    assert [(e.label, e.start, e.value) for e in again.entities] == [(e.label, e.start, e.value) for e in analysis.entities]


def test_a_batch_holds_one_memory_zone_across_files_and_renews_it(tmp_path, monkeypatch):
    """The per-file function keeps a zone open across files (the words minutes share are made
    once), and renews it every ZONE_CHARS characters: a word only an early file had is gone."""
    import referat.api as api
    from referat.engines.per_file import analyse_path

    nlp = separate_pipeline()
    monkeypatch.setattr(api, "ZONE_CHARS", 2_000)
    files = []
    for n in range(3):
        path = tmp_path / f"m{n}.txt"
        path.write_text(MINUTES + f"Bilag Qvortfil{n}x{n * 7} er vedlagt.\n", encoding="utf-8")
        files.append(path)
    strings = len(nlp.vocab.strings)
    records = [analyse_path(nlp, str(path))[0] for path in files]
    assert all(record["items"] for record in records)
    assert "Qvortfil0x0" not in nlp.vocab.strings  # made in the first zone, freed with it
    assert len(nlp.vocab.strings) < strings + 200
    api.release_zone(nlp)
    assert id(nlp) not in api._HELD_ZONES


def separate_pipeline():
    """A pipeline of its own (not the cached one other tests share), so its zone is its own."""
    import spacy

    from referat.resources import shipped_model_path

    return spacy.load(shipped_model_path())


def _line(record) -> str:
    handle = io.StringIO()
    record.write_to(handle)
    return handle.getvalue()


def test_a_meetings_items_are_handed_on_as_their_pieces_are_analysed():
    from referat.api import stream_meetings

    nlp = load()
    text = HEADER + "".join(item(n, body_lines=40) for n in range(1, 5))
    events = []
    [(analysis, run)] = list(stream_meetings(nlp, Document(text, "text"), max_chars=1_500))
    assert analysis.items == [] and analysis.meeting.municipality == "Vestby Kommune"
    run(lambda found: events.append(("item", found)), lambda entities: events.append(("entities", entities)))
    items = [found for kind, found in events if kind == "item"]
    assert [found.number for found in items] == ["1", "2", "3", "4"] and all(found.label for found in items)
    # item 1 is handed on before the pieces of item 3 are analysed, with its entities placed in it
    first = next(i for i, (kind, _) in enumerate(events) if kind == "item")
    later = [e for kind, found in events[first:] if kind == "entities" for e in found]
    assert any(e.start >= items[2].start for e in later)
    before = [e for kind, found in events[:first] if kind == "entities" for e in found]
    assert {e.item for e in before if e.label == "AMOUNT"} == {1}
    # the same results as the whole Analysis
    whole = analyse_document(nlp, Document(text, "text"), max_chars=1_500)[0]
    assert [found.to_dict() for found in items] == [found.to_dict() for found in whole.items]
    assert [e.to_dict() for kind, found in events if kind == "entities" for e in found] == \
        [e.to_dict() for e in whole.entities]


def test_a_stream_of_a_text_with_no_items_warns_once_it_has_run():
    from referat.analysis import NOT_MINUTES
    from referat.api import stream_meetings

    [(analysis, run)] = list(stream_meetings(load(), Document("Kære alle, husk kaffen til fredag.", "text")))
    assert analysis.warnings == []
    run(lambda found: None, lambda entities: None)
    assert analysis.warnings == [NOT_MINUTES]


def test_a_record_encoded_in_the_worker_is_the_record_the_writer_would_write(tmp_path, monkeypatch):
    """Batch engines send each record as its JSON line (EncodedRecord): the same JSON as the
    record dict, for a meeting with items and entities, with the text, for a failed file, and
    for a huge record spooled to a file (which the writer copies and removes)."""
    from referat.engines import per_file

    good = tmp_path / "good.txt"
    good.write_text(MINUTES, encoding="utf-8")
    nlp = load()
    for options in ({}, {"with_text": True}):
        plain = per_file.analyse_path(nlp, str(good), **options)
        encoded = per_file.analyse_path(nlp, str(good), encoded=True, **options)
        assert len(plain) == len(encoded) == 1 and plain[0]["items"] and plain[0]["entities"]
        expected = {key: value for key, value in plain[0].items() if key != "words"}
        assert _line(encoded[0]) == json.dumps(expected, ensure_ascii=False)
        assert encoded[0].summary["words"] == plain[0]["words"] == len(MINUTES.split())
    failed = per_file.analyse_path(nlp, str(tmp_path / "missing.txt"), encoded=True)
    assert json.loads(_line(failed[0])) == failed[0].summary == per_file.analyse_path(nlp, str(tmp_path / "missing.txt"))[0]
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(per_file, "SPOOL_ABOVE", 10)
    spooled = per_file.analyse_path(nlp, str(good), encoded=True, spool=str(spool))[0]
    assert spooled.path and list(spool.iterdir())
    assert _line(spooled) == json.dumps({k: v for k, v in plain[0].items() if k not in ("words", "text")},
                                        ensure_ascii=False)
    assert not list(spool.iterdir())
    # what `referat batch` writes is what the records say (spooled here), also as CSV
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(good), "--out", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8")) == {k: v for k, v in plain[0].items() if k not in ("words", "text")}
    table = tmp_path / "out.csv"
    assert runner.invoke(app, ["batch", str(good), "--out", str(table), "--no-progress"]).exit_code == 0
    assert table.read_text(encoding="utf-8").count("Anlægsbevilling til skolen på Engvej") == 3


def test_a_long_single_line_is_analysed_in_pieces(tmp_path):
    line = "Der er afsat 250.000 kr. til formålet. " * 40_000  # 1.6 MB without a line break
    path = tmp_path / "long.txt"
    path.write_text(line, encoding="utf-8")
    record = next(analyse_files([str(path)]))
    assert "error" not in record and record["items"] == [] and record["warnings"]
    assert sum(1 for e in record["entities"] if e["label"] == "AMOUNT") == 40_000


def test_a_file_over_the_size_limit_gets_an_error_record(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(MINUTES * 20, encoding="utf-8")
    record = next(analyse_files([str(path)], max_size_mb=0.001))
    assert "larger than 0.001 MB" in record["error"] and "--max-size" in record["error"]


def test_an_exception_inside_a_component_becomes_the_files_record(tmp_path, monkeypatch):
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text(MINUTES, encoding="utf-8")
    bad.write_text(MINUTES.replace("Vestby", "Nordby"), encoding="utf-8")
    import referat.api as api

    original = api.iter_analyses

    def failing(nlp, document, **kwargs):
        if "Nordby" in document.text:
            raise RuntimeError("a component failed")
        return original(nlp, document, **kwargs)

    monkeypatch.setattr(api, "iter_analyses", failing)
    records = list(analyse_files([str(bad), str(good)]))
    import hashlib

    assert records[0] == {"file": str(bad), "error": "RuntimeError: a component failed", "warnings": [],
                          "content_hash": hashlib.sha256(bad.read_bytes()).hexdigest()}
    assert records[1]["meeting"]["municipality"] == "Vestby Kommune"


def test_analyse_many_on_error():
    texts = [MINUTES, "   ", MINUTES]
    with pytest.raises(referat.EmptyTextError):
        list(referat.analyse_many(texts))
    recorded = list(referat.analyse_many(texts, on_error="record"))
    assert [a.error is None for a in recorded] == [True, False, True]
    assert recorded[1].error.startswith("EmptyTextError")
    assert len(list(referat.analyse_many(texts, on_error="skip"))) == 2
    with pytest.raises(ValueError):
        list(referat.analyse_many(texts, on_error="ignore"))


def test_analyse_file_input_errors_are_referat_errors(tmp_path):
    with pytest.raises(InputFileError, match="folder"):
        referat.analyse_file(tmp_path)
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    with pytest.raises(InputFileError, match="loops"):
        referat.analyse_file(loop)
    result = runner.invoke(app, ["analyse", str(tmp_path)])
    assert result.exit_code == 1 and "Traceback" not in result.output and "folder" in result.output


def _inputs(folder):
    folder.mkdir()
    for n in range(4):
        (folder / f"m{n}.txt").write_text(MINUTES.replace("Vestby", f"By{n}"), encoding="utf-8")
    return sorted(str(p) for p in folder.glob("*.txt"))


def test_resume_skips_what_is_recorded_and_the_union_has_every_input_once(tmp_path):
    files = _inputs(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    first = next(analyse_files(files[:1]))
    out.write_text(json.dumps(first, ensure_ascii=False) + "\n" + '{"file": "cut sh', encoding="utf-8")
    result = runner.invoke(app, ["batch", str(tmp_path / "in"), "--out", str(out), "--resume"])
    assert result.exit_code == 0, result.output
    assert "1 already done" in result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[1] == '{"file": "cut sh'  # the cut line stays as it was, on its own
    records = [json.loads(line) for line in lines[:1] + lines[2:]]
    assert sorted(r["file"] for r in records) == files


def test_resume_does_not_write_an_error_record_twice(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    for _ in range(2):
        result = runner.invoke(app, ["batch", str(tmp_path / "in"), "--out", str(out), "--resume", "--no-progress"])
        assert "Traceback" not in result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 1 and records[0]["error"].startswith("EmptyTextError")


def test_a_new_output_holds_each_record_as_soon_as_it_is_written(tmp_path):
    """A run killed without a chance to clean up leaves its records where --resume finds them."""
    import os

    from referat.outputs import RecordWriter

    files = _inputs(tmp_path / "in")
    out = tmp_path / "new.jsonl"
    writer = RecordWriter(out)
    writer.write(next(analyse_files(files[:1])))
    # not closed, as after SIGKILL
    assert json.loads(out.read_text(encoding="utf-8").splitlines()[0])["file"] == files[0]
    assert not list(tmp_path.glob(".new.jsonl.*"))
    writer.close()
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
    again = RecordWriter(out)  # an existing output: replaced at the end, with the same permissions
    again.write(next(analyse_files(files[1:2])))
    again.close()
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
    assert json.loads(out.read_text(encoding="utf-8"))["file"] == files[1]


def test_an_existing_output_is_kept_until_the_run_has_records(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("old\n", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(tmp_path / "nothing-here.txt"), "--out", str(out)])
    assert result.exit_code == 1  # the one input failed; its record replaced the old output only at the end
    assert json.loads(out.read_text(encoding="utf-8"))["error"].startswith("InputFileError")
    assert not list(tmp_path.glob(".out.jsonl.*"))


def test_stdin_paths_and_stdout_records(tmp_path):
    files = _inputs(tmp_path / "in")
    result = runner.invoke(app, ["batch", "-", "--out", "-", "--no-progress"], input="\n".join(files[:2]) + "\n")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert [json.loads(line)["file"] for line in lines] == files[:2]
    assert expand_inputs(["-"], stdin=io.StringIO("a.pdf\n\nb.html\n")) == ["a.pdf", "b.html"]


def test_output_formats(tmp_path):
    files = _inputs(tmp_path / "in")
    bad = runner.invoke(app, ["batch", *files, "--out", str(tmp_path / "out.xlsx")])
    assert bad.exit_code == 2 and "unknown output suffix" in bad.output
    result = runner.invoke(app, ["batch", *files, "--out", str(tmp_path / "items.parquet"),
                                 "--entities", str(tmp_path / "entities.csv")])
    assert result.exit_code == 0, result.output
    import pyarrow.parquet as pq

    table = pq.read_table(tmp_path / "items.parquet").to_pylist()
    assert len(table) == 4 * 3 and {row["label"] for row in table} and all(row["amount_sum"] for row in table)
    entities = (tmp_path / "entities.csv").read_text(encoding="utf-8").splitlines()
    assert entities[0].startswith("file,meeting_index,date,committee,item,label")
    assert len(entities) > 4 * 3


def test_no_input_files_names_the_suffixes(tmp_path):
    result = runner.invoke(app, ["batch", str(tmp_path), "--out", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 1 and ".pdf" in result.output and ".html" in result.output


def test_dask_engine_gives_the_local_records(tmp_path):
    pytest.importorskip("distributed")
    files = _inputs(tmp_path / "in")
    local = {r["file"]: r for r in analyse_files(files)}
    out = tmp_path / "dask.jsonl"
    result = runner.invoke(app, ["batch", *files, "--out", str(out), "--engine", "dask", "--n-process", "2"])
    assert result.exit_code == 0, result.output
    remote = {r["file"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    strip = lambda r: {k: v for k, v in r.items() if k != "words"}  # noqa: E731
    assert {k: strip(v) for k, v in remote.items()} == {k: strip(v) for k, v in local.items()}


def test_unknown_engine_is_refused(tmp_path):
    files = _inputs(tmp_path / "in")
    result = runner.invoke(app, ["batch", *files, "--out", str(tmp_path / "o.jsonl"), "--engine", "spark"])
    assert result.exit_code == 2 and "unknown engine" in result.output
    with pytest.raises(ReferatError):
        from referat.batch import run_batch

        run_batch(files, None, engine="spark")
