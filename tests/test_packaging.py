"""The pipeline carries everything it needs: serialisation round trips, no build-machine paths,
the shipped model found from the installed package, clear errors when a model is missing."""

from __future__ import annotations

import json
import re

import pytest
import spacy

import referat
from referat.analysis import Analysis
from referat.api import load, make_doc, model_info
from referat.errors import ModelError
from referat.resources import shipped_model_path

MINUTES = """Fjordby Kommune
Referat
Teknik- og Miljøudvalget

Mødedato: 14. marts 2024 kl. 16.00
Mødested: Rådhuset, mødelokale 2
Medlemmer: Anne Holm (A), Bo Lind (V), Ida Vang (F)
Fraværende: Bo Lind (V)

1. Godkendelse af dagsorden
Indstilling
Forvaltningen indstiller, at dagsordenen godkendes.
Beslutning
Godkendt.

2. Anlægsbevilling til cykelsti langs Strandvejen
Sagsnr.: 24/1188
Sagsfremstilling
Fjordby Kommune har fået tilsagn fra Vejdirektoratet om 1,4 mio. kr. til en cykelsti. Anne Holm (A)
foreslog, at projektet "Sikker Skolevej" indgår.
Økonomi
Der søges en anlægsbevilling på 2.350.000 kr. finansieret af kassebeholdningen.
Indstilling
Forvaltningen indstiller, at der gives en anlægsbevilling på 2.350.000 kr.
Beslutning
Anbefales over for Økonomiudvalget og Byrådet.
"""


def _analysis(nlp) -> dict:
    result = Analysis.from_doc(nlp(make_doc(nlp, MINUTES)))
    result.model = model_info(nlp)
    return result.to_dict()


@pytest.fixture(scope="module")
def shipped():
    return load()


def test_the_shipped_pipeline_is_inside_the_installed_package(shipped):
    path = shipped_model_path()
    assert path.is_dir() and (path / "config.cfg").is_file()
    assert path.resolve().is_relative_to(__import__("pathlib").Path(referat.__file__).resolve().parent)
    assert shipped.pipe_names[-1] == "referat_item_classifier"


def test_the_shipped_pipeline_labels_items_and_finds_entities(shipped):
    data = _analysis(shipped)
    assert [item["title"] for item in data["items"]] == [
        "Godkendelse af dagsorden", "Anlægsbevilling til cykelsti langs Strandvejen"]
    assert all(item["label"] for item in data["items"])
    amounts = {e["value"] for e in data["entities"] if e["label"] == "AMOUNT"}
    assert {1_400_000, 2_350_000} <= amounts
    assert data["meeting"]["municipality"] == "Fjordby Kommune"
    assert {m["name"]: m["party_name"] for m in data["meeting"]["members"]}["Ida Vang"] == "SF - Socialistisk Folkeparti"


def test_the_shipped_pipeline_carries_the_spans_for_its_tokenizer_cache(shipped):
    from referat.pipeline.tokenizer_cache import TABLE

    spans = shipped.vocab.lookups.get_table(TABLE)["spans"]
    assert len(spans) > 1000 and {"og", "Beslutning", "Indstilling"} <= set(spans[:200])
    assert not set(spans) & set(shipped.tokenizer.rules)


def test_no_build_machine_path_in_the_shipped_pipeline():
    for path in shipped_model_path().rglob("*"):
        if path.suffix in (".cfg", ".json", ".jsonl", ".txt", ".md"):
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"(?<![\w.])/(?:work|home|root|tmp|Users)/", text), path
            assert "configs/" not in text or path.name == "README.md", path


def test_to_bytes_and_from_bytes_give_the_same_analysis(shipped):
    data = shipped.to_bytes()
    config = shipped.config
    lang = spacy.util.get_lang_class(config["nlp"]["lang"])
    copy = lang.from_config(config).from_bytes(data)
    assert _analysis(copy) == _analysis(shipped)


def test_to_disk_and_spacy_load_give_the_same_analysis(shipped, tmp_path):
    shipped.to_disk(tmp_path / "copy")
    copy = spacy.load(tmp_path / "copy")
    assert _analysis(copy) == _analysis(shipped)
    carried = json.loads((tmp_path / "copy" / "referat_structure" / "styles.json").read_text(encoding="utf-8"))
    assert carried["heading"], "the structure component saves its house styles in its own folder"


def test_spacy_load_of_the_shipped_folder_works_like_any_pipeline():
    nlp = spacy.load(shipped_model_path())
    assert "referat_structure" in nlp.pipe_names
    assert nlp.vocab.lookups.has_table("referat_lexicon")


def test_a_missing_model_is_a_model_error_with_the_fix(tmp_path, monkeypatch):
    with pytest.raises(ModelError, match="referat train"):
        load(tmp_path / "no-such-pipeline")
    monkeypatch.setenv("REFERAT_MODEL", str(tmp_path / "elsewhere"))
    with pytest.raises(ModelError, match="REFERAT_MODEL"):
        load()


def test_structure_only_is_given_only_when_asked_for_by_name():
    nlp = load("structure")
    assert nlp.pipe_names == ["referat_structure"]
    data = _analysis(nlp)
    assert len(data["items"]) == 2 and data["entities"] == []


def test_an_uninitialised_component_says_so():
    nlp = spacy.blank("da")
    nlp.add_pipe("referat_structure")
    with pytest.raises(ModelError):
        nlp("Fjordby Kommune\n1. Godkendelse af dagsorden\n")
