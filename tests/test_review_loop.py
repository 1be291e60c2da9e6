"""The review loop end to end: export predictions as Label Studio tasks, correct them as a person
would (in the JSON), import, retrain, and the retrained pipeline gives the corrected label."""

from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

import referat
from referat.annotations import import_annotations
from referat.cli.app import app
from referat.corpus import write_jsonl

from test_train import REPO, _meeting

runner = CliRunner()
LABELS = {"PERSON", "PARTY", "PROGRAMME", "AMOUNT", "ORG", "procedure", "penge", "info"}
NEW_MEETING = ("Skovby Kommune\nKultur- og Fritidsudvalget\nReferat\n\n"
               "Punkt 1: Godkendelse af dagsorden\nBeslutning\nGodkendt.\n\n"
               "Punkt 2: Meddelelser\nBeslutning\nIngen meddelelser.\n")


def _configs(folder):
    configs = folder / "configs"
    shutil.copytree(REPO / "configs", configs)
    ner = (configs / "ner.cfg").read_text(encoding="utf-8")
    (configs / "ner.cfg").write_text(ner.replace("max_steps = 2500", "max_steps = 20")
                                     .replace("eval_frequency = 250", "eval_frequency = 10"), encoding="utf-8")
    return configs


def test_export_correct_import_retrain_gives_the_corrected_label(trained, tmp_path):
    before = referat.analyse(NEW_MEETING, model=trained)
    assert [item.label for item in before.items] == ["procedure", "info"]

    minutes = tmp_path / "minutes"
    minutes.mkdir()
    meetings = [_meeting(i) for i in range(8)]
    for meeting in meetings:
        (minutes / f"{meeting['id']}.txt").write_text(meeting["text"], encoding="utf-8")
    tasks = tmp_path / "tasks.json"
    result = runner.invoke(app, ["review", "export", str(minutes), "--labelstudio", str(tasks), "--model", str(trained)])
    assert result.exit_code == 0, result.output
    exported = json.loads(tasks.read_text(encoding="utf-8"))
    assert all(task["data"]["referat_model"]["name"] for task in exported)

    # the reviewer decides that "Meddelelser" is procedure, not info, and accepts the rest
    corrected = 0
    for task in exported:
        results = json.loads(json.dumps(task["predictions"][0]["result"]))
        for region in results:
            if region["type"] == "choices" and region["value"]["text"].split("\n")[0].endswith("Meddelelser"):
                region["value"]["choices"] = ["procedure"]
                corrected += 1
        task["annotations"] = [{"id": 1, "completed_by": 1, "was_cancelled": False, "result": results}]
    assert corrected == 8
    tasks.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")

    records, report = import_annotations(tasks, labels=LABELS)
    assert report.imported == 8 and report.items == 8 * 5
    assert report.changed["items"]["changed"] == 8
    styles = {m["text"]: m["meta"] for m in meetings}
    for record in records:  # the reviewer's corpus keeps each meeting's own house style
        record["meta"] = styles[record["text"]]
    corpus = write_jsonl(records, tmp_path / "corpus.jsonl")
    output = tmp_path / "retrained"
    result = runner.invoke(app, ["train", "--corpus", str(corpus), "--output", str(output),
                                 "--config", str(_configs(tmp_path)), "--seed", "3"])
    assert result.exit_code == 0, result.output
    after = referat.analyse(NEW_MEETING, model=output)
    assert [item.label for item in after.items] == ["procedure", "procedure"]
