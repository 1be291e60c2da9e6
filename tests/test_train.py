"""End to end: retrain on a small corpus with a label set of its own, load it, analyse."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import referat
from referat.classify.classifier import ItemClassifier, load_settings
from referat.cli.app import app

REPO = Path(__file__).resolve().parents[1]
MUNICIPALITIES = ["Fjordby", "Bakkeby", "Engvad", "Skovlund", "Strandå", "Højmose", "Lyngsø", "Vesterå"]
STYLES = ["punkt-kolon", "nummer", "pkt", "nummer", "punkt-kolon", "pkt", "nummer", "punkt-kolon"]
PEOPLE = ["Anna Berg", "Jonas Friis", "Lise Mølgaard", "Per Kragh", "Maja Dahl", "Ole Brink", "Sofie Lund", "Erik Vang"]
GRANTS = ["Roklubben", "Spejderne", "Kunstforeningen", "Bokseklubben", "Koret", "Dartklubben", "Teatret", "Ældreklubben"]


def _heading(style: str, number: int, title: str) -> str:
    return {"punkt-kolon": f"Punkt {number}: {title}", "nummer": f"{number}. {title}", "pkt": f"Pkt. {number} {title}"}[style]


def _meeting(index: int) -> dict:
    """A small minutes text with items of three kinds, labelled with a label set of its own:
    procedure, penge, info."""
    town, style, person = MUNICIPALITIES[index], STYLES[index], PEOPLE[index]
    grant = GRANTS[index]
    amount = f"{(index + 2) * 25}.000 kr."
    parts = [f"{town} Kommune\nKultur- og Fritidsudvalget\nReferat\nMødedato: {index + 3}. maj 2022\n"
             f"Medlemmer: {person} (A), Hans Holm (V)\n\n"]
    items, entities = [], []

    def add(label, title, body):
        start = sum(len(p) for p in parts)
        number = len(items) + 1
        parts.append(_heading(style, number, title) + "\n" + body + "\n\n")
        items.append({"start": start, "end": 0, "number": str(number), "title": title, "label": label})

    add("procedure", "Godkendelse af dagsorden", "Beslutning\nGodkendt.")
    add("penge", f"Tilskud til {grant}", f"Indstilling\nAt {grant} bevilges {amount} fra puljen.\nBeslutning\nBevilget.")
    add("info", f"Orientering om {['biblioteket', 'svømmehallen', 'musikskolen'][index % 3]}",
        "Sagsfremstilling\nForvaltningen orienterer om status.\nIndstilling\nTil efterretning.\nBeslutning\nTaget til efterretning.")
    add("penge", "Frigivelse af midler til nyt klubhus", f"Indstilling\nAt der frigives {amount}.\nBeslutning\nGodkendt.")
    add("info", "Meddelelser", "Beslutning\nIngen meddelelser.")
    text = "".join(parts)
    for position, item in enumerate(items):
        item["end"] = items[position + 1]["start"] if position + 1 < len(items) else len(text)
    for label, surface in (("PERSON", person), ("PERSON", "Hans Holm"), ("ORG", f"{town} Kommune")):
        start = text.index(surface)
        entities.append({"start": start, "end": start + len(surface), "label": label, "value": None})
    for label, surface, value in (("PARTY", "A", "Socialdemokratiet"), ("PARTY", "V", "Venstre")):
        start = text.index(f"({surface})") + 1
        entities.append({"start": start, "end": start + 1, "label": label, "value": value})
    from referat.entities.amounts import find_amounts
    for start, end, value in find_amounts(text):
        entities.append({"start": start, "end": end, "label": "AMOUNT", "value": value})
    entities.sort(key=lambda e: e["start"])
    return {"id": f"test-{index}", "text": text, "items": items, "entities": entities,
            "meta": {"municipality": f"{town} Kommune", "committee": "Kultur- og Fritidsudvalget",
                     "date": f"2022-05-{index + 3:02d}", "kind": "referat", "style": f"{style}-{index}"}}




def test_retrained_pipeline_labels_items_with_its_own_label_set(trained):
    text = ("Skovby Kommune\nKultur- og Fritidsudvalget\nReferat\n\n"
            "Punkt 1: Godkendelse af dagsorden\nBeslutning\nGodkendt.\n\n"
            "Punkt 2: Tilskud til Sejlklubben\nIndstilling\nAt Sejlklubben bevilges 80.000 kr. fra puljen.\nBeslutning\nBevilget.\n\n"
            "Punkt 3: Meddelelser\nBeslutning\nIngen meddelelser.\n")
    analysis = referat.analyse(text, model=trained)
    assert [item.label for item in analysis.items] == ["procedure", "penge", "info"]
    for item in analysis.items:
        assert set(item.scores) == {"procedure", "penge", "info"}
        assert abs(sum(item.scores.values()) - 1) < 1e-3
    assert ("80.000 kr.", 80000) in [(e.text, e.value) for e in analysis.entities if e.label == "AMOUNT"]


def test_training_writes_metrics_and_model_card(trained):
    metrics = json.loads((trained / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["training"]["labels"] == ["info", "penge", "procedure"]
    assert metrics["training"]["seed"] == 3
    assert sum(metrics["training"]["split"].values()) == 8
    card = (trained / "README.md").read_text(encoding="utf-8")
    assert "referat train --corpus" in card
    # dev is scored with the train-split classifier; the shipped one is fitted on both
    assert metrics["training"]["classifier_fitted_on"] == "train+dev"
    assert "fitted again on train and dev" in card


def test_an_unknown_final_fit_is_refused_before_any_training(tmp_path):
    import shutil

    configs = tmp_path / "configs"
    shutil.copytree(REPO / "configs", configs)
    toml = configs / "classifier.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('final_fit = "train+dev"', 'final_fit = "everything"'),
                    encoding="utf-8")
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps(_meeting(0), ensure_ascii=False) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["train", "--corpus", str(corpus), "--output", str(tmp_path / "m"),
                                      "--config", str(configs)])
    assert result.exit_code != 0
    assert "final_fit" in result.output and "train+dev" in result.output
    assert not (tmp_path / "m").exists()


def test_evaluate_command_reports_per_label_scores(trained, tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps(_meeting(5), ensure_ascii=False) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", "--corpus", str(corpus), "--model", str(trained), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["items"]["f1"] == 1.0
    assert set(scores["labels"]["per_label"]) <= {"procedure", "penge", "info"}
    assert scores["entities"]["AMOUNT"]["f1"] == 1.0


def test_classifier_is_saved_with_skops_and_refuses_untrusted_types(tmp_path):
    settings = load_settings(REPO / "configs" / "classifier.toml")
    parts = [{"title": t, "indstilling": "", "beslutning": b, "økonomi": "", "body": ""} for t, b in
             [("Tilskud til koret", "Bevilget"), ("Meddelelser", "Taget til efterretning"),
              ("Tilskud til klubben", "Bevilget"), ("Orientering om skolen", "Taget til efterretning")] * 3]
    labels = ["penge", "info", "penge", "info"] * 3
    model = ItemClassifier(settings).fit(parts, labels)
    path = model.save(tmp_path / "clf")
    assert path.suffix == ".skops"
    with open(path, "rb") as handle:
        assert handle.read(2) == b"PK"  # a zip archive, not a pickle
    loaded = ItemClassifier.load(tmp_path / "clf")
    assert np.allclose(loaded.predict_proba(parts), model.predict_proba(parts))
    # a file whose pipeline calls an arbitrary function is refused, not loaded
    import os

    from skops.io import dump
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer
    dump(Pipeline([("call", FunctionTransformer(os.getcwd))]), tmp_path / "clf" / "model.skops")
    with pytest.raises(referat.ModelError, match="does not trust"):
        ItemClassifier.load(tmp_path / "clf")


def test_numpy_inference_form_gives_the_pipelines_probabilities(tmp_path, styles):
    """The shipped pipeline applies the classifier without scikit-learn; it must agree with it."""
    from referat.corpus import load_corpus
    from referat.training.examples import item_examples

    records = load_corpus(REPO / "corpus")[:12]
    parts, labels, _ = item_examples(records, styles)
    model = ItemClassifier(load_settings(REPO / "configs" / "classifier.toml")).fit(parts, labels)
    model.save(tmp_path / "clf")
    light = ItemClassifier.load(tmp_path / "clf", apply_only=True)
    assert light.pipeline is None and light.labels == model.labels
    assert np.allclose(light.predict_proba(parts), model.predict_proba(parts), atol=1e-9)
    two = ItemClassifier(load_settings(REPO / "configs" / "classifier.toml")).fit(parts[:40], ["a", "b"] * 20)
    two.save(tmp_path / "two")
    assert np.allclose(ItemClassifier.load(tmp_path / "two", apply_only=True).predict_proba(parts),
                       two.predict_proba(parts), atol=1e-9)


def test_item_parts_are_the_same_from_parsed_sections_and_from_the_text():
    from referat.classify.classifier import item_parts
    from referat.corpus import load_corpus
    from referat.structure import parse

    for record in load_corpus(REPO / "corpus")[:10]:
        for item in parse(record["text"]).items:
            data = item.to_dict()
            from_sections = item_parts(record["text"], item.start, item.end, item.title, sections=data["sections"])
            from_text = item_parts(record["text"], item.start, item.end, item.title)
            assert from_sections == from_text


def test_money_terms_name_what_an_item_does_with_money_per_part():
    from referat.classify.classifier import money_terms

    spec = load_settings(REPO / "configs" / "classifier.toml")["features"]["money"]
    item = {"title": "Renovering af svømmehallen",
            "indstilling": "Forvaltningen indstiller, at sagen anbefales over for byrådet.",
            "beslutning": "Anbefales.",
            "økonomi": "Det indstilles, at der meddeles en anlægsbevilling på 2,1 mio. kr., og at "
                       "rådighedsbeløbet frigives."}
    terms = money_terms(item, spec).split()
    assert "økonomi_anlægsbevilling" in terms and "økonomi_frigives" in terms
    assert not any(term.startswith(("indstilling_", "beslutning_", "title_")) for term in terms)
    # a case that costs nothing says so, and says nothing of grants
    quiet = {"title": "Landzonetilladelse til carport", "indstilling": "at tilladelsen gives",
             "økonomi": "Sagen har ingen økonomiske konsekvenser for kommunen."}
    assert money_terms(quiet, spec).split() == ["økonomi_ingen_konsekvenser"]
    assert money_terms({"title": "Budgetopfølgning pr. 31. marts"}, spec) == "title_budgetopfølgning"


def test_title_function_words_do_not_decide_a_label(tmp_path):
    """Titles of one label that share only a preposition with another label's titles: with the
    function words left out of the title, "til" carries no weight, in both inference forms."""
    settings = load_settings(REPO / "configs" / "classifier.toml")
    grants = [{"title": f"Tillægsbevilling til {name}", "beslutning": "Bevilget"} for name in GRANTS]
    notes = [{"title": f"Orientering om {name}", "beslutning": "Taget til efterretning"} for name in GRANTS]
    model = ItemClassifier(settings).fit(grants + notes, ["penge"] * 8 + ["info"] * 8)
    names = model.pipeline.named_steps["features"].named_transformers_["title_words"].get_feature_names_out()
    assert "tillægsbevilling" in names and "til" not in names and "orientering" in names
    model.save(tmp_path / "clf")
    light = ItemClassifier.load(tmp_path / "clf", apply_only=True)
    probe = grants + notes + [{"title": "Tilskud til ny klub", "beslutning": "Bevilget til efterretning"}]
    assert np.allclose(light.predict_proba(probe), model.predict_proba(probe), atol=1e-9)
