"""Annotation exchange: every export shape of Label Studio and doccano, written here from
composed minutes, read back by `referat.annotations`; the review export round trip."""

from __future__ import annotations

import copy
import json
import zipfile
from xml.etree import ElementTree as ET

import pytest

from referat.annotations import (
    detect_format,
    export_doccano,
    export_labelstudio,
    import_annotations,
    labelstudio_config,
    uncertain_first,
)
from referat.annotations.labelstudio import ITEM_CHOICES_NAME, SPAN_NAME, TEXT_NAME
from referat.errors import CorpusError

HEADER = "Fjordby Kommune\nReferat af mødet i Teknik- og Miljøudvalget den 12. marts 2024\n" \
         "Deltagere: Anne Holm (A), Jens Krog (V)\n\n"
ITEM_1 = ("1. Anlægsbevilling til sti langs Fjordby Å\nIndstilling\nForvaltningen indstiller, at der "
          "gives en anlægsbevilling på 1,4 mio. kr. til projektet Grøn Fjord.\nBeslutning\nGodkendt. "
          "Jens Krog (V) stemte imod.\n\n")
ITEM_2 = ("2. Orientering om snerydning i Fjordby\nSagsfremstilling\nFjordby Vejservice orienterer om sæsonen. "
          "Udgiften var 250.000 kr.\nBeslutning\nTaget til efterretning.\n")
TEXT = HEADER + ITEM_1 + ITEM_2
META = {"municipality": "Fjordby Kommune", "committee": "Teknik- og Miljøudvalget", "date": "2024-03-12",
        "kind": "referat", "style": "punkt-kolon"}
MODEL = {"name": "da_referat", "version": "0.2.0"}


def span(surface: str, label: str, after: int = 0) -> tuple[int, int, str]:
    start = TEXT.index(surface, after)
    return start, start + len(surface), label


ITEM_SPANS = [(len(HEADER), len(HEADER) + len(ITEM_1), "item:bevilling"),
              (len(HEADER) + len(ITEM_1), len(TEXT), "item:orientering")]
ENTITY_SPANS = [span("Anne Holm", "PERSON"), span("A", "PARTY", TEXT.index("Holm (") + 6),
                span("1,4 mio. kr.", "AMOUNT"), span("Grøn Fjord", "PROGRAMME"),
                span("Jens Krog", "PERSON", len(HEADER)), span("Fjordby Vejservice", "ORG"),
                span("250.000 kr.", "AMOUNT")]
ALL_SPANS = sorted(ITEM_SPANS + ENTITY_SPANS)


def got(record: dict) -> list[tuple[int, int, str]]:
    """The spans of an imported record, items written item:<label>."""
    spans = [(i["start"], i["end"], "item:" + i["label"]) for i in record["items"]]
    spans += [(e["start"], e["end"], e["label"]) for e in record["entities"]]
    return sorted(spans)


def write_json(tmp_path, name, data) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def write_jsonl(tmp_path, name, rows) -> str:
    path = tmp_path / name
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def ls_entity(start, end, label, rid):
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": TEXT[start:end], "labels": [label]}}


def ls_results_per_region():
    """Entities as labels regions; items as ITEM regions with a per-region choice."""
    results = []
    for n, (s, e, label) in enumerate(ENTITY_SPANS):
        results.append(ls_entity(s, e, label, f"ent{n}"))
    for n, (s, e, label) in enumerate(ITEM_SPANS):
        value = {"start": s, "end": e, "text": TEXT[s:e]}
        results.append({"id": f"item{n}", "from_name": "label", "to_name": "text", "type": "labels",
                        "value": {**value, "labels": ["ITEM"]}})
        results.append({"id": f"item{n}", "from_name": "item_class", "to_name": "text", "type": "choices",
                        "value": {**value, "choices": [label.split(":", 1)[1]]}})
    return results


def ls_task(results, *, task_id=1, annotations=None, **data):
    return {"id": task_id, "data": {"text": TEXT, "meta": dict(META), **data},
            "annotations": annotations if annotations is not None else [
                {"id": 10, "completed_by": 3, "was_cancelled": False, "result": results,
                 "created_at": "2024-04-01T10:00:00Z", "updated_at": "2024-04-01T10:00:00Z"}],
            "predictions": []}


