"""Assembling the `referat` spaCy pipeline from configs/ (training only; the runtime loads a saved
pipeline): tokenizer, structure, rules,
the statistical NER (when trained), normaliser and item classifier (when trained)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import spacy

import referat
from spacy.language import Language
from spacy.util import compile_suffix_regex

from referat.errors import ModelError
from referat.lexicon import Lexicon
from referat.resources import CONFIGS
from referat.pipeline import components  # noqa: F401  (registers the factories)
from referat.pipeline import tokenizer_cache

# texts longer than spaCy's default limit are fine for these components (all linear)
MAX_TEXT_LENGTH = 20_000_000
# "AKF's" -> "AKF" + "'s": the guide keeps an apostrophe genitive outside a name's span
# and a capital letter standing alone loses its period ("Imod stemte: F og B.")
EXTRA_SUFFIXES = [r"(?<=\w)['’]s", r"(?<=(?<!\w)[A-ZÆØÅ])\."]


# a capital letter with a period is a party letter ending a sentence at least as often
# as an initial, so it is not kept as one token
_SINGLE_LETTER_ABBREVIATION = re.compile(r"^[A-ZÆØÅ]\.$")
# "612.500 kr.." ends a sentence after the abbreviation: the amount keeps "kr." only
ABBREVIATIONS_BEFORE_PERIOD = ("kr.", "tkr.", "t.kr.", "mio.", "mia.", "mill.", "ca.", "jf.", "pkt.", "nr.")


def blank_nlp() -> Language:
    """A blank Danish pipeline with referat's tokenizer settings (used for training data too)."""
    nlp = spacy.blank("da")
    tokenizer = nlp.tokenizer
    tokenizer.suffix_search = compile_suffix_regex(list(nlp.Defaults.suffixes) + EXTRA_SUFFIXES).search
    tokenizer.rules = {text: value for text, value in tokenizer.rules.items()
                       if not _SINGLE_LETTER_ABBREVIATION.match(text)}
    for word in ABBREVIATIONS_BEFORE_PERIOD:
        for form in {word, word.capitalize()}:
            tokenizer.add_special_case(form + ".", [{"ORTH": form}, {"ORTH": "."}])
    return nlp


def read_toml(path: str | Path) -> dict:
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def build_pipeline(configs: str | Path | None = None, *, ner: Language | None = None,
                   classifier=None, common_words: frozenset[str] = frozenset(),
                   tokenizer_spans: list[str] = (),
                   entity_ruler: bool = True, rules: bool = True,
                   name: str = "referat", version: str | None = None) -> Language:
    """The full pipeline, with every component's data read from `configs` (configs/ of the
    source tree by default) and handed in through `initialize`, so the pipeline carries it:
    `ner` is a trained pipeline to take the NER (and its tok2vec) from; `classifier` a fitted
    referat.classify.classifier.ItemClassifier; `common_words` the ordinary words of the
    training corpus (see referat.entities.tidy); `tokenizer_spans` the spans it repeats, for the
tokenizer's cache (see referat.pipeline.tokenizer_cache). Leave any out to go without."""
    configs = Path(configs) if configs else CONFIGS
    if not (configs / "structure.toml").is_file():
        raise ModelError(f"{configs} is not a configs folder (no structure.toml): give the configs/ "
                         "folder of a referat source tree")
    nlp = blank_nlp()
    Lexicon.from_folder(configs).add_to(nlp.vocab)
    if tokenizer_spans:
        tokenizer_cache.store(nlp.vocab, list(tokenizer_spans))
    nlp.add_pipe("referat_structure").initialize(data=read_toml(configs / "structure.toml"))
    if entity_ruler:
        ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": None, "validate": True})
        ruler.from_disk(configs / "patterns" / "entity_ruler.jsonl")
    if rules:
        nlp.add_pipe("referat_rules").initialize(data=read_toml(configs / "patterns" / "context.toml"))
    if ner is not None:
        for component in ("tok2vec", "ner"):
            if component in ner.pipe_names:
                nlp.add_pipe(component, source=ner)
    nlp.add_pipe("referat_normalise").common_words = frozenset(common_words)
    nlp.add_pipe("referat_decisions").initialize(data=read_toml(configs / "decisions.toml"))
    if classifier is not None:
        component = nlp.add_pipe("referat_item_classifier")
        component.model = classifier
    nlp.meta["name"] = name
    nlp.meta["version"] = version or referat.__version__
    nlp.meta["description"] = "Danish committee minutes: structure, entities and item labels (referat)"
    nlp.max_length = MAX_TEXT_LENGTH
    return nlp
