"""Tests of the corpus module (schema, loading, validation, split, DocBin, import, CLI)."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from referat.annotations import import_annotations
from referat.annotations.records import item_heading
from referat.corpus import (RULES, Problem, compile_sources,
                            load_corpus, split, stats, to_dataset, to_docbin, validate,
                            write_jsonl)
from referat.cli.corpus import app
from referat.corpus.dataset import record_from_row
from referat.corpus.source import SourceError, compile_source
from referat.errors import CorpusError

SOURCE = """\
#% id: fjordby-2019-03-12-tmu
#% municipality: Fjordby Kommune
#% committee: Teknik- og Miljøudvalget
#% date: 2019-03-12
#% kind: referat
#% style: punkt-kolon
#% ---
Referat af mødet i Teknik- og Miljøudvalget
Deltagere: [Jan Dam](PERSON) ([V](PARTY=Venstre)), [Bente Hjorth](PERSON) ([A](PARTY=Socialdemokratiet))

#% item godkendelse | 1 | Godkendelse af dagsorden
1. Godkendelse af dagsorden
Beslutning: Godkendt.

#% item bevilling | 2 | Anlægsbevilling til cykelsti
2. Anlægsbevilling til cykelsti
Forvaltningen indstiller, at der gives en anlægsbevilling på [1,4 mio. kr.](AMOUNT=1400000) til
cykelstien langs Fjordvej, finansieret af [Pulje til bedre cykelstier](PROGRAMME).
Beslutning: Anbefales. [Ole Møller Andreasen](PERSON) ([O](PARTY=Dansk Folkeparti)) tog forbehold.