# --------------------------------------------------------------------------- Label Studio

def test_labelstudio_task_with_item_prefix_spans(tmp_path):
    results = [ls_entity(s, e, label, f"r{n}") for n, (s, e, label) in enumerate(ALL_SPANS)]
    path = write_json(tmp_path, "export.json", [ls_task(results)])
    assert detect_format(path) == "labelstudio"
    records, report = import_annotations(path)
    assert got(records[0]) == ALL_SPANS
    assert records[0]["meta"] == META
    assert report.imported == 1 and report.items == 2 and report.spans == len(ENTITY_SPANS)
    assert report.skipped == {}
    amounts = {e["value"] for e in records[0]["entities"] if e["label"] == "AMOUNT"}
    assert amounts == {1400000, 250000}
    assert records[0]["items"][0]["number"] == "1"
    assert records[0]["items"][0]["title"] == "Anlægsbevilling til sti langs Fjordby Å"


def test_labelstudio_per_region_choices(tmp_path):
    path = write_json(tmp_path, "export.json", [ls_task(ls_results_per_region())])
    records, report = import_annotations(path, "labelstudio")
    assert got(records[0]) == ALL_SPANS
    assert report.skipped == {}


def test_labelstudio_document_choice_makes_one_item(tmp_path):
    text = "3. Godkendelse af dagsorden\nBeslutning\nGodkendt.\n"
    task = {"id": 5, "data": {"text": text, "municipality": "Fjordby Kommune"},
            "annotations": [{"id": 1, "completed_by": 1, "result": [
                {"id": "c", "from_name": "klasse", "to_name": "text", "type": "choices",
                 "value": {"choices": ["godkendelse"]}}]}]}
    records, _ = import_annotations(write_json(tmp_path, "doc.json", [task]))
    assert [(i["start"], i["end"], i["label"]) for i in records[0]["items"]] == [(0, len(text), "godkendelse")]
    assert records[0]["meta"]["municipality"] == "Fjordby Kommune"
    assert records[0]["meta"]["date"] == "unknown"


def test_labelstudio_cancelled_and_multiple_annotations(tmp_path):
    old = [ls_entity(*ENTITY_SPANS[0], "a")]
    new = [ls_entity(s, e, label, f"r{n}") for n, (s, e, label) in enumerate(ALL_SPANS)]
    annotations = [
        {"id": 1, "completed_by": {"id": 7, "email": "tove@fjordby.invalid"}, "was_cancelled": True, "result": []},
        {"id": 2, "completed_by": {"id": 8, "email": "bo@fjordby.invalid"}, "was_cancelled": False,
         "result": new, "created_at": "2024-04-02T09:00:00Z", "updated_at": "2024-04-03T09:00:00Z"},
        {"id": 3, "completed_by": {"id": 9, "email": "kim@fjordby.invalid"}, "was_cancelled": False,
         "result": old, "created_at": "2024-04-02T12:00:00Z", "updated_at": "2024-04-02T12:00:00Z"},
    ]
    only_cancelled = ls_task([], task_id=2, annotations=[annotations[0]], meeting_id="m2")
    path = write_json(tmp_path, "export.json", [ls_task([], annotations=annotations, meeting_id="m1"),
                                                 only_cancelled])
    records, report = import_annotations(path)
    assert [r["id"] for r in records] == ["m1"]
    assert got(records[0]) == ALL_SPANS          # the latest updated, not the first
    assert report.skipped == {"cancelled": 2}
    assert report.multiple_annotations == 1 and report.tasks == 2
    picked, _ = import_annotations(path, annotator="kim@fjordby.invalid")
    assert got(picked[0]) == [ENTITY_SPANS[0]]
    picked, report = import_annotations(path, annotator="9")
    assert got(picked[0]) == [ENTITY_SPANS[0]]
    none, report = import_annotations(path, annotator="nobody")
    assert none == [] and report.skipped["other-annotator"] == 1
    with pytest.raises(CorpusError, match="task 2: cancelled"):
        import_annotations(path, strict=True)


