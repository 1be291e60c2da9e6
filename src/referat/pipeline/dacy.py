"""DaCy as an optional base: a locally installed DaCy pipeline's tokenizer, transformer and
NER in front of referat's own components.

Nothing is downloaded: `dacy.load(...)` would fetch weights from a hub, so only pipelines that
are already installed (as a spaCy package, e.g. `da_dacy_small_trf`) or saved in a folder are
used. Their labels are mapped to referat's (PER -> PERSON, ORG -> ORG); LOC and MISC are
dropped, as the annotation guide has no such labels.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from referat.errors import ModelError

LABEL_MAP = {"PER": "PERSON", "PERSON": "PERSON", "ORG": "ORG"}
REFERAT_COMPONENTS = ("referat_structure", "entity_ruler", "referat_rules", "ner",
                      "referat_normalise", "referat_decisions", "referat_item_classifier")
INSTALL_HINT = ("no DaCy pipeline is installed. Install one (offline: `pip install referat[dacy]`, then "
                "`pip install <path to a da_dacy_*_trf wheel>`), or give the folder of a saved spaCy "
                "pipeline: referat.load(base='/path/to/pipeline')")


def installed_dacy_pipelines() -> list[str]:
    """Names of installed spaCy packages that are DaCy pipelines (da_dacy_*)."""
    return sorted(name for name in spacy.util.get_installed_models() if name.startswith("da_dacy"))


def resolve_base(base: str) -> str:
    if base == "dacy":
        found = installed_dacy_pipelines()
        if not found:
            raise ModelError(INSTALL_HINT)
        return found[0]
    if Path(base).exists() or spacy.util.is_package(base):
        return base
    raise ModelError(f"base pipeline {base!r} is neither a folder nor an installed package; " + INSTALL_HINT)


class BaseLabelMap:
    """Renames the base pipeline's entity labels to referat's and drops the others."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        kept = []
        for ent in doc.ents:
            label = LABEL_MAP.get(ent.label_)
            if label:
                kept.append(doc.char_span(ent.start_char, ent.end_char, label=label))
        doc.ents = [span for span in kept if span is not None]
        return doc


@Language.factory("referat_base_labels")
def make_base_labels(nlp: Language, name: str) -> BaseLabelMap:
    return BaseLabelMap(nlp, name)


@lru_cache(maxsize=2)
def with_base(base: str, model: str | None) -> Language:
    """The base pipeline with referat's components (from `model`, or the shipped pipeline) after it."""
    from referat.lexicon import Lexicon
    from referat.pipeline.assemble import MAX_TEXT_LENGTH
    from referat.resources import shipped_model_path

    name = resolve_base(base)
    try:
        nlp = spacy.load(name)
    except (OSError, ValueError) as error:
        raise ModelError(f"could not load the base pipeline {name}: {error}") from error
    ours = spacy.load(model or shipped_model_path())
    if "tok2vec" in ours.pipe_names and "ner" in ours.pipe_names:
        # our NER gets its own copy of the tok2vec, so it cannot listen to the base's
        ours.replace_listeners("tok2vec", "ner", ["model.tok2vec"])
    keep = [pipe for pipe in nlp.pipe_names if pipe in ("transformer", "tok2vec", "ner", "trainable_transformer")]
    for pipe in list(nlp.pipe_names):
        if pipe not in keep:
            nlp.remove_pipe(pipe)
    for pipe in keep:
        nlp.rename_pipe(pipe, f"base_{pipe}")
    Lexicon.of_vocab(ours.vocab).add_to(nlp.vocab)  # the tables referat's components read
    nlp.add_pipe("referat_base_labels")
    for pipe in REFERAT_COMPONENTS:
        if pipe in ours.pipe_names:
            nlp.add_pipe(ours.get_pipe_meta(pipe).factory, name=pipe, source=ours)
    nlp.meta["name"] = f"referat_on_{Path(name).name}"
    nlp.max_length = MAX_TEXT_LENGTH
    return nlp
