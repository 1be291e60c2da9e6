"""The measures: item segmentation, item labels, entities and amount values.

They follow ../shared/eval/score.py: a predicted item matches a gold item (one to one) when
its start is within 20 characters of the gold start or its normalised title is the same;
labels are scored over matched items; entities by exact span and label.

Decisions are scored over matched items of meetings annotated for decisions (gold items with a
``decisions`` list, see corpus/README.md): the i-th predicted decision of an item against its
i-th gold decision (a missing one is wrong), outcome, ``amended`` and body each; an item's
votes are right when every decision has, on each side, the same set of party letters as gold.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

import numpy as np

START_TOLERANCE = 20
_TITLE_PREFIX = re.compile(r"^\s*(?:punkt\s+\d+\s*[:.]?|pkt\.?\s*\d+|nr\.?\s*\d+\s*-?|\d+\.?)\s*(?:[A-ZÆØÅ]{1,3}\s+-\s+)?", re.I)


def normalise_title(title: str | None) -> str:
    return " ".join(_TITLE_PREFIX.sub("", title or "").casefold().split())


def match_items(gold: list[dict], predicted: list[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index)."""
    pairs, used = [], set()
    for g, gold_item in enumerate(gold):
        best = None
        for p, item in enumerate(predicted):
            if p in used:
                continue
            distance = abs(item["start"] - gold_item["start"])
            if distance <= START_TOLERANCE or normalise_title(item.get("title")) == normalise_title(gold_item.get("title")):
                if best is None or distance < best[0]:
                    best = (distance, p)
        if best is not None:
            used.add(best[1])
            pairs.append((g, best[1]))
    return pairs


def prf(true_positives: int, predicted: int, gold: int) -> dict:
    precision = true_positives / predicted if predicted else None
    recall = true_positives / gold if gold else None
    if precision is None or recall is None:
        f1 = None
    else:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "gold": gold, "predicted": predicted}


def label_scores(gold: list[str], predicted: list[str], labels: Iterable[str] | None = None) -> dict:
    """Accuracy, per-label P/R/F1, macro-F1 and the confusion matrix (rows gold, columns predicted)."""
    labels = sorted(set(labels or []) | set(gold) | set(predicted))
    confusion = {g: {p: 0 for p in labels} for g in labels}
    for g, p in zip(gold, predicted):
        confusion[g][p] += 1
    per_label = {}
    for label in labels:
        tp = confusion[label][label]
        per_label[label] = prf(tp, sum(confusion[g][label] for g in labels), sum(confusion[label].values()))
    f1s = [scores["f1"] or 0.0 for label, scores in per_label.items() if scores["gold"]]
    return {
        "n": len(gold),
        "accuracy": sum(g == p for g, p in zip(gold, predicted)) / len(gold) if gold else None,
        "macro_f1": float(np.mean(f1s)) if f1s else None,
        "per_label": per_label,
        "confusion": confusion,
    }


def calibration(probabilities: np.ndarray, gold_index: np.ndarray, bins: int = 10) -> dict:
    """Multi-class Brier score and expected calibration error of the top label."""
    if len(gold_index) == 0:
        return {"brier": None, "ece": None}
    onehot = np.zeros_like(probabilities)
    onehot[np.arange(len(gold_index)), gold_index] = 1
    brier = float(np.mean(np.sum((probabilities - onehot) ** 2, axis=1)))
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == gold_index
    ece = 0.0
    edges = np.linspace(0, 1, bins + 1)
    for low, high in zip(edges[:-1], edges[1:]):
        inside = (confidence > low) & (confidence <= high)
        if inside.any():
            ece += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return {"brier": brier, "ece": float(ece)}


def _vote_parties(decision: dict, side: str) -> set[str]:
    """The party letters of one side: a gold list of letters, or predicted vote entries."""
    entries = decision.get(side) if side in decision else (decision.get("votes") or {}).get(side)
    return {entry if isinstance(entry, str) else entry.get("party") for entry in entries or ()} - {None}