def test_labelstudio_pre_1_0_completions(tmp_path):
    task = {"id": 4, "data": {"text": TEXT, **META},
            "completions": [{"id": 1, "result": [ls_entity(s, e, l, f"r{n}")
                                                 for n, (s, e, l) in enumerate(ALL_SPANS)]}]}
    records, _ = import_annotations(write_json(tmp_path, "old.json", [task]))
    assert got(records[0]) == ALL_SPANS and records[0]["meta"] == META


def test_labelstudio_json_min(tmp_path):
    def row(annotator, spans, updated, **extra):
        return {"id": 11, "text": TEXT, **META, "meeting_id": "fjordby-tmu",
                "label": [{"start": s, "end": e, "text": TEXT[s:e], "labels": [l]} for s, e, l in spans],
                "annotator": annotator, "annotation_id": 100 + annotator, "created_at": updated,
                "updated_at": updated, "lead_time": 12.5, **extra}
    items = [(s, e, "ITEM") for s, e, _ in ITEM_SPANS]
    rows = [row(1, ENTITY_SPANS + items, "2024-05-02T10:00:00Z", item_label=["bevilling", "orientering"]),
            row(2, ENTITY_SPANS[:1], "2024-05-01T10:00:00Z"),
            {"id": 12, "text": "Intet at bemærke.\n", "annotator": 1, "annotation_id": 200,
             "lead_time": 1.0, "klasse": "orientering"}]
    path = write_json(tmp_path, "min.json", rows)
    assert detect_format(path) == "labelstudio-min"
    records, report = import_annotations(path)
    by_id = {r["id"]: r for r in records}
    assert got(by_id["fjordby-tmu"]) == ALL_SPANS
    assert by_id["fjordby-tmu"]["meta"] == META
    assert got(by_id["12"]) == [(0, len("Intet at bemærke.\n"), "item:orientering")]
    assert report.tasks == 2 and report.multiple_annotations == 1
    records, _ = import_annotations(path, annotator="2")
    assert got(next(r for r in records if r["id"] == "fjordby-tmu")) == ENTITY_SPANS[:1]


def test_labelstudio_offsets_counted_in_utf16_are_realigned(tmp_path):
    text = "Punkt 1 🚲 Cykelsti\nBevilling på 500.000 kr. godkendt.\n"
    start16 = text.index("500.000 kr.") + 1                # one astral char = two UTF-16 units
    result = [{"id": "a", "from_name": "label", "to_name": "text", "type": "labels",
               "value": {"start": start16, "end": start16 + 11, "text": "500.000 kr.", "labels": ["AMOUNT"]}}]
    task = {"id": 1, "data": {"text": text}, "annotations": [{"id": 1, "result": result}]}
    records, _ = import_annotations(write_json(tmp_path, "e.json", [task]))
    entity = records[0]["entities"][0]
    assert text[entity["start"]:entity["end"]] == "500.000 kr." and entity["value"] == 500000


def test_skip_reasons_are_counted_and_strict_names_the_task(tmp_path):
    s, e, _ = ENTITY_SPANS[0]
    results = [ls_entity(s, e, "PERSON", "a"), ls_entity(s, e, "DATE", "b"),
               {"id": "c", "from_name": "label", "to_name": "text", "type": "labels",
                "value": {"start": len(TEXT) + 5, "end": len(TEXT) + 9, "labels": ["ORG"]}},
               {"id": "d", "from_name": "label", "to_name": "text", "type": "labels",
                "value": {"start": ITEM_SPANS[0][0], "end": ITEM_SPANS[0][1], "labels": ["ITEM"]}},
               {"id": "r", "from_name": "rel", "to_name": "text", "type": "relation", "value": {}}]
    tasks = [ls_task(results, task_id=1, meeting_id="a"),
             {"id": 2, "data": {"text": TEXT, "meeting_id": "b"}, "annotations": [],
              "predictions": [{"result": results}]}]
    path = write_json(tmp_path, "skips.json", tasks)
    records, report = import_annotations(path)
    assert got(records[0]) == [ENTITY_SPANS[0]]
    assert report.skipped == {"unknown-label": 1, "span-out-of-range": 1, "item-without-label": 1,
                              "unsupported-result": 1, "unlabelled": 1}
    assert any("task 1" in line and "unknown-label" in line for line in report.lines())
    with pytest.raises(CorpusError) as error:
        import_annotations(path, strict=True)
    assert "task 1" in str(error.value) and "task 2: unlabelled" in str(error.value)
    records, report = import_annotations(path, labels={"PERSON", "DATE"})
    assert sorted(e["label"] for e in records[0]["entities"]) == ["DATE", "PERSON"]


