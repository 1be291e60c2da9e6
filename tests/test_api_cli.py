"""The public API, the JSON contract and the command line (analyse, batch)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import referat
from referat.cli.app import app

MINUTES = """Faxe Kommune
Ældreudvalget
Referat
Mødedato: 3. oktober 2023 kl. 15.30
Mødested: Rådhuset, lokale 4
Medlemmer: Karin Dyhr (A), Ole Vang (V), Susanne Brix (F)
Afbud: Ole Vang (V)

1. Godkendelse af dagsorden
Beslutning
Godkendt.

2. Tillægsbevilling til hjemmeplejen
Sagsfremstilling
Hjemmeplejen har flere borgere end forudsat.
Indstilling
At der gives en tillægsbevilling.
Beslutning
Tiltrådt.
"""


runner = CliRunner()


def test_analyse_returns_header_items_and_sections():
    analysis = referat.analyse(MINUTES)
    meeting = analysis.meeting
    assert (meeting.municipality, meeting.committee, meeting.date, meeting.time, meeting.kind) == (
        "Faxe Kommune", "Ældreudvalget", "2023-10-03", "15:30", "referat")
    assert [m.name for m in meeting.members] == ["Karin Dyhr", "Ole Vang", "Susanne Brix"]
    assert [m.name for m in meeting.absent] == ["Ole Vang"]
    assert [item.title for item in analysis.items] == ["Godkendelse af dagsorden", "Tillægsbevilling til hjemmeplejen"]
    assert analysis.items[1].decision == "Tiltrådt."
    assert MINUTES[analysis.items[1].start:].startswith("2. Tillægsbevilling")


def test_json_contract_round_trips():
    analysis = referat.analyse(MINUTES)
    data = json.loads(analysis.to_json())
    assert set(data) >= {"meeting", "items", "entities", "model"}
    assert set(data["meeting"]) == {"municipality", "committee", "date", "time", "place", "kind", "members", "absent"}
    item = data["items"][1]
    assert set(item) >= {"number", "title", "start", "end", "case_number", "sections", "label", "scores", "decision"}
    assert {"name", "heading", "start", "end"} == set(item["sections"][0])
    assert referat.Analysis.from_dict(data).to_dict() == analysis.to_dict()


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_text_is_a_referat_error(text):
    with pytest.raises(referat.ReferatError, match="empty"):
        referat.analyse(text)


def test_text_that_is_not_minutes_gives_no_items_and_a_warning():
    analysis = referat.analyse("Husk at købe kaffe og mælk til mødet på fredag.")
    assert analysis.items == []
    assert analysis.warnings


def test_analyse_many_keeps_order():
    texts = [MINUTES, MINUTES.replace("Faxe", "Stevns")]
    results = list(referat.analyse_many(texts, batch_size=1))
    assert [r.meeting.municipality for r in results] == ["Faxe Kommune", "Stevns Kommune"]


def test_missing_model_folder_is_a_model_error(tmp_path):
    with pytest.raises(referat.ModelError, match="no pipeline"):
        referat.load(tmp_path / "nothing-here")


def test_cli_analyse_json_and_summary(tmp_path):
    path = tmp_path / "m.txt"
    path.write_text(MINUTES, encoding="utf-8")
    result = runner.invoke(app, ["analyse", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["meeting"]["committee"] == "Ældreudvalget"
    summary = runner.invoke(app, ["analyse", str(path)])
    assert summary.exit_code == 0
    assert "Tillægsbevilling" in summary.output and "Ældreudvalget" in summary.output


def test_cli_analyse_reads_standard_input():
    result = runner.invoke(app, ["analyse", "-", "--json"], input=MINUTES.encode("utf-8"))
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["meeting"]["municipality"] == "Faxe Kommune"


def test_cli_analyse_empty_file_fails_with_message(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("", encoding="utf-8")
    result = runner.invoke(app, ["analyse", str(path)])
    assert result.exit_code == 1
    assert "empty" in result.output


def _write_inputs(folder):
    folder.mkdir()
    (folder / "good.txt").write_text(MINUTES, encoding="utf-8")
    (folder / "latin.txt").write_bytes(MINUTES.replace("Faxe", "Køge").encode("cp1252"))
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    (folder / "letter.txt").write_text("Kære Jens, tak for i går. Hilsen Bo", encoding="utf-8")


def test_cli_batch_records_every_file_and_goes_on(tmp_path):
    _write_inputs(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["batch", str(tmp_path / "in"), str(tmp_path / "missing.txt"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    records = {json.loads(line)["file"].rsplit("/", 1)[-1]: json.loads(line) for line in out.read_text().splitlines()}
    assert set(records) == {"good.txt", "latin.txt", "empty.txt", "binary.txt", "letter.txt", "missing.txt"}
    assert records["good.txt"]["meeting"]["committee"] == "Ældreudvalget"
    assert records["latin.txt"]["meeting"]["municipality"] == "Køge Kommune"
    assert "EmptyTextError" in records["empty.txt"]["error"]
    assert "UnsupportedFormatError" in records["binary.txt"]["error"] and "PDF" in records["binary.txt"]["error"]
    assert "error" in records["missing.txt"]
    assert records["letter.txt"]["items"] == [] and records["letter.txt"]["warnings"]
    assert records["good.txt"]["warnings"] == [] and records["good.txt"]["format"] == "text"
    assert "3 failed" in result.output


def test_cli_batch_csv_and_glob(tmp_path):
    _write_inputs(tmp_path / "in")
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["batch", str(tmp_path / "in" / "*.txt"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    import csv

    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0])[:4] == ["file", "meeting_index", "error", "municipality"]
    by_file = {}
    for row in rows:
        by_file.setdefault(row["file"].rsplit("/", 1)[-1], []).append(row)
    assert set(by_file) == {"good.txt", "latin.txt", "empty.txt", "binary.txt", "letter.txt"}
    assert by_file["empty.txt"][0]["error"].startswith("EmptyTextError")
    # one row per item, each with its label and the sum of its amounts
    good = by_file["good.txt"]
    assert len(good) >= 2 and all(row["label"] for row in good) and [row["position"] for row in good] == [str(i) for i in range(1, len(good) + 1)]


def test_cli_batch_fails_when_every_file_fails(tmp_path):
    (tmp_path / "a.txt").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 1


def test_cli_batch_unwritable_output(tmp_path):
    (tmp_path / "a.txt").write_text(MINUTES, encoding="utf-8")
    result = runner.invoke(app, ["batch", str(tmp_path / "a.txt"), "--out", str(tmp_path / "no" / "dir" / "o.jsonl")])
    assert result.exit_code == 2
    assert "cannot write" in result.output


def test_analyse_many_with_two_processes_gives_the_same_as_one():
    texts = [MINUTES, MINUTES.replace("Faxe", "Stevns"), MINUTES.replace("Faxe", "Lejre")]
    one = [a.to_dict() for a in referat.analyse_many(texts)]
    two = [a.to_dict() for a in referat.analyse_many(texts, n_process=2, batch_size=1)]
    assert two == one


def test_cli_batch_with_two_processes_keeps_every_record_in_order(tmp_path):
    _write_inputs(tmp_path / "in")
    out1, out2 = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert runner.invoke(app, ["batch", str(tmp_path / "in"), "--out", str(out1)]).exit_code == 0
    result = runner.invoke(app, ["batch", str(tmp_path / "in"), "--out", str(out2), "--n-process", "2"])
    assert result.exit_code == 0, result.output
    assert out2.read_text(encoding="utf-8") == out1.read_text(encoding="utf-8")