def decision_scores(pairs: Iterable[tuple[dict, dict]]) -> dict | None:
    """Decision figures over (gold item, predicted item) pairs; None when no gold item is
    annotated for decisions."""
    from referat.corpus.schema import DECISIONS_FIELD, VOTE_SIDES

    counts = Counter()
    for gold_item, predicted_item in pairs:
        gold = gold_item.get(DECISIONS_FIELD)
        if gold is None:
            continue
        predicted = predicted_item.get(DECISIONS_FIELD) or []
        counts["items"] += 1
        counts["count_right"] += len(gold) == len(predicted)
        counts["invented"] += not gold and bool(predicted)
        for index, decision in enumerate(gold):
            found = predicted[index] if index < len(predicted) else {}
            counts["decisions"] += 1
            counts["outcome_right"] += index < len(predicted) and found.get("outcome") == decision["outcome"]
            counts["amended_right"] += index < len(predicted) and bool(found.get("amended")) == decision["amended"]
            counts["body_right"] += index < len(predicted) and found.get("body") == decision["body"]
        if any(decision[side] for decision in gold for side in VOTE_SIDES):
            counts["voted_items"] += 1
            counts["votes_right"] += len(gold) == len(predicted) and all(
                _vote_parties(g, side) == _vote_parties(p, side)
                for g, p in zip(gold, predicted) for side in VOTE_SIDES)
    if not counts["items"]:
        return None

    def share(right: str, total: str):
        return counts[right] / counts[total] if counts[total] else None

    return {
        "items": counts["items"], "decisions": counts["decisions"], "voted_items": counts["voted_items"],
        "outcome_accuracy": share("outcome_right", "decisions"),
        "amended_accuracy": share("amended_right", "decisions"),
        "body_accuracy": share("body_right", "decisions"),
        "count_accuracy": share("count_right", "items"),
        "invented": counts["invented"],
        "votes_exact": share("votes_right", "voted_items"),
    }


def score_records(gold_records: list[dict], predictions: list[dict]) -> dict:
    """Compare predictions (Analysis.to_dict() records, in the same order) with gold records."""
    item_tp = item_pred = item_gold = 0
    gold_labels, predicted_labels = [], []
    entity_counts: dict[str, Counter] = defaultdict(Counter)
    amount_right = amount_total = 0
    item_pairs: list[tuple[dict, dict]] = []
    for gold, predicted in zip(gold_records, predictions):
        pairs = match_items(gold["items"], predicted["items"])
        item_pairs.extend((gold["items"][g], predicted["items"][p]) for g, p in pairs)
        item_tp += len(pairs)
        item_pred += len(predicted["items"])
        item_gold += len(gold["items"])
        for g, p in pairs:
            label = predicted["items"][p].get("label")
            if label is not None:
                gold_labels.append(gold["items"][g]["label"])
                predicted_labels.append(label)
        gold_spans = {(e["label"], e["start"], e["end"]): e for e in gold["entities"]}
        predicted_spans = {(e["label"], e["start"], e["end"]): e for e in predicted["entities"]}
        for key in gold_spans:
            entity_counts[key[0]]["gold"] += 1
        for key, entity in predicted_spans.items():
            entity_counts[key[0]]["predicted"] += 1
            if key in gold_spans:
                entity_counts[key[0]]["tp"] += 1
                if key[0] == "AMOUNT":
                    amount_total += 1
                    amount_right += gold_spans[key].get("value") == entity.get("value")
    entities = {label: prf(c["tp"], c["predicted"], c["gold"]) for label, c in sorted(entity_counts.items())}
    total = Counter()
    for c in entity_counts.values():
        total.update(c)
    entities["ALL"] = prf(total["tp"], total["predicted"], total["gold"])
    return {
        "items": prf(item_tp, item_pred, item_gold),
        "labels": label_scores(gold_labels, predicted_labels),
        "entities": entities,
        "amount_value_accuracy": amount_right / amount_total if amount_total else None,
        "decisions": decision_scores(item_pairs),
    }