# --------------------------------------------------------------------------- doccano

def doccano_row(key="label", spans=ALL_SPANS, **extra):
    return {"id": 21, "text": TEXT, key: [list(s) for s in spans], **META, **extra}


@pytest.mark.parametrize("key", ["label", "labels"])
def test_doccano_sequence_labelling_with_top_level_meta(tmp_path, key):
    path = write_jsonl(tmp_path, "admin.jsonl", [doccano_row(key), {"id": 22, "text": "Tom.", key: []}])
    assert detect_format(path) == "doccano"
    records, report = import_annotations(path)
    assert [r["id"] for r in records] == ["21"]
    assert got(records[0]) == ALL_SPANS and records[0]["meta"] == META
    assert report.skipped == {"unlabelled": 1}


def test_doccano_entities_as_objects_and_lists_with_cats(tmp_path):
    objects = {"id": 31, "text": TEXT, "meta": dict(META), "relations": [],
               "entities": [{"id": n, "label": l, "start_offset": s, "end_offset": e}
                            for n, (s, e, l) in enumerate(ALL_SPANS)]}
    text = "4. Budgetopfølgning pr. 31. marts\nUdvalget tog opfølgningen på 3,2 mio. kr. til efterretning.\n"
    start = text.index("3,2 mio. kr.")
    intent = {"id": 32, "text": text, "entities": [[start, start + 12, "AMOUNT"]], "cats": ["budgetopfølgning"]}
    classification = {"id": 33, "text": text, "label": ["budgetopfølgning"]}
    records, report = import_annotations(write_jsonl(tmp_path, "all.jsonl", [objects, intent, classification]),
                                         "doccano")
    by_id = {r["id"]: r for r in records}
    assert got(by_id["31"]) == ALL_SPANS and by_id["31"]["meta"] == META
    assert got(by_id["32"]) == sorted([(0, len(text), "item:budgetopfølgning"), (start, start + 12, "AMOUNT")])
    assert got(by_id["33"]) == [(0, len(text), "item:budgetopfølgning")]
    assert report.skipped == {}


def test_doccano_zip_one_file_per_user(tmp_path):
    path = tmp_path / "doccano.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("admin.jsonl", json.dumps(doccano_row(spans=ALL_SPANS), ensure_ascii=False) + "\n"
                         + json.dumps({"id": 22, "text": "Ulabelet.", "label": []}) + "\n")
        archive.writestr("mette.jsonl", json.dumps(doccano_row(spans=ENTITY_SPANS[:2]), ensure_ascii=False) + "\n")
        archive.writestr("unknown.jsonl", json.dumps({"id": 23, "text": "Ingen.", "label": []}) + "\n")
    assert detect_format(path) == "doccano"
    records, report = import_annotations(path)
    assert [r["id"] for r in records] == ["21"]
    assert got(records[0]) == ENTITY_SPANS[:2]          # the last file read wins without dates
    assert report.multiple_annotations == 1 and report.skipped == {"unlabelled": 2}
    records, _ = import_annotations(path, annotator="admin")
    assert got(records[0]) == ALL_SPANS


