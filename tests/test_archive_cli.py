"""The archive from the command line: index, search (with æ/ø/å typed as ae/oe/aa), case, export."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from referat.cli.app import app

runner = CliRunner()


def meeting(committee: str, date: str, decision: str) -> str:
    day, month, year = date.split("-")
    return f"""Søby Kommune
Referat
{committee}
Mødedato: {int(day)}.{int(month)}.{year} kl. 16.00
Medlemmer: Rikke Dam (A), Per Lund (V)

1. Godkendelse af dagsorden
Beslutning
Godkendt.

2. Ombygning af Åbakkens Børnehave
Sagsnr.: 24/4471
Sagsfremstilling
Børnehaven skal ombygges for 3,2 mio. kr.
Indstilling
At der gives en anlægsbevilling på 3,2 mio. kr.
Beslutning
{decision}
"""


def test_index_search_case_and_export(tmp_path):
    folder = tmp_path / "minutes"
    folder.mkdir()
    (folder / "bu.txt").write_text(meeting("Børne- og Ungeudvalget", "04-03-2024", "Anbefales."), encoding="utf-8")
    (folder / "oeu.txt").write_text(meeting("Økonomiudvalget", "12-03-2024", "Anbefales over for Byrådet."), encoding="utf-8")
    db = tmp_path / "archive.db"
    first = runner.invoke(app, ["index", str(folder), "--db", str(db)])
    assert first.exit_code == 0, first.output
    assert "2 added" in first.output
    again = runner.invoke(app, ["index", str(folder), "--db", str(db)])
    assert "2 unchanged" in again.output
    for query in ("Åbakkens Børnehave", "aabakkens boernehave"):
        hits = json.loads(runner.invoke(app, ["search", query, "--db", str(db), "--json"]).stdout)
        assert {hit["committee"] for hit in hits} == {"Børne- og Ungeudvalget", "Økonomiudvalget"}, query
    timeline = json.loads(runner.invoke(app, ["case", "Sagsnr. 24/4471", "--db", str(db), "--json"]).stdout)
    assert [row["date"] for row in timeline] == ["2024-03-04", "2024-03-12"]
    assert all(row["amount"] == 3_200_000 * 2 for row in timeline)
    missing = runner.invoke(app, ["case", "99/1", "--db", str(db)])
    assert missing.exit_code == 1 and "Traceback" not in missing.output
    exported = runner.invoke(app, ["export", "--db", str(db), "--parquet", str(tmp_path / "pq")])
    assert exported.exit_code == 0 and (tmp_path / "pq" / "items.parquet").exists()
