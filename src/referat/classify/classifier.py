"""The item classifier: features drawn from an item's parts and a scikit-learn Pipeline.

An item is read the way a case worker reads it: its title, its Indstilling, its Beslutning
(the decision wins), its Økonomi, and the rest of its text. Each part gets its own TF-IDF
features (words, and character n-grams where configs/classifier.toml says so) with its own
weight, in one `Pipeline` with a linear model, so what is fitted is exactly what is applied.
The labels are whatever the training data holds. Saved with skops, never pickle, and loaded
only when every type in the file is one this module trusts.
"""

from __future__ import annotations

import re
import tomllib
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from referat.errors import ModelError
from referat.structure import load_styles
from referat.structure.lines import split_lines
from referat.structure.sections import find_section_heading

PARTS = ("title", "indstilling", "beslutning", "økonomi", "body")
MODEL_FILE = "model.skops"
# types a saved classifier may hold beyond those skops trusts by default (scikit-learn's
# estimators, numpy and scipy arrays); anything else in a file makes `load` refuse it
TRUSTED_TYPES: list[str] = []


def load_settings(path: str | Path) -> dict:
    """The classifier settings in a classifier.toml (configs/classifier.toml is the source)."""
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def item_parts(text: str, start: int, end: int, title: str, styles=None, body_chars: int = 4000,
               sections: list[dict] | None = None, part_chars: int = 20000) -> dict[str, str]:
    """An item's parts: title, indstilling, beslutning, økonomi, and the rest (body).

    `sections` are the item's sections as the structure parser gives them (name, heading,
    start, end); without them the section headings are found in text[start:end] the same way.
    Whitespace is normalised, so both give the same parts. The body keeps its first
    `body_chars` characters and every other part its first `part_chars`, so an item of any
    length (a runaway item of a file whose structure was not found) costs bounded memory."""
    if sections is None:
        sections = _find_sections(text, start, end, styles or load_styles())
    limits = {part: body_chars if part == "body" else part_chars for part in PARTS}
    parts: dict[str, list[str]] = {part: [] for part in PARTS}
    taken = dict.fromkeys(PARTS, 0)

    def add(part: str, begin: int, finish: int) -> None:
        room = 2 * limits[part] - taken[part]  # raw text may hold runs of blanks
        if room > 0 and finish > begin:
            piece = text[begin:min(finish, begin + room)]
            parts[part].append(piece)
            taken[part] += len(piece)

    parts["title"].append(title)
    add("body", start, sections[0]["start"] if sections else end)
    for section in sections:
        body = section["start"] + len(section["heading"])
        while body < section["end"] and text[body] in ": \t\u00a0\r\n":
            body += 1
        add(section["name"] if section["name"] in parts and section["name"] != "title" else "body", body, section["end"])
    joined = {part: " ".join(" ".join(pieces).split()) for part, pieces in parts.items()}
    return {part: value if part == "title" else value[:limits[part]] for part, value in joined.items()}


def _find_sections(text: str, start: int, end: int, styles) -> list[dict]:
    found = []
    chunk = text[start:end]
    for line in split_lines(chunk):
        heading = find_section_heading(line, styles)
        if heading is not None:
            found.append({"name": heading.name, "heading": heading.heading, "start": start + heading.start})
    for index, section in enumerate(found):
        section["end"] = found[index + 1]["start"] if index + 1 < len(found) else end
    return found


def money_terms(item: dict[str, str], spec: dict) -> str:
    """What an item asks to do with money, apart from its mere mention of money: the words
    of `spec["source"]` parts that `spec["match"]` finds (grant, release, transfer words:
    "anlægsbevilling", "frigives", "overføres"), and the name of each `spec["flags"]`
    pattern that is found ("ingen økonomiske konsekvenser"), as one line of terms."""
    match, flags = _compile_money(spec.get("match"), tuple(spec.get("flags", {}).items()))
    terms: list[str] = []
    for part in spec["source"]:
        text = item.get(part, "")
        if not text:
            continue
        if match is not None:
            terms.extend(f"{part}_{found.group(0).lower()}" for found in match.finditer(text))
        terms.extend(f"{part}_{name}" for name, pattern in flags if pattern.search(text))
    return " ".join(terms)


