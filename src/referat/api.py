"""The public calls: load a pipeline, analyse one text, analyse many."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from referat import components  # noqa: F401  (registers the factories and extensions)
from referat.analysis import Analysis
from referat.errors import ModelError
from referat.textfile import check_text

# the pipeline that ships with the project, and the variable that points elsewhere
DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "models" / "referat_da"
MODEL_VARIABLE = "REFERAT_MODEL"
# texts longer than spaCy's default limit are fine for these components (all linear)
MAX_TEXT_LENGTH = 20_000_000


def default_model_path() -> Path | None:
    """The pipeline `load()` uses: $REFERAT_MODEL, else models/referat_da if it is there."""
    configured = os.environ.get(MODEL_VARIABLE)
    if configured:
        return Path(configured)
    return DEFAULT_MODEL if DEFAULT_MODEL.exists() else None


def structure_pipeline() -> Language:
    """A pipeline with the structure component only (no entity or label models)."""
    nlp = spacy.blank("da")
    nlp.add_pipe("referat_structure")
    nlp.meta["name"] = "structure_only"
    return nlp


@lru_cache(maxsize=4)
def _load_path(path: str) -> Language:
    if not Path(path).exists():
        raise ModelError(f"no pipeline at {path}: give the folder of a pipeline made by "
                         "`referat train`, or leave the model out to use the one in models/")
    try:
        nlp = spacy.load(path)
    except (OSError, ValueError, KeyError) as error:
        raise ModelError(f"could not load the pipeline at {path}: {error}") from error
    nlp.max_length = MAX_TEXT_LENGTH
    return nlp


def load(model: str | Path | Language | None = None, *, base: str | Path | None = None) -> Language:
    """The spaCy pipeline that `analyse` runs: a loaded Language is used as it is, a path
    is loaded (once, then cached), None gives the default (see `default_model_path`).

    `base="dacy"` (or the name or folder of an installed DaCy pipeline) puts that pipeline's
    PER/ORG predictions in front of referat's own components; see `referat.dacy_base`.
    """
    if isinstance(model, Language):
        return model
    if model is None:
        model = default_model_path()
    if base is not None:
        from referat.dacy_base import with_base

        return with_base(str(base), None if model is None else str(Path(model).resolve()))
    if model is None:
        return _structure_only()
    return _load_path(str(Path(model).resolve()))


@lru_cache(maxsize=1)
def _structure_only() -> Language:
    nlp = structure_pipeline()
    nlp.max_length = MAX_TEXT_LENGTH
    return nlp


def model_info(nlp: Language) -> dict[str, str]:
    return {"name": f"{nlp.meta.get('lang', 'da')}_{nlp.meta.get('name', 'pipeline')}",
            "version": str(nlp.meta.get("version", "0.0.0"))}


def make_doc(nlp: Language, text: str):
    """The tokenised Doc, carrying its text for referat's components (spaCy would otherwise
    rebuild `doc.text` from the tokens in the first component that reads it)."""
    doc = nlp.make_doc(text)
    doc._.source_text = text
    return doc


def analyse(text: str, *, model: str | Path | Language | None = None) -> Analysis:
    """Header, items (with sections, label and scores) and entities of one meeting's minutes.

    Raises `referat.EmptyTextError` (a `ReferatError`) for an empty or blank text. A text that
    is not minutes gives an Analysis with no items and a warning.
    """
    check_text(text)
    nlp = load(model)
    analysis = Analysis.from_doc(nlp(make_doc(nlp, text)))
    analysis.model = model_info(nlp)
    return analysis


def analyse_many(texts: Iterable[str], *, model: str | Path | Language | None = None,
                 n_process: int = 1, batch_size: int = 16) -> Iterator[Analysis]:
    """Analyse texts in a stream (a generator, in input order), with `n_process` processes.

    An empty text raises `EmptyTextError` when the stream reaches it.
    """
    nlp = load(model)
    info = model_info(nlp)
    checked = (make_doc(nlp, check_text(text, f"text {index}")) for index, text in enumerate(texts))
    for doc in nlp.pipe(checked, n_process=n_process, batch_size=batch_size):
        analysis = Analysis.from_doc(doc)
        analysis.model = info
        yield analysis
