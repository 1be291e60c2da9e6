"""DaCy as an optional base: the loading path, tested with a small pipeline built here."""

from __future__ import annotations

import pytest
import spacy

import referat
from referat.pipeline import dacy as dacy_base


@pytest.fixture
def base_pipeline(tmp_path):
    """A stand-in for an installed DaCy pipeline: a Danish pipeline whose 'ner' predicts
    DaCy's labels (PER, ORG, LOC)."""
    nlp = spacy.blank("da")
    ruler = nlp.add_pipe("entity_ruler", name="ner")
    ruler.add_patterns([
        {"label": "PER", "pattern": "Mette Lund"},
        {"label": "LOC", "pattern": "Vestby"},
        {"label": "ORG", "pattern": "Fjordby Boligselskab"},
    ])
    path = tmp_path / "da_dacy_tiny"
    nlp.to_disk(path)
    return path


TEXT = ("Referat\nKultur- og Fritidsudvalget\n\n1. Tilskud til spejderhus i Vestby\n"
        "Sagsfremstilling\nProjektleder Mette Lund og Fjordby Boligselskab søger 250.000 kr.\n")


def test_base_pipeline_predictions_come_first_with_referat_labels(base_pipeline):
    nlp = referat.load(base=str(base_pipeline))
    assert nlp.pipe_names[:2] == ["base_ner", "referat_base_labels"]
    analysis = referat.analyse(TEXT, model=nlp)
    found = {(e.text, e.label) for e in analysis.entities}
    assert ("Mette Lund", "PERSON") in found
    assert ("Fjordby Boligselskab", "ORG") in found
    assert ("250.000 kr.", "AMOUNT") in found
    assert not any(e.text == "Vestby" for e in analysis.entities)  # LOC is not a referat label
    assert [item.title for item in analysis.items] == ["Tilskud til spejderhus i Vestby"]


def test_dacy_without_an_installed_pipeline_says_how_to_install(monkeypatch):
    monkeypatch.setattr(dacy_base, "installed_dacy_pipelines", lambda: [])
    with pytest.raises(referat.ModelError, match="pip install referat\\[dacy\\]"):
        referat.load(base="dacy")


def test_unknown_base_is_a_model_error(tmp_path):
    with pytest.raises(referat.ModelError, match="neither a folder nor an installed package"):
        referat.load(base=str(tmp_path / "missing"))