@lru_cache(maxsize=8)
def _compile_money(match: str | None, flags: tuple[tuple[str, str], ...]):
    return (re.compile(match, re.IGNORECASE) if match else None,
            [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in flags])


# parts derived from the parts above, each by its function and its [features.<name>] settings
# in classifier.toml; the feature table's columns are the parts, then these
DERIVED = {"money": money_terms}
COLUMNS = PARTS + tuple(DERIVED)


def rows(parts: list[dict[str, str]], settings: dict | None = None) -> np.ndarray:
    """The feature matrix's input: one row per item, one column per part and derived part
    (object array); a derived part is empty unless the settings define it."""
    features = (settings or {}).get("features") or {}
    derived = [(derive, features.get(name)) for name, derive in DERIVED.items()]
    table = [[item.get(part, "") for part in PARTS] + [derive(item, spec) if spec else "" for derive, spec in derived]
             for item in parts]
    return np.array(table, dtype=object).reshape(-1, len(COLUMNS))


def _stop_words(settings: dict, name: str) -> list[str]:
    lists = settings.get("stop_words", {})
    if name not in lists:
        raise ValueError(f"stop_words = {name!r} names no list in the settings' [stop_words] ({', '.join(lists) or 'none'})")
    return lists[name]


def build_pipeline(settings: dict, parts: tuple[str, ...] = COLUMNS):
    """An unfitted scikit-learn Pipeline from the settings, with features for `parts` only."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.svm import LinearSVC

    transformers, weights = [], {}
    for part, spec in settings["features"].items():
        if part not in parts:
            continue
        column = COLUMNS.index(part)
        if spec.get("words", True):
            name = f"{part}_words"
            stop_words = _stop_words(settings, spec["stop_words"]) if spec.get("stop_words") else None
            transformers.append((name, TfidfVectorizer(
                ngram_range=tuple(spec.get("word_ngrams", (1, 2))), sublinear_tf=True, min_df=1,
                max_features=spec.get("max_features"), lowercase=True, stop_words=stop_words), column))
            weights[name] = spec.get("weight", 1.0)
        if spec.get("chars", False):
            name = f"{part}_chars"
            transformers.append((name, TfidfVectorizer(
                analyzer="char_wb", ngram_range=tuple(spec.get("char_ngrams", (2, 5))), sublinear_tf=True,
                min_df=1, max_features=spec.get("max_features"), lowercase=True), column))
            weights[name] = spec.get("weight", 1.0) * spec.get("char_weight", 1.0)
    features = ColumnTransformer(transformers, transformer_weights=weights, sparse_threshold=1.0)
    model = settings["model"]
    if model["kind"] == "logistic_regression":
        estimator = LogisticRegression(C=model.get("C", 4.0), max_iter=model.get("max_iter", 2000),
                                       class_weight=model.get("class_weight"))
    elif model["kind"] == "calibrated_linear_svc":
        estimator = CalibratedClassifierCV(
            LinearSVC(C=model.get("C", 0.5), class_weight=model.get("class_weight")),
            method=model.get("calibration", "sigmoid"), cv=model.get("calibration_folds", 3))
    else:
        raise ValueError(f"unknown classifier kind {model['kind']!r} in the settings")
    return Pipeline([("features", features), ("model", estimator)])


@dataclass
class ItemClassifier:
    """A fitted item classifier: the scikit-learn Pipeline and the settings it was made with.
    Loaded for use only (`load(..., apply_only=True)`), it holds the numpy inference form."""

    settings: dict
    pipeline: object = None
    labels: list[str] = field(default_factory=list)
    linear: LinearItemModel | None = None

    def fit(self, parts: list[dict[str, str]], labels: list[str]) -> "ItemClassifier":
        # a part no training item has (agendas without decisions, say) gets no features
        table = rows(parts, self.settings)
        present = tuple(part for column, part in enumerate(COLUMNS)
                        if any(any(ch.isalnum() for ch in str(value)) for value in table[:, column]))
        self.pipeline = build_pipeline(self.settings, present)
        self.pipeline.fit(table, np.array(labels))
        self.labels = [str(label) for label in self.pipeline.classes_]
        return self

    def predict_proba(self, parts: list[dict[str, str]]) -> np.ndarray:
        if not parts:
            return np.zeros((0, len(self.labels)))
        if self.pipeline is None:
            return self.linear.predict_proba(rows(parts, self.settings))
        return self.pipeline.predict_proba(rows(parts, self.settings))

    def predict(self, parts: list[dict[str, str]]) -> list[str]:
        return [self.labels[i] for i in self.predict_proba(parts).argmax(axis=1)]

    def save(self, folder: str | Path) -> Path:
        import json

        from skops.io import dump

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        dump(self.pipeline, folder / MODEL_FILE, compression=zipfile.ZIP_DEFLATED)
        if type(self.pipeline.named_steps["model"]).__name__ == "LogisticRegression":
            LinearItemModel.from_pipeline(self.pipeline).save(folder)
        (folder / "settings.json").write_text(json.dumps(self.settings, ensure_ascii=False, indent=2), encoding="utf-8")
        return folder / MODEL_FILE

    @classmethod
    def load(cls, folder: str | Path, *, apply_only: bool = False) -> "ItemClassifier":
        """The classifier saved in `folder`. With `apply_only`, the numpy inference form is read
        when there is one (no scikit-learn import); otherwise the skops file, trusted types only."""
        import json

        folder = Path(folder)
        if apply_only and (folder / LINEAR_FILE).exists():
            settings = json.loads((folder / "settings.json").read_text(encoding="utf-8"))
            linear = LinearItemModel.load(folder)
            return cls(settings=settings, labels=list(linear.labels), linear=linear)

        from skops.io import get_untrusted_types, load

        path = folder / MODEL_FILE
        if not path.exists():
            raise ModelError(f"no classifier at {path}")
        untrusted = get_untrusted_types(file=path)
        unknown = sorted(set(untrusted) - set(TRUSTED_TYPES))
        if unknown:
            raise ModelError(f"{path} holds types referat does not trust, refusing to load it: {', '.join(unknown)}")
        pipeline = load(path, trusted=untrusted)
        settings = json.loads((folder / "settings.json").read_text(encoding="utf-8"))
        return cls(settings=settings, pipeline=pipeline, labels=[str(label) for label in pipeline.classes_])


# ------------------------------------------------------------------------------------------
# The inference form: the fitted TF-IDF vocabularies, idf weights and linear coefficients as
# plain data (JSON and .npz, never pickle), applied with numpy alone. Importing scikit-learn
# and skops costs about 2 s, three times the rest of `referat.load()`; a pipeline only
# applies the model, so it reads this form, and model.skops stays the model of record
# (tests/test_train.py checks that both give the same probabilities).

LINEAR_FILE = "linear.npz"
LINEAR_META = "linear.json"
_WHITE_SPACES = re.compile(r"\s\s+")


def _analyse(text: str, spec: dict) -> list[str]:
    """The terms scikit-learn's TfidfVectorizer makes of a text (word or char_wb n-grams)."""
    if spec["lowercase"]:
        text = text.lower()
    low, high = spec["ngram_range"]
    grams: list[str] = []
    if spec["analyzer"] == "word":
        tokens = spec["token_regex"].findall(text)
        if spec.get("stop_words"):
            tokens = [token for token in tokens if token not in spec["stop_set"]]
        if high == 1:
            return tokens
        grams = list(tokens) if low == 1 else []
        for n in range(max(2, low), min(high + 1, len(tokens) + 1)):
            grams.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
        return grams
    for word in _WHITE_SPACES.sub(" ", text).split():
        word = f" {word} "
        for n in range(low, high + 1):
            offset = 0
            grams.append(word[:n])
            while offset + n < len(word):
                offset += 1
                grams.append(word[offset:offset + n])
            if offset == 0:
                break
    return grams