def evaluate_pipeline(nlp, records: list[dict], *, batch_size: int = 8) -> dict:
    """Run a pipeline over annotated records and score it."""
    from referat.analysis import Analysis

    predictions = [Analysis.from_doc(doc).to_dict()
                   for doc in nlp.pipe((r["text"] for r in records), batch_size=batch_size)]
    return score_records(records, predictions)


def format_report(scores: dict) -> str:
    """A plain-text report of score_records' figures."""
    def cell(value):
        return "    -" if value is None else f"{value:.3f}"

    lines = []
    items = scores["items"]
    lines.append(f"items      P {cell(items['precision'])}  R {cell(items['recall'])}  F1 {cell(items['f1'])}"
                 f"  (gold {items['gold']}, predicted {items['predicted']})")
    labels = scores["labels"]
    lines.append(f"labels     accuracy {cell(labels['accuracy'])}  macro-F1 {cell(labels['macro_f1'])}  (n {labels['n']})")
    for label, s in labels["per_label"].items():
        lines.append(f"  {label:18} P {cell(s['precision'])}  R {cell(s['recall'])}  F1 {cell(s['f1'])}  (gold {s['gold']})")
    names = list(labels["confusion"])
    if names:
        lines.append("confusion (rows gold, columns predicted): " + " ".join(n[:6] for n in names))
        for gold_label in names:
            lines.append(f"  {gold_label[:16]:16} " + " ".join(f"{labels['confusion'][gold_label][p]:6d}" for p in names))
    lines.append("entities (exact)")
    for label, s in scores["entities"].items():
        lines.append(f"  {label:10} P {cell(s['precision'])}  R {cell(s['recall'])}  F1 {cell(s['f1'])}"
                     f"  (gold {s['gold']}, predicted {s['predicted']})")
    lines.append(f"AMOUNT value accuracy {cell(scores['amount_value_accuracy'])}")
    decisions = scores.get("decisions")
    if decisions:
        lines.append(f"decisions  outcome {cell(decisions['outcome_accuracy'])}  amended {cell(decisions['amended_accuracy'])}"
                     f"  body {cell(decisions['body_accuracy'])}  count per item {cell(decisions['count_accuracy'])}"
                     f"  (gold {decisions['decisions']} in {decisions['items']} items; {decisions['invented']} invented)")
        lines.append(f"votes      sides per party exact {cell(decisions['votes_exact'])}  (items with votes {decisions['voted_items']})")
    if "calibration" in scores:
        lines.append(f"calibration  Brier {cell(scores['calibration']['brier'])}  ECE {cell(scores['calibration']['ece'])}")
    return "\n".join(lines)


def cross_validate_classifier(records: list[dict], settings: dict, group: str = "style", styles=None) -> dict:
    """Leave-one-group-out cross-validation of the item classifier (group: a meta field such
    as "style" or "municipality"): every group is predicted by a model that never saw it.
    `styles` finds the sections of each item (default: the shipped pipeline's)."""
    from referat.classify.classifier import ItemClassifier
    from referat.structure import load_styles
    from referat.training.examples import item_examples

    parts, labels, _ = item_examples(records, styles or load_styles())
    groups = [record["meta"].get(group, "unknown") for record in records for _ in record["items"]]
    labels_all = sorted(set(labels))
    predicted = [None] * len(labels)
    probabilities = np.zeros((len(labels), len(labels_all)))
    for held_out in sorted(set(groups)):
        train_index = [i for i, g in enumerate(groups) if g != held_out]
        test_index = [i for i, g in enumerate(groups) if g == held_out]
        model = ItemClassifier(settings).fit([parts[i] for i in train_index], [labels[i] for i in train_index])
        proba = model.predict_proba([parts[i] for i in test_index])
        for row, i in zip(proba, test_index):
            full = np.zeros(len(labels_all))
            for label, p in zip(model.labels, row):
                full[labels_all.index(label)] = p
            probabilities[i] = full
            predicted[i] = labels_all[int(full.argmax())]
    scores = label_scores(labels, predicted, labels_all)
    scores["calibration"] = calibration(probabilities, np.array([labels_all.index(label) for label in labels]))
    scores["groups"] = len(set(groups))
    scores["group_by"] = group
    return scores
