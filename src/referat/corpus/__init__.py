"""The annotated-minutes corpus: schema (`schema`), the readable source form (`source`),
loading with `datasets` (`dataset`), validation (`validate`), grouped splits (`split`),
spaCy training data (`docbin`), counts (`stats`) and files (`files`).

The names used across the project are re-exported here: ``from referat.corpus import
load_corpus, validate, split``. `FEATURES` (the `datasets` features) is built on first use,
so that importing the corpus does not import `datasets`.
"""

from referat.corpus.dataset import load_corpus, record_from_row, to_dataset
from referat.corpus.docbin import to_docbin
from referat.corpus.files import compile_sources, ordered_record, write_jsonl
from referat.corpus.schema import (ENTITY_FIELDS, ENTITY_LABELS, ITEM_FIELDS, ITEM_LABELS, ITEM_PREFIX,
                                   META_FIELDS, RECORD_FIELDS, RULES, UNKNOWN)
from referat.corpus.split import split
from referat.corpus.stats import stats
from referat.corpus.validate import Problem, validate

__all__ = [
    "load_corpus", "record_from_row", "to_dataset", "to_docbin", "compile_sources", "ordered_record",
    "write_jsonl", "split", "stats", "validate", "Problem", "FEATURES",
    "ENTITY_FIELDS", "ENTITY_LABELS", "ITEM_FIELDS", "ITEM_LABELS", "ITEM_PREFIX", "META_FIELDS",
    "RECORD_FIELDS", "RULES", "UNKNOWN",
]


def __getattr__(name: str):
    if name == "FEATURES":
        from referat.corpus import schema

        return schema.FEATURES
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