@dataclass
class LinearItemModel:
    """A fitted TF-IDF + logistic regression item classifier, applied with numpy only."""

    labels: list[str]
    vectorizers: list[dict]      # per feature block: column, analyzer, ngram_range, ..., weight
    coef: np.ndarray             # (labels or 1, features)
    intercept: np.ndarray

    @classmethod
    def from_pipeline(cls, pipeline) -> "LinearItemModel":
        features, model = pipeline.named_steps["features"], pipeline.named_steps["model"]
        if type(model).__name__ != "LogisticRegression":
            raise TypeError("only a logistic regression has a numpy inference form")
        vectorizers = []
        for name, vectorizer, column in features.transformers_:
            if vectorizer == "drop":
                continue
            vocabulary = vectorizer.vocabulary_
            terms = sorted(vocabulary, key=vocabulary.get)
            vectorizers.append({
                "column": int(column), "analyzer": vectorizer.analyzer, "lowercase": vectorizer.lowercase,
                "ngram_range": list(vectorizer.ngram_range), "token_pattern": vectorizer.token_pattern,
                "stop_words": sorted(vectorizer.stop_words) if vectorizer.stop_words else [],
                "sublinear_tf": vectorizer.sublinear_tf, "norm": vectorizer.norm,
                "weight": float((features.transformer_weights or {}).get(name, 1.0)),
                "terms": terms, "idf": vectorizer.idf_.astype(np.float64),
            })
        return cls([str(c) for c in model.classes_], vectorizers, model.coef_.astype(np.float64),
                   model.intercept_.astype(np.float64))

    def _prepare(self) -> None:
        for spec in self.vectorizers:
            if "index" not in spec:
                spec["index"] = {term: i for i, term in enumerate(spec["terms"])}
                spec["token_regex"] = re.compile(spec["token_pattern"])
                spec["stop_set"] = frozenset(spec.get("stop_words") or ())

    def features(self, text_row) -> tuple[np.ndarray, np.ndarray]:
        """One item's non-zero features (columns, values), as the fitted ColumnTransformer
        makes them: tf (sublinear), times idf, l2-normed per block, times the block's weight."""
        self._prepare()
        columns, values, offset = [], [], 0
        for spec in self.vectorizers:
            counts: dict[int, int] = {}
            for term in _analyse(str(text_row[spec["column"]]), spec):
                index = spec["index"].get(term)
                if index is not None:
                    counts[index] = counts.get(index, 0) + 1
            if counts:
                block_columns = np.fromiter(counts.keys(), dtype=np.int64)
                tf = np.fromiter(counts.values(), dtype=np.float64)
                if spec["sublinear_tf"]:
                    tf = np.log(tf) + 1.0
                block = tf * spec["idf"][block_columns]
                if spec["norm"] == "l2":
                    norm = np.sqrt(np.dot(block, block))
                    block = block / norm if norm > 0 else block
                columns.append(block_columns + offset)
                values.append(block * spec["weight"])
            offset += len(spec["terms"])
        if not columns:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(columns), np.concatenate(values)

    def predict_proba(self, table: np.ndarray) -> np.ndarray:
        scores = np.empty((len(table), self.coef.shape[0]))
        for row, text_row in enumerate(table):
            columns, values = self.features(text_row)
            scores[row] = self.coef[:, columns] @ values + self.intercept
        if scores.shape[1] == 1:  # two labels: scikit-learn's binary logistic regression
            positive = 1.0 / (1.0 + np.exp(-scores[:, 0]))
            return np.column_stack([1.0 - positive, positive])
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, folder: Path) -> None:
        import json

        arrays = {"coef": self.coef, "intercept": self.intercept}
        meta = {"labels": self.labels, "vectorizers": []}
        for number, spec in enumerate(self.vectorizers):
            arrays[f"idf_{number}"] = spec["idf"]
            meta["vectorizers"].append({k: v for k, v in spec.items() if k not in ("idf", "index", "token_regex", "stop_set")})
        np.savez_compressed(folder / LINEAR_FILE, **arrays)
        (folder / LINEAR_META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> "LinearItemModel":
        import json

        meta = json.loads((folder / LINEAR_META).read_text(encoding="utf-8"))
        with np.load(folder / LINEAR_FILE, allow_pickle=False) as arrays:
            vectorizers = [{**spec, "idf": arrays[f"idf_{n}"]} for n, spec in enumerate(meta["vectorizers"])]
            return cls(meta["labels"], vectorizers, arrays["coef"], arrays["intercept"])