#% item orientering | 3 | Orientering om vejvedligeholdelse
3. Orientering om vejvedligeholdelse
[Vej og Park](ORG) orienterede om udgifter på [585.000 kr.](AMOUNT=585000) i 2018.
Beslutning: Taget til efterretning.
"""


def meeting(number: int, municipality: str, style: str, *, date: str = "2020-05-04") -> dict:
    """A small, valid meeting built by hand (offsets computed from the text)."""
    person, party, amount = "Karen Holm", "F", "250.000 kr."
    lines = [
        f"Referat fra Børne- og Ungeudvalget, {municipality}",
        f"Til stede: {person} ({party})",
        "",
        "1. Godkendelse af dagsorden",
        "Godkendt.",
        "",
        "2. Tillægsbevilling til SFO",
        f"Der søges en tillægsbevilling på {amount} til SFO-området.",
        "Beslutning: Anbefales over for byrådet.",
        "",
    ]
    text = "\n".join(lines)
    first, second = text.index("1. Godkendelse"), text.index("2. Tillægsbevilling")
    return {
        "id": f"m{number:03d}",
        "text": text,
        "meta": {"municipality": municipality, "committee": "Børne- og Ungeudvalget", "date": date,
                 "kind": "referat", "style": style},
        "items": [
            {"start": first, "end": second, "number": "1", "title": "Godkendelse af dagsorden",
             "label": "godkendelse"},
            {"start": second, "end": len(text), "number": "2", "title": "Tillægsbevilling til SFO",
             "label": "bevilling"},
        ],
        "entities": [
            {"start": text.index(person), "end": text.index(person) + len(person), "label": "PERSON",
             "value": None},
            {"start": text.index(f"({party})") + 1, "end": text.index(f"({party})") + 2, "label": "PARTY",
             "value": "SF - Socialistisk Folkeparti"},
            {"start": text.index(amount), "end": text.index(amount) + len(amount), "label": "AMOUNT",
             "value": 250000},
        ],
    }


@pytest.fixture
def record() -> dict:
    return compile_source(SOURCE, "fjordby.txt")


def rules(problems: list[Problem]) -> set[str]:
    return {problem.rule for problem in problems}


# --------------------------------------------------------------------------- source compiler

def test_source_compiles_to_exact_offsets(record):
    text = record["text"]
    assert record["id"] == "fjordby-2019-03-12-tmu"
    assert record["meta"] == {"municipality": "Fjordby Kommune", "committee": "Teknik- og Miljøudvalget",
                              "date": "2019-03-12", "kind": "referat", "style": "punkt-kolon"}
    assert "#%" not in text and "](" not in text
    assert [(item["number"], item["title"], item["label"]) for item in record["items"]] == [
        ("1", "Godkendelse af dagsorden", "godkendelse"),
        ("2", "Anlægsbevilling til cykelsti", "bevilling"),
        ("3", "Orientering om vejvedligeholdelse", "orientering")]
    starts = [text.index(heading) for heading in
              ("1. Godkendelse", "2. Anlægsbevilling", "3. Orientering")]
    assert [item["start"] for item in record["items"]] == starts
    assert [item["end"] for item in record["items"]] == starts[1:] + [len(text)]
    found = [(text[e["start"]:e["end"]], e["label"], e["value"]) for e in record["entities"]]
    assert found == [
        ("Jan Dam", "PERSON", None), ("V", "PARTY", "Venstre"),
        ("Bente Hjorth", "PERSON", None), ("A", "PARTY", "Socialdemokratiet"),
        ("1,4 mio. kr.", "AMOUNT", 1400000), ("Pulje til bedre cykelstier", "PROGRAMME", None),
        ("Ole Møller Andreasen", "PERSON", None), ("O", "PARTY", "Dansk Folkeparti"),
        ("Vej og Park", "ORG", None), ("585.000 kr.", "AMOUNT", 585000)]
    jan = text.index("Jan Dam")
    assert record["entities"][0]["start"] == jan and record["entities"][0]["end"] == jan + 7


def test_compile_sources_sorts_by_id_and_reports_file_and_line(tmp_path):
    (tmp_path / "b.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "a.txt").write_text(SOURCE.replace("fjordby-2019-03-12-tmu", "aaby-2020-01-01-bu"),
                                    encoding="utf-8")
    assert [r["id"] for r in compile_sources(tmp_path)] == ["aaby-2020-01-01-bu", "fjordby-2019-03-12-tmu"]
    (tmp_path / "c.txt").write_text(SOURCE.replace("AMOUNT=585000", "AMOUNT"), encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        compile_sources(tmp_path)
    assert "c.txt:" in str(caught.value) and "AMOUNT needs a value" in str(caught.value)


# --------------------------------------------------------------------------- decisions

VOTED = SOURCE.replace("#% style: punkt-kolon\n", "#% style: punkt-kolon\n#% decisions: annotated\n").replace(
    "Beslutning: Godkendt.", "#% decision godkendt\nBeslutning: Godkendt.").replace(
    "Beslutning: Anbefales.",
    "#% decision anbefalet amended | body: Økonomiudvalget | for: A | against: V, O\n"
    "Beslutning i Økonomiudvalget: Anbefales med den ændring, at stien bliver 3 meter bred. V og O stemte imod.\n"
    "#% decision - | body: Byrådet\nBeslutning i Byrådet: Forvaltningen redegjorde for sagen.\nBemærkning:")


def test_decision_marks_compile_to_item_decisions():
    record = compile_source(VOTED, "voted.txt")
    assert "#%" not in record["text"] and "decisions" not in record["meta"]
    first, second, third = (item["decisions"] for item in record["items"])
    assert first == [{"outcome": "godkendt", "amended": False, "body": None,
                      "for": [], "against": [], "abstain": []}]
    assert second == [
        {"outcome": "anbefalet", "amended": True, "body": "Økonomiudvalget", "for": ["A"],
         "against": ["V", "O"], "abstain": []},
        {"outcome": None, "amended": False, "body": "Byrådet", "for": [], "against": [], "abstain": []}]
    assert third == []  # annotated meeting: an item without a mark decides nothing
    assert validate([record]) == []
    assert all("decisions" not in item for item in compile_source(SOURCE, "plain.txt")["items"])


@pytest.mark.parametrize("change, message", [
    (lambda s: s.replace("#% decisions: annotated\n", ""), "needs '#% decisions: annotated'"),
    (lambda s: s.replace("#% decision godkendt", "#% decision godkendt fast"), "OUTCOME [amended]"),
    (lambda s: s.replace("| for: A |", "| pro: A |"), "is not 'body: ...'"),
    (lambda s: s.replace("#% decisions: annotated", "#% decisions: yes"), "can only be 'annotated'"),
    (lambda s: s.replace("#% decision godkendt\n", "").replace(
        "#% ---\n", "#% ---\n#% decision godkendt\n"), "belongs inside an item"),
])
def test_bad_decision_marks_name_file_and_problem(change, message):
    with pytest.raises(SourceError) as caught:
        compile_source(change(VOTED), "voted.txt")
    assert message in str(caught.value) and "voted.txt" in str(caught.value)


def test_rule_decision():
    record = compile_source(VOTED, "voted.txt")

    def unknown_outcome(r):
        r["items"][0]["decisions"][0]["outcome"] = "vedtaget"
    def party_twice(r):
        r["items"][1]["decisions"][0]["against"] = ["V", "V"]
    def some_items_only(r):
        del r["items"][2]["decisions"]
    def amended_not_bool(r):
        r["items"][1]["decisions"][1]["amended"] = "nej"
    for change in (unknown_outcome, party_twice, some_items_only, amended_not_bool):
        assert rules(broken(record, change)) == {"decision"}, change.__name__


def test_decisions_survive_the_dataset_and_jsonl_round_trip(tmp_path, record):
    voted = compile_source(VOTED, "voted.txt")
    path = write_jsonl([voted, record], tmp_path / "c.jsonl")
    loaded = load_corpus(path)
    assert loaded[0]["items"] == voted["items"]
    assert all("decisions" not in item for item in loaded[1]["items"])
    assert [record_from_row(row)["items"] for row in to_dataset([voted, record])] == [voted["items"], record["items"]]


def test_decision_scores_align_by_order_and_compare_party_sets():
    from referat.training.evaluate import decision_scores

    gold = compile_source(VOTED, "voted.txt")["items"]

    def vote(parties):
        return [{"party": p, "party_name": None, "name": None, "count": None} for p in parties] + \
            [{"party": None, "party_name": None, "name": None, "count": 12}]

    predicted = [
        {"decisions": [{"outcome": "godkendt", "amended": False, "body": None,
                        "votes": {"for": [], "against": [], "abstain": []}}]},
        {"decisions": [{"outcome": "anbefalet", "amended": True, "body": "Økonomiudvalget",
                        "votes": {"for": vote("A"), "against": vote("OV"), "abstain": []}}]},
        {"decisions": [{"outcome": "godkendt", "amended": False, "body": None, "votes": {}}]},
    ]
    scores = decision_scores(zip(gold, predicted))
    assert scores["decisions"] == 3 and scores["items"] == 3 and scores["voted_items"] == 1
    assert scores["outcome_accuracy"] == pytest.approx(2 / 3)  # the Byrådet decision is missing
    assert scores["count_accuracy"] == pytest.approx(1 / 3)
    assert scores["invented"] == 1
    assert scores["votes_exact"] == 0.0  # the item has two gold decisions, one predicted
    predicted[1]["decisions"].append({"outcome": None, "amended": False, "body": "Byrådet", "votes": {}})
    scores = decision_scores(zip(gold, predicted))
    assert scores["outcome_accuracy"] == 1.0 and scores["votes_exact"] == 1.0
    predicted[1]["decisions"][0]["votes"]["abstain"] = vote("I")
    assert decision_scores(zip(gold, predicted))["votes_exact"] == 0.0
    assert decision_scores(zip(compile_source(SOURCE)["items"], predicted)) is None


# --------------------------------------------------------------------------- loading

def test_clean_records_give_no_problem(record):
    assert validate([record, meeting(1, "Aaby Kommune", "nr-dash")]) == []


def test_load_jsonl_file_round_trips(tmp_path, record):
    records = [record, meeting(1, "Aaby Kommune", "nr-dash")]
    path = write_jsonl(records, tmp_path / "meetings.jsonl")
    loaded = load_corpus(path, cache_dir=tmp_path / "cache")
    assert loaded == records
    assert loaded[0]["meta"]["date"] == "2019-03-12"  # not turned into a timestamp
    amounts = [e["value"] for e in loaded[0]["entities"] if e["label"] == "AMOUNT"]
    assert amounts == [1400000, 585000] and all(type(v) is int for v in amounts)
    assert loaded[0]["entities"][1]["value"] == "Venstre"
    assert loaded[0]["entities"][0]["value"] is None


def test_load_folder_reads_sorted_jsonl_files_only(tmp_path, record):
    write_jsonl([meeting(2, "Bøby Kommune", "bullet")], tmp_path / "b.jsonl")
    write_jsonl([record], tmp_path / "a.jsonl")
    (tmp_path / "notes.txt").write_text("not a corpus", encoding="utf-8")
    loaded = load_corpus(tmp_path, cache_dir=tmp_path / "cache")
    assert [r["id"] for r in loaded] == ["fjordby-2019-03-12-tmu", "m002"]


def test_value_that_looks_like_json_stays_a_string(tmp_path):
    record = meeting(1, "Aaby Kommune", "nr-dash")
    record["entities"][1]["value"] = "123"
    loaded = load_corpus(write_jsonl([record], tmp_path / "m.jsonl"), cache_dir=tmp_path / "cache")
    assert loaded[0]["entities"][1]["value"] == "123"


def test_dataset_round_trip(record):
    dataset = to_dataset([record])
    from referat.corpus import record_from_row

    assert record_from_row(dataset[0]) == record


def test_missing_path_raises_corpus_error(tmp_path):
    with pytest.raises(CorpusError, match="no such file or folder"):
        load_corpus(tmp_path / "nowhere" / "meetings.jsonl", cache_dir=tmp_path / "cache")


def test_dataset_name_that_cannot_be_loaded_raises_corpus_error(tmp_path, monkeypatch):
    import datasets

    def refuse(*args, **kwargs):
        raise FileNotFoundError("Dataset 'someone/referat-nothing' doesn't exist on the Hub")

    monkeypatch.setattr(datasets, "load_dataset", refuse)
    with pytest.raises(CorpusError, match="someone/referat-nothing"):
        load_corpus("someone/referat-nothing", cache_dir=tmp_path / "cache")


def test_bad_file_names_the_file(tmp_path):
    bad = tmp_path / "broken.jsonl"
    bad.write_text('{"id": "x", "text": \n', encoding="utf-8")
    with pytest.raises(CorpusError, match="broken.jsonl"):
        load_corpus(bad, cache_dir=tmp_path / "cache")


def test_empty_folder_raises(tmp_path):
    with pytest.raises(CorpusError, match="no \\*.jsonl"):
        load_corpus(tmp_path, cache_dir=tmp_path / "cache")


def test_default_cache_is_a_temporary_folder(tmp_path, monkeypatch, record):
    import os
    import tempfile

    import datasets

    used = []
    real = datasets.load_dataset

    def spy(*args, **kwargs):
        used.append(kwargs.get("cache_dir"))
        return real(*args, **kwargs)

    monkeypatch.setattr(datasets, "load_dataset", spy)
    assert load_corpus(write_jsonl([record], tmp_path / "m.jsonl")) == [record]
    assert len(used) == 1 and used[0].startswith(tempfile.gettempdir())
    assert not used[0].startswith(os.path.expanduser("~"))
    assert not os.path.exists(used[0])  # removed after loading


# --------------------------------------------------------------------------- validation rules

def broken(record: dict, change) -> list[Problem]:
    record = copy.deepcopy(record)
    change(record)
    return validate([record])


def entity(record: dict, surface: str) -> dict:
    return next(e for e in record["entities"] if record["text"][e["start"]:e["end"]] == surface)


def test_rule_span(record):
    def change(r):
        entity(r, "Jan Dam")["end"] = len(r["text"]) + 5
    assert "span" in rules(broken(record, change))

    def empty(r):
        e = entity(r, "Jan Dam")
        e["end"] = e["start"]
    assert "span" in rules(broken(record, empty))


def test_rule_whitespace(record):
    def change(r):
        entity(r, "Jan Dam")["end"] += 1  # takes the following space
    assert rules(broken(record, change)) == {"whitespace"}


def test_rule_overlap(record):
    def change(r):
        r["entities"].append({"start": entity(r, "Jan Dam")["start"], "end": entity(r, "Jan Dam")["start"] + 3,
                              "label": "ORG", "value": None})
    assert rules(broken(record, change)) == {"overlap"}


def test_rule_entity_label(record):
    def change(r):
        entity(r, "Vej og Park")["label"] = "LOC"
    assert rules(broken(record, change)) == {"entity-label"}


def test_rule_item_label(record):
    def change(r):
        r["items"][0]["label"] = ""
    assert rules(broken(record, change)) == {"item-label"}
    assert validate([record], labels=["godkendelse", "bevilling", "orientering"]) == []
    problems = validate([record], labels=["godkendelse", "bevilling"])
    assert rules(problems) == {"item-label"} and problems[0].start == record["items"][2]["start"]


def test_rule_item_order(record):
    def unordered(r):
        r["items"][1], r["items"][2] = r["items"][2], r["items"][1]
    assert rules(broken(record, unordered)) == {"item-order"}

    def overlapping(r):
        r["items"][0]["end"] = r["items"][1]["start"] + 10
    assert rules(broken(record, overlapping)) == {"item-order"}


def test_rule_amount(record):
    def wrong_value(r):
        entity(r, "585.000 kr.")["value"] = 58500
    problems = broken(record, wrong_value)
    assert rules(problems) == {"amount"} and "585000" in problems[0].message

    def not_money(r):
        e = entity(r, "Jan Dam")
        e["label"], e["value"] = "AMOUNT", 0
    assert rules(broken(record, not_money)) == {"amount"}


def test_rule_duplicate_id(record):
    problems = validate([record, copy.deepcopy(record)])
    assert rules(problems) == {"duplicate-id"} and len(problems) == 1


def test_rule_schema(record):
    def missing(r):
        del r["meta"]["style"]
    assert rules(broken(record, missing)) == {"schema"}

    def wrong_type(r):
        r["items"][0]["start"] = "12"
    assert rules(broken(record, wrong_type)) == {"schema"}

    def bad_date(r):
        r["meta"]["date"] = "12.03.2019"
    assert rules(broken(record, bad_date)) == {"schema"}

    assert rules(validate([{"id": "x", "text": "Referat"}])) == {"schema"}


def test_every_rule_is_tested():
    assert set(RULES) == {"schema", "span", "whitespace", "overlap", "entity-label", "item-label",
                          "item-order", "amount", "duplicate-id", "decision"}


def test_problem_reads_well(record):
    problem = validate([record, record])[0]
    assert str(problem).startswith("fjordby-2019-03-12-tmu [-] duplicate-id:")


# --------------------------------------------------------------------------- split

MUNICIPALITIES = ["Aaby", "Bøby", "Cely", "Dalby", "Egeby", "Fjordby", "Gjern", "Hald", "Ishøj", "Jelling"]
STYLES = ["nr-dash", "bullet", "punkt-kolon", "sagsnr-foerst", "kode-efter-titel", "gammel"]


def corpus(size: int = 40) -> list[dict]:
    rng = random.Random(7)
    records = []
    for number in range(size):
        place = rng.choice(MUNICIPALITIES)
        # a style belongs mostly to a few places, so that several groups form
        style = STYLES[MUNICIPALITIES.index(place) % len(STYLES)]
        records.append(meeting(number, f"{place} Kommune", style))
    return records


def ids(parts: dict) -> dict:
    return {name: [r["id"] for r in records] for name, records in parts.items()}


def test_split_is_deterministic_and_complete():
    records = corpus()
    first, second = split(records, seed=13), split(records, seed=13)
    assert ids(first) == ids(second)
    assert sorted(sum(ids(first).values(), [])) == sorted(r["id"] for r in records)
    assert first["test"] and first["dev"] and first["train"]


def test_split_does_not_depend_on_input_order():
    records = corpus()
    shuffled = records[:]
    random.Random(3).shuffle(shuffled)
    assert ids(split(records, seed=5)) == ids(split(shuffled, seed=5))


def test_split_keeps_styles_and_municipalities_out_of_train():
    for seed in range(10):
        parts = split(corpus(), seed=seed)
        for key in ("style", "municipality"):
            seen = {name: {r["meta"][key] for r in part} for name, part in parts.items()}
            assert not seen["test"] & seen["train"], (seed, key)
            assert not seen["dev"] & seen["train"], (seed, key)
            assert not seen["dev"] & seen["test"], (seed, key)


def test_split_gives_test_and_dev_a_group_when_three_or_more():
    records = [meeting(i, f"{place} Kommune", style)
               for i, (place, style) in enumerate([("Aaby", "a"), ("Aaby", "a"), ("Bøby", "b"), ("Cely", "c")])]
    parts = split(records, seed=1, dev=0.1, test=0.1)
    assert all(parts[name] for name in ("train", "dev", "test"))


# --------------------------------------------------------------------------- DocBin

def test_to_docbin_has_entities_items_and_meta(record):
    import spacy

    nlp = spacy.blank("da")
    docbin, skipped = to_docbin([record], nlp, return_skipped=True)
    assert skipped == 0
    doc = list(docbin.get_docs(nlp.vocab))[0]
    assert [(e.text, e.label_) for e in doc.ents][:2] == [("Jan Dam", "PERSON"), ("V", "PARTY")]
    assert ("585.000 kr.", "AMOUNT") in [(e.text, e.label_) for e in doc.ents]
    assert [s.label_ for s in doc.spans["items"]] == ["godkendelse", "bevilling", "orientering"]
    assert doc.spans["items"][1].text.startswith("2. Anlægsbevilling til cykelsti")
    assert doc.user_data["meta"]["style"] == "punkt-kolon" and doc.user_data["id"] == record["id"]


def test_to_docbin_counts_a_span_it_cannot_align(record):
    record = copy.deepcopy(record)
    jan = entity(record, "Jan Dam")
    record["entities"].append({"start": jan["start"] + 1, "end": jan["start"] + 3, "label": "ORG",
                               "value": None})  # "an" inside one token
    docbin, skipped = to_docbin([record], return_skipped=True)
    assert skipped == 1 and len(docbin) == 1
    assert len(to_docbin([record])) == 1  # the plain form returns the DocBin alone


# --------------------------------------------------------------------------- stats

def test_stats(record):
    figures = stats([record, meeting(1, "Aaby Kommune", "nr-dash", date="2021-01-05")])
    assert figures["meetings"] == 2 and figures["items"] == 5
    assert figures["items_per_label"] == {"bevilling": 2, "godkendelse": 2, "orientering": 1}
    assert figures["entities_per_label"]["AMOUNT"] == 3
    assert figures["styles"] == {"nr-dash": 1, "punkt-kolon": 1}
    assert figures["municipalities"] == {"Aaby Kommune": 1, "Fjordby Kommune": 1}
    assert figures["years"] == {"2019": 1, "2021": 1}


# --------------------------------------------------------------------------- import

def spans_of(record: dict) -> list[tuple[int, int, str]]:
    return ([(i["start"], i["end"], "item:" + i["label"]) for i in record["items"]]
            + [(e["start"], e["end"], e["label"]) for e in record["entities"]])


def expected_after_import(record: dict) -> dict:
    """Import gives PARTY (and non-AMOUNT) values None and takes titles from the text."""
    record = copy.deepcopy(record)
    for e in record["entities"]:
        if e["label"] != "AMOUNT":
            e["value"] = None
    return record


def test_doccano_import(tmp_path, record):
    path = tmp_path / "doccano.jsonl"
    line = {"id": record["id"], "text": record["text"], "label": [list(s) for s in spans_of(record)],
            "meta": record["meta"]}
    second = {"text": "Punkt 4: Eventuelt\nIntet.", "entities": [
        {"start_offset": 0, "end_offset": 25, "label": "item:orientering"}]}
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n" + json.dumps(second, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    records, _ = import_annotations(path, "doccano")
    assert [r["id"] for r in records] == ["doccano-0002", "fjordby-2019-03-12-tmu"]  # sorted by id
    assert records[1] == expected_after_import(record)
    assert records[0]["meta"]["municipality"] == "unknown"
    assert records[0]["items"] == [{"start": 0, "end": 25, "number": "Punkt 4", "title": "Eventuelt",
                                    "label": "orientering"}]


def test_labelstudio_import_round_trip(tmp_path, record):
    results = [{"from_name": "label", "to_name": "text", "type": "labels",
                "value": {"start": s, "end": e, "text": record["text"][s:e], "labels": [label]}}
               for s, e, label in reversed(spans_of(record))]
    export = [{"id": 7, "data": {"id": record["id"], "text": record["text"], "meta": record["meta"]},
               "annotations": [{"result": results}]}]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    records, _ = import_annotations(path, "labelstudio")
    assert records == [expected_after_import(record)]
    written = load_corpus(write_jsonl(records, tmp_path / "out.jsonl"), cache_dir=tmp_path / "cache")
    assert written == records


def test_import_skips_spans_outside_the_text_and_strict_refuses_them(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"text": "Kort tekst om Fjordby", "label": [[0, 99, "ORG"], [14, 21, "ORG"]]}) + "\n",
                    encoding="utf-8")
    records, report = import_annotations(path, "doccano")
    assert [(e["start"], e["end"]) for e in records[0]["entities"]] == [(14, 21)]
    assert report.skipped == {"span-out-of-range": 1}
    with pytest.raises(CorpusError, match="span"):
        import_annotations(path, "doccano", strict=True)


def test_item_heading():
    assert item_heading("3. Anlægsbevilling til cykelsti\nTekst") == ("3", "Anlægsbevilling til cykelsti")
    assert item_heading("Punkt 2: Budgetopfølgning pr. 31. marts") == ("Punkt 2", "Budgetopfølgning pr. 31. marts")
    assert item_heading("Sagsnr.: 00.01.00 Meddelelser") == (None, "Sagsnr.: 00.01.00 Meddelelser")


# --------------------------------------------------------------------------- CLI

runner = CliRunner()


def test_cli_validate_exit_codes(tmp_path, record):
    good = write_jsonl([record], tmp_path / "good" / "meetings.jsonl")
    result = runner.invoke(app, ["validate", str(good.parent)])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output
    bad_record = copy.deepcopy(record)
    entity(bad_record, "585.000 kr.")["value"] = 1
    bad = write_jsonl([bad_record], tmp_path / "bad.jsonl")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "fjordby-2019-03-12-tmu" in result.output and "amount" in result.output
    assert "1 problem" in result.output
    missing = runner.invoke(app, ["validate", str(tmp_path / "none.jsonl")])
    assert missing.exit_code == 2


def test_cli_stats(tmp_path, record):
    path = write_jsonl([record, meeting(1, "Aaby Kommune", "nr-dash")], tmp_path / "m.jsonl")
    result = runner.invoke(app, ["stats", str(path)])
    assert result.exit_code == 0, result.output
    for word in ("meetings", "bevilling", "AMOUNT", "punkt-kolon", "Fjordby Kommune", "2019–2020"):
        assert word in result.output
    as_json = runner.invoke(app, ["stats", str(path), "--json"])
    assert json.loads(as_json.output)["meetings"] == 2


def test_cli_build(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "fjordby.txt").write_text(SOURCE, encoding="utf-8")
    out = tmp_path / "corpus" / "meetings.jsonl"
    result = runner.invoke(app, ["build", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote 1 meetings" in result.output
    line = out.read_text(encoding="utf-8").splitlines()[0]
    assert list(json.loads(line)) == ["id", "text", "meta", "items", "entities"]
    assert "Møller" in line  # UTF-8, not \\u escapes
    (source / "broken.txt").write_text(SOURCE.replace("#% item bevilling | 2 | ", "#% item bevilling | "),
                                       encoding="utf-8")
    failed = runner.invoke(app, ["build", str(source), "--out", str(out)])
    assert failed.exit_code == 1
    assert "broken.txt:15" in failed.output


def test_cli_import(tmp_path, record):
    path = tmp_path / "doccano.jsonl"
    path.write_text(json.dumps({"id": record["id"], "text": record["text"],
                                "label": [list(s) for s in spans_of(record)], "meta": record["meta"]},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "imported.jsonl"
    result = runner.invoke(app, ["import", str(path), "--format", "doccano", "--out", str(out)])
    assert result.exit_code == 0, result.output
    expected = expected_after_import(record)
    for entity in expected["entities"]:  # the CLI names parties from the party table, as the corpus build does
        if entity["label"] == "PARTY":
            entity["value"] = {"V": "Venstre", "A": "Socialdemokratiet", "O": "Dansk Folkeparti"}.get(
                record["text"][entity["start"]:entity["end"]], record["text"][entity["start"]:entity["end"]])
    assert load_corpus(out, cache_dir=tmp_path / "cache") == [expected]
    assert "imported" in result.output
    wrong = runner.invoke(app, ["import", str(path), "--format", "brat", "--out", str(out)])
    assert wrong.exit_code != 0


def test_cli_split(tmp_path):
    path = write_jsonl(corpus(), tmp_path / "m.jsonl")
    result = runner.invoke(app, ["split", str(path), "--seed", "13", "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert {name: shown[name]["ids"] for name in ("train", "dev", "test")} == ids(split(corpus(), seed=13))
    table = runner.invoke(app, ["split", str(path)])
    assert table.exit_code == 0 and "test" in table.output


def test_committed_corpus_is_the_compiled_sources():
    """corpus/meetings.jsonl is exactly what corpus/source/ compiles to, and it is valid."""
    repo = Path(__file__).resolve().parents[1]
    compiled = compile_sources(repo / "corpus" / "source")
    committed = [json.loads(line) for line in (repo / "corpus" / "meetings.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in committed] == [r["id"] for r in compiled]
    for ours, theirs in zip(committed, compiled):
        assert ours == json.loads(json.dumps(theirs, ensure_ascii=False)), ours["id"]
    assert validate(committed) == []
