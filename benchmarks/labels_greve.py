"""The item classifier on the real dev set of labels (../shared/real/greve-labels.jsonl, read
through the FirstAgenda reader) and leave-one-style-out on the corpus, for a classifier.toml:

    python benchmarks/labels_greve.py [--config configs/classifier.toml] [--shared ../shared]

Trains the classifier on the whole corpus (never on the Greve labels), then reports accuracy,
macro-F1, per-label recall, ECE and the confusion matrix on the high/medium-confidence Greve
labels, and the same figures for leave-one-style-out on the corpus. Copies no Greve text.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np

from referat.classify.classifier import ItemClassifier, item_parts, load_settings
from referat.corpus import load_corpus
from referat.io import read_path
from referat.resources import CONFIGS
from referat.structure import load_styles
from referat.training.evaluate import calibration, cross_validate_classifier, label_scores
from referat.training.examples import item_examples


def greve_examples(shared: Path):
    labels = [json.loads(line) for line in (shared / "real" / "greve-labels.jsonl").open(encoding="utf-8")]
    by_file: dict[str, list[dict]] = {}
    for row in labels:
        by_file.setdefault(row["file"], []).append(row)
    parts, gold = [], []
    for name, rows in sorted(by_file.items()):
        document = read_path(shared / "real" / "greve" / name)
        data = json.loads((shared / "real" / "greve" / name).read_text(encoding="utf-8"))
        ids = [item["Id"] for item in sorted(data["Dagsordenpunkter"], key=lambda i: i.get("Sorting") or 0)]
        wanted = {row["item_id"]: row for row in rows if row["confidence"] != "low"}
        for item_id, item in zip(ids, document.items):
            if item_id in wanted:
                parts.append(item_parts(document.text, item["start"], item["end"], item["title"], sections=item["sections"]))
                gold.append(wanted[item_id]["label"])
    return parts, gold


def report(name: str, scores: dict) -> None:
    print(f"{name}: accuracy {scores['accuracy']:.3f}  macro-F1 {scores['macro_f1']:.3f}  "
          f"ECE {scores['calibration']['ece']:.3f}")
    for label, values in scores["per_label"].items():
        print(f"   {label:18} recall {values['recall']:.3f}  F1 {values['f1']:.3f}  (n {values['gold']})")
    if "confusion" in scores:
        print("   confusion (gold -> predicted):", scores["confusion"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default=str(CONFIGS / "classifier.toml"))
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--no-cv", action="store_true", help="skip leave-one-style-out")
    parser.add_argument("--train-on", default="all", choices=["all", "train", "train+dev"],
                        help="the corpus meetings the classifier is fitted on (the corpus split's parts)")
    args = parser.parse_args()
    settings = load_settings(args.config)
    styles = load_styles(CONFIGS / "structure.toml")
    records = load_corpus("corpus/")
    fitted = records
    if args.train_on != "all":
        from referat.corpus import split

        parts_of = split(records)
        fitted = parts_of["train"] + (parts_of["dev"] if args.train_on == "train+dev" else [])
    parts, labels, _ = item_examples(fitted, styles)
    model = ItemClassifier(settings).fit(parts, labels)
    real_parts, gold = greve_examples(Path(args.shared))
    probabilities = model.predict_proba(real_parts)
    predicted = [model.labels[i] for i in probabilities.argmax(axis=1)]
    scores = label_scores(gold, predicted, model.labels)
    index = {label: i for i, label in enumerate(model.labels)}
    scores["calibration"] = calibration(probabilities, np.array([index[label] for label in gold]))
    scores["confusion"] = dict(Counter(f"{g}->{p}" for g, p in zip(gold, predicted) if g != p).most_common(6))
    report(f"Greve dev set ({len(gold)} items, high/medium confidence)", scores)
    if not args.no_cv:
        report("corpus, leave-one-style-out", cross_validate_classifier(records, settings, "style", styles))


if __name__ == "__main__":
    main()
