"""The item classifier: features drawn from an item's parts and a scikit-learn Pipeline.

An item is read the way a case worker reads it: its title, its Indstilling, its Beslutning
(the decision wins), its Økonomi, and the rest of its text. Each part gets its own TF-IDF
features (words, and character n-grams where configs/classifier.toml says so) with its own
weight, in one `Pipeline` with a linear model, so what is fitted is exactly what is applied.
The labels are whatever the training data holds. Saved with skops, never pickle, and loaded
only when every type in the file is one this module trusts.
"""

from __future__ import annotations

import tomllib
import zipfile
from dataclasses import dataclass, field
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


def load_settings(path: str | Path | None = None) -> dict:
    """The classifier settings (configs/classifier.toml, or the copy the package ships)."""
    if path is None:
        from importlib import resources
        return tomllib.loads(resources.files("referat").joinpath("data/classifier.toml").read_text("utf-8"))
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def item_parts(text: str, start: int, end: int, title: str, styles=None, body_chars: int = 4000) -> dict[str, str]:
    """An item's parts by section: title, indstilling, beslutning, økonomi, and the rest."""
    styles = styles or load_styles()
    parts = {part: [] for part in PARTS}
    parts["title"].append(title)
    chunk = text[start:end]
    current = "body"
    for line in split_lines(chunk):
        heading = find_section_heading(line, styles)
        if heading is not None:
            current = heading.name if heading.name in parts else "body"
            rest = chunk[heading.body_start:line.end].strip()
            if rest:
                parts[current].append(rest)
            continue
        if line.text.strip():
            parts[current].append(line.text.strip())
    joined = {part: "\n".join(lines) for part, lines in parts.items()}
    joined["body"] = joined["body"][:body_chars]
    return joined


def rows(parts: list[dict[str, str]]) -> np.ndarray:
    """The feature matrix's input: one row per item, one column per part (object array)."""
    return np.array([[item.get(part, "") for part in PARTS] for item in parts], dtype=object).reshape(-1, len(PARTS))


def build_pipeline(settings: dict, parts: tuple[str, ...] = PARTS):
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
        column = PARTS.index(part)
        if spec.get("words", True):
            name = f"{part}_words"
            transformers.append((name, TfidfVectorizer(
                ngram_range=tuple(spec.get("word_ngrams", (1, 2))), sublinear_tf=True, min_df=1,
                max_features=spec.get("max_features"), lowercase=True), column))
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
    """A fitted item classifier: the scikit-learn Pipeline and the settings it was made with."""

    settings: dict
    pipeline: object = None
    labels: list[str] = field(default_factory=list)

    def fit(self, parts: list[dict[str, str]], labels: list[str]) -> "ItemClassifier":
        # a part no training item has (agendas without decisions, say) gets no features
        present = tuple(part for part in PARTS if any(any(ch.isalnum() for ch in item.get(part, "")) for item in parts))
        self.pipeline = build_pipeline(self.settings, present)
        self.pipeline.fit(rows(parts), np.array(labels))
        self.labels = [str(label) for label in self.pipeline.classes_]
        return self

    def predict_proba(self, parts: list[dict[str, str]]) -> np.ndarray:
        if not parts:
            return np.zeros((0, len(self.labels)))
        return self.pipeline.predict_proba(rows(parts))

    def predict(self, parts: list[dict[str, str]]) -> list[str]:
        return [self.labels[i] for i in self.predict_proba(parts).argmax(axis=1)]

    def save(self, folder: str | Path) -> Path:
        import json

        from skops.io import dump

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        dump(self.pipeline, folder / MODEL_FILE, compression=zipfile.ZIP_DEFLATED)
        (folder / "settings.json").write_text(json.dumps(self.settings, ensure_ascii=False, indent=2), encoding="utf-8")
        return folder / MODEL_FILE

    @classmethod
    def load(cls, folder: str | Path) -> "ItemClassifier":
        import json

        from skops.io import get_untrusted_types, load

        folder = Path(folder)
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
