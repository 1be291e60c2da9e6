"""The public calls: load a pipeline, analyse one text, analyse many."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from referat.pipeline import components  # noqa: F401  (registers the factories and extensions)
from referat.analysis import Analysis
from referat.errors import ModelError
from referat.pipeline.assemble import MAX_TEXT_LENGTH
from referat.resources import shipped_model_path
from referat.textfile import check_text

MODEL_VARIABLE = "REFERAT_MODEL"
#: the name `load` takes for the pipeline with the structure component only (no entities, no labels)
STRUCTURE_ONLY = "structure"


def default_model_path() -> Path:
    """The pipeline `load()` uses: $REFERAT_MODEL if set, else the one installed with the package."""
    configured = os.environ.get(MODEL_VARIABLE)
    return Path(configured) if configured else shipped_model_path()


def structure_pipeline() -> Language:
    """A pipeline with the structure component only (no entity or label models), its data and
    the lexicon taken from the shipped pipeline."""
    from referat.lexicon import Lexicon
    from referat.resources import shipped_component_data
    from referat.structure.styles import COMPONENT, FILE

    nlp = spacy.blank("da")
    Lexicon.shipped().add_to(nlp.vocab)
    nlp.add_pipe("referat_structure").initialize(data=shipped_component_data(COMPONENT, FILE))
    nlp.meta["name"] = "structure_only"
    nlp.max_length = MAX_TEXT_LENGTH
    return nlp


@lru_cache(maxsize=4)
def _load_path(path: str) -> Language:
    if not Path(path).exists():
        hint = ("reinstall referat (python -m pip install referat) to get the shipped pipeline back"
                if Path(path) == shipped_model_path() else
                f"give the folder of a pipeline made by `referat train`, or unset ${MODEL_VARIABLE} "
                "to use the shipped one")
        raise ModelError(f"no pipeline at {path}: {hint}")
    try:
        nlp = spacy.load(path)
    except (OSError, ValueError, KeyError) as error:
        raise ModelError(f"could not load the pipeline at {path}: {error}") from error
    nlp.max_length = MAX_TEXT_LENGTH
    return nlp


def load(model: str | Path | Language | None = None, *, base: str | Path | None = None) -> Language:
    """The spaCy pipeline that `analyse` runs: a loaded Language is used as it is, a path
    is loaded (once, then cached), None gives the default (see `default_model_path`), and
    "structure" the structure-only pipeline. A pipeline that cannot be found is a ModelError,
    never a silent fallback.

    `base="dacy"` (or the name or folder of an installed DaCy pipeline) puts that pipeline's
    PER/ORG predictions in front of referat's own components; see `referat.pipeline.dacy`.
    """
    if isinstance(model, Language):
        return model
    if isinstance(model, str) and model == STRUCTURE_ONLY:
        return _structure_only()
    path = Path(model) if model is not None else default_model_path()
    if base is not None:
        from referat.pipeline.dacy import with_base

        return with_base(str(base), str(path.resolve()))
    return _load_path(str(path.resolve()))


@lru_cache(maxsize=1)
def _structure_only() -> Language:
    return structure_pipeline()


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