def test_bad_input_gives_corpus_errors(tmp_path):
    with pytest.raises(CorpusError, match="no such file"):
        import_annotations(tmp_path / "missing.json")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "a"}\n{not json\n', encoding="utf-8")
    with pytest.raises(CorpusError, match="bad.jsonl:2"):
        import_annotations(bad)
    with pytest.raises(CorpusError, match="unknown annotation format"):
        import_annotations(bad, "brat")


# --------------------------------------------------------------------------- export and review

def analysis_record() -> dict:
    items = [{"number": "1", "title": "Anlægsbevilling til sti langs Fjordby Å", "start": ITEM_SPANS[0][0],
              "end": ITEM_SPANS[0][1], "label": "bevilling",
              "scores": {"orientering": 0.1, "godkendelse": 0.2, "bevilling": 0.6, "budgetopfølgning": 0.1}},
             {"number": "2", "title": "Orientering om snerydning i Fjordby", "start": ITEM_SPANS[1][0],
              "end": ITEM_SPANS[1][1], "label": "orientering",
              "scores": {"orientering": 0.9, "godkendelse": 0.05, "bevilling": 0.03, "budgetopfølgning": 0.02}}]
    values = {"1,4 mio. kr.": 1400000, "250.000 kr.": 250000, "A": "Socialdemokratiet"}
    entities = [{"label": l, "text": TEXT[s:e], "start": s, "end": e, "value": values.get(TEXT[s:e]),
                 "item": None} for s, e, l in ENTITY_SPANS]
    return {"file": "moeder/fjordby-tmu.pdf", "format": "pdf", "meeting_index": 0,
            "meeting": {k: META[k] for k in ("municipality", "committee", "date", "kind")},
            "items": items, "entities": entities, "model": MODEL}


def test_labelstudio_round_trip_counts_the_corrections(tmp_path):
    tasks = export_labelstudio([analysis_record()], [TEXT], model=MODEL)
    assert tasks[0]["data"]["style"] == "review" and tasks[0]["data"]["referat_model"] == MODEL
    # the annotator accepts the predictions as they are
    accepted = copy.deepcopy(tasks)
    accepted[0]["annotations"] = [{"id": 1, "completed_by": 1,
                                    "result": copy.deepcopy(accepted[0]["predictions"][0]["result"])}]
    records, report = import_annotations(write_json(tmp_path, "same.json", accepted))
    assert got(records[0]) == ALL_SPANS
    assert report.changed["items"] == {"kept": 2, "changed": 0, "added": 0, "removed": 0}
    # ... or changes one item's class and deletes one entity
    edited = copy.deepcopy(accepted)
    result = edited[0]["annotations"][0]["result"]
    choice = next(r for r in result if r["type"] == "choices" and r["value"]["choices"] == ["bevilling"])
    choice["value"]["choices"] = ["godkendelse"]
    result.remove(next(r for r in result if r["value"].get("labels") == ["PROGRAMME"]))
    records, report = import_annotations(write_json(tmp_path, "edited.json", edited))
    assert [i["label"] for i in records[0]["items"]] == ["godkendelse", "orientering"]
    assert "PROGRAMME" not in {e["label"] for e in records[0]["entities"]}
    assert report.changed == {"items": {"kept": 1, "changed": 1, "added": 0, "removed": 0},
                              "entities": {"kept": len(ENTITY_SPANS) - 1, "changed": 0, "added": 0, "removed": 1}}
    assert any("changed" in line for line in report.lines())


def test_doccano_round_trip_counts_the_corrections(tmp_path):
    rows = export_doccano([analysis_record()], [TEXT], model=MODEL)
    records, report = import_annotations(write_jsonl(tmp_path, "same.jsonl", rows))
    assert got(records[0]) == ALL_SPANS
    assert records[0]["id"] == "fjordby-tmu-0" and records[0]["meta"]["style"] == "review"
    # doccano exports with its own id and the row's extra keys spread at the top level
    edited = [{"id": 900, **rows[0]}]
    edited[0]["label"] = [s if s[2] != "item:orientering" else [s[0], s[1], "item:godkendelse"]
                          for s in edited[0]["label"] if s[2] != "ORG"]
    records, report = import_annotations(write_jsonl(tmp_path, "edited.jsonl", edited))
    assert [i["label"] for i in records[0]["items"]] == ["bevilling", "godkendelse"]
    assert report.changed["items"]["changed"] == 1 and report.changed["entities"]["removed"] == 1


def test_export_config_fits_the_tasks():
    root = ET.fromstring(labelstudio_config())
    names = {tag.get("name"): tag for tag in root}
    assert set(names) == {SPAN_NAME, TEXT_NAME, ITEM_CHOICES_NAME}
    task = export_labelstudio([analysis_record()], [TEXT], model=MODEL)[0]
    span_labels = {label.get("value") for label in names[SPAN_NAME]}
    choices = {choice.get("value") for choice in names[ITEM_CHOICES_NAME]}
    for result in task["predictions"][0]["result"]:
        assert result["from_name"] in names and result["to_name"] == TEXT_NAME
        assert set(result["value"].get("labels", [])) <= span_labels
        assert set(result["value"].get("choices", [])) <= choices
    assert task["predictions"][0]["score"] == pytest.approx(0.6)


def test_export_rejects_texts_that_do_not_fit():
    from referat.errors import ReferatError
    with pytest.raises(ReferatError, match="outside its text"):
        export_labelstudio([analysis_record()], [TEXT[:50]], model=MODEL)
    with pytest.raises(ReferatError, match="one text per record"):
        export_doccano([analysis_record()], [], model=MODEL)


def test_uncertain_first_orders_items_then_meetings():
    sure = analysis_record()
    unsure = analysis_record()
    unsure["items"][1]["scores"] = {"orientering": 0.4, "godkendelse": 0.35, "bevilling": 0.25}
    unsure["entities"][2]["score"] = 0.2
    unsure["entities"][6]["score"] = 0.3
    sure["entities"][0]["score"] = 0.1
    picks = uncertain_first([sure, unsure], 2)
    assert [(p.record, p.item) for p in picks[:2]] == [(1, 1), (0, 0)]
    # then meetings, most low-confidence entities first (unresolved AMOUNT/PARTY values count)
    assert [(p.record, p.item, p.reason) for p in picks[2:]] == [(1, None, "entities"), (0, None, "entities")]
    assert picks[2].score > picks[3].score
    assert len(uncertain_first([sure, unsure])) == 4 + 2
    sure["entities"][2]["value"] = None          # an AMOUNT the pipeline could not read
    assert [p.score for p in uncertain_first([sure], 0)] == [2.0]


def to_json_min(tasks: list[dict]) -> list[dict]:
    """What Label Studio's JSON_MIN export makes of annotated tasks: data fields at the top,
    regions under their from_name, a single choice as a string (its region is lost)."""
    rows = []
    for task in tasks:
        for annotation in task["annotations"]:
            row = {**task["data"], "id": task["id"]}
            grouped: dict[str, list] = {}
            for result in annotation["result"]:
                value = dict(result["value"])
                if result["type"] == "choices" and len(value["choices"]) == 1:
                    value = value["choices"][0]
                grouped.setdefault(result["from_name"], []).append(value)
            for name, values in grouped.items():
                row[name] = values[0] if len(values) == 1 and isinstance(values[0], str) else values
            row.update(annotator=annotation["completed_by"], annotation_id=annotation["id"],
                       created_at="2024-06-01T08:00:00Z", updated_at="2024-06-01T08:00:00Z", lead_time=30.0)
            rows.append(row)
    return rows


@pytest.mark.parametrize("n_items", [1, 2])
def test_export_survives_label_studio_json_min(tmp_path, n_items):
    record = analysis_record()
    record["items"] = record["items"][:n_items]
    tasks = export_labelstudio([record], [TEXT], model=MODEL)
    tasks[0]["id"] = 77
    tasks[0]["annotations"] = [{"id": 5, "completed_by": 2,
                                "result": copy.deepcopy(tasks[0]["predictions"][0]["result"])}]
    rows = to_json_min(tasks)
    assert isinstance(rows[0][ITEM_CHOICES_NAME], str if n_items == 1 else list)
    records, report = import_annotations(write_json(tmp_path, "min.json", rows))
    assert got(records[0]) == sorted(ENTITY_SPANS + ITEM_SPANS[:n_items])
    assert records[0]["id"] == "fjordby-tmu-0" and report.skipped == {}
