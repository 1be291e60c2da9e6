"""Retraining: corpus -> NER (via `spacy train`) + item classifier -> one assembled pipeline.

`referat train --corpus corpus/ --output models/referat_da` is exactly how the shipped
pipeline is made. The corpus is validated, split by house style and municipality (the
test split is never used here), the NER is trained on the train split with configs/ner.cfg
and evaluated on dev, the classifier is fitted on the train split and scored on dev (then,
with `[training] final_fit = "train+dev"` in classifier.toml, fitted again on both), and the
pipeline is assembled and saved with metrics.json and a model card (README.md).
"""

from __future__ import annotations

import json
import os
import platform
import random
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from referat.classify.classifier import ItemClassifier, load_settings
from referat.errors import CorpusError
from referat.pipeline.assemble import CONFIGS, blank_nlp, build_pipeline
from referat.pipeline.tokenizer_cache import repeated_spans
from referat.structure import load_styles
from referat.training.examples import item_examples

# training texts are cut at blank lines into chunks of about this many characters
CHUNK_CHARS = 1500


def chunk_record(record: dict, size: int = CHUNK_CHARS) -> list[dict]:
    """Cut a meeting into pieces at blank lines, entities moved along; none is cut in two."""
    text = record["text"]
    cuts, start = [], 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            blank = text.find("\n\n", end)
            end = len(text) if blank < 0 else blank + 2
        cuts.append((start, end))
        start = end
    pieces = []
    for number, (start, end) in enumerate(cuts):
        entities = [
            {**e, "start": e["start"] - start, "end": e["end"] - start}
            for e in record["entities"] if start <= e["start"] and e["end"] <= end
        ]
        pieces.append({"id": f"{record['id']}#{number}", "text": text[start:end], "meta": record["meta"],
                       "items": [], "entities": entities})
    return pieces


def load_checked(corpus: str | Path) -> list[dict]:
    from referat.corpus import load_corpus, validate

    records = list(load_corpus(corpus))
    if not records:
        raise CorpusError(f"{corpus} holds no meetings")
    problems = validate(records)
    if problems:
        shown = "\n".join(str(p) for p in problems[:10])
        raise CorpusError(f"{corpus} has {len(problems)} annotation problems; fix them first "
                          f"(`referat corpus validate {corpus}` lists all):\n{shown}")
    return records


def train_ner(train: list[dict], dev: list[dict], configs: Path, work: Path, seed: int,
              log: Callable[[str], None]) -> Path:
    from spacy.cli.train import train as spacy_train

    from referat.corpus import to_docbin

    nlp = blank_nlp()
    for name, records in (("train", train), ("dev", dev)):
        pieces = [piece for record in records for piece in chunk_record(record)]
        to_docbin(pieces, nlp).to_disk(work / f"{name}.spacy")
        log(f"NER {name} data: {len(pieces)} chunks from {len(records)} meetings")
    output = work / "ner"
    spacy_train(configs / "ner.cfg", output, overrides={
        "paths.train": str(work / "train.spacy"), "paths.dev": str(work / "dev.spacy"),
        "system.seed": seed, "training.seed": seed,
    })
    return output / "model-best"


def model_card(output: Path, metrics: dict, info: dict) -> str:
    size = sum(p.stat().st_size for p in output.rglob("*") if p.is_file())
    ents = metrics["dev"]["entities"]
    labels = metrics["dev"]["labels"]

    def fmt(value):
        return "-" if value is None else f"{value:.3f}"

    rows = "\n".join(f"| {label} | {fmt(s['precision'])} | {fmt(s['recall'])} | {fmt(s['f1'])} |"
                     for label, s in ents.items())
    refit = ("; the shipped classifier was then fitted again on train and dev together"
             if info.get("classifier_fitted_on") == "train+dev" else "")
    return f"""# {info['name']} {info['version']}

The pipeline `referat.load()` uses by default: structure rules, entity rules, a statistical
NER and the item classifier, for Danish municipal committee minutes.

- Made by: `{info['command']}`
- Corpus: {info['corpus']} ({info['meetings']} meetings, {info['items']} items; sha of the JSONL: {info['corpus_sha']})
- Split: train {info['split']['train']} / dev {info['split']['dev']} / test {info['split']['test']} meetings
  (grouped by house style and municipality; the test split is not used in training)
- Seed: {info['seed']}; spaCy {info['spacy']}, scikit-learn {info['sklearn']}, Python {info['python']}
- Training time: {info['seconds']:.0f} s on this machine ({info['cpus']} CPUs)
- Size on disk: {size / 1e6:.1f} MB
- Pipeline: {', '.join(info['pipeline'])}
- Item labels: {', '.join(info['labels'])}

## Dev split

Item labels: accuracy {fmt(labels['accuracy'])}, macro-F1 {fmt(labels['macro_f1'])}, scored with the
classifier fitted on the train split{refit}.
Classifier calibration (dev): Brier {fmt(metrics['dev'].get('calibration', {}).get('brier'))},
ECE {fmt(metrics['dev'].get('calibration', {}).get('ece'))}.

| entity | P | R | F1 |
|---|---|---|---|
{rows}

AMOUNT value accuracy: {fmt(metrics['dev']['amount_value_accuracy'])}.
All figures are in metrics.json.
"""


def _sha(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(path.glob("*.jsonl"))
    for file in files:
        digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def train(corpus: str | Path, output: str | Path, *, configs: str | Path | None = None,
          seed: int | None = None, log: Callable[[str], None] = print, keep_work: bool = False) -> dict:
    """Train the NER and the classifier and assemble one pipeline in `output`. Returns metrics."""
    import numpy as np
    import sklearn
    import spacy

    from referat.corpus import split
    from referat.training.evaluate import calibration, evaluate_pipeline

    started = time.perf_counter()
    configs = Path(configs) if configs else CONFIGS
    if not (configs / "classifier.toml").is_file():
        raise CorpusError(f"{configs} is not a configs folder (no classifier.toml): give --config with the "
                          "configs/ folder of a referat source tree")
    output = Path(output)
    settings = load_settings(configs / "classifier.toml")
    seed = settings.get("training", {}).get("seed", 13) if seed is None else seed
    final_fit = settings.get("training", {}).get("final_fit", "train")
    if final_fit not in ("train", "train+dev"):
        raise CorpusError(f"[training] final_fit in {configs / 'classifier.toml'} is {final_fit!r}: "
                          "use \"train\" or \"train+dev\"")
    random.seed(seed)
    np.random.seed(seed)

    records = load_checked(corpus)
    splits = split(records, seed=seed)
    log(f"corpus: {len(records)} meetings -> train {len(splits['train'])}, dev {len(splits['dev'])}, "
        f"test {len(splits['test'])} (test not used)")

    work = Path(tempfile.mkdtemp(prefix="referat-train-"))
    try:
        log("training the NER (spacy train, configs/ner.cfg) ...")
        ner_path = train_ner(splits["train"], splits["dev"], configs, work, seed, log)
        ner = spacy.load(ner_path)

        log("fitting the item classifier ...")
        styles = load_styles(configs / "structure.toml")
        parts, labels, _ = item_examples(splits["train"], styles)
        classifier = ItemClassifier(settings).fit(parts, labels)

        from referat.entities.tidy import common_words_of

        words = common_words_of((r["text"], [(e["start"], e["end"], e["label"]) for e in r["entities"]])
                                for r in splits["train"])
        spans = repeated_spans((r["text"] for r in splits["train"]), blank_nlp().tokenizer)
        nlp = build_pipeline(configs, ner=ner, classifier=classifier, common_words=words, tokenizer_spans=spans)
        if output.exists():
            shutil.rmtree(output)
        nlp.to_disk(output)
    finally:
        if keep_work:
            log(f"training files kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    log("evaluating on the dev split ...")
    nlp = spacy.load(output)
    dev = evaluate_pipeline(nlp, splits["dev"])
    dev_parts, dev_labels, _ = item_examples(splits["dev"], styles)
    if dev_parts:
        probabilities = classifier.predict_proba(dev_parts)
        index = {label: i for i, label in enumerate(classifier.labels)}
        known = [i for i, label in enumerate(dev_labels) if label in index]
        dev["calibration"] = calibration(probabilities[known], np.array([index[dev_labels[i]] for i in known]))
    if final_fit == "train+dev" and dev_parts:
        # dev has been scored with the classifier fitted on train; the shipped classifier is
        # fitted again on train and dev together (the test split stays unseen)
        log("fitting the item classifier again on train + dev ...")
        classifier = ItemClassifier(settings).fit(parts + dev_parts, labels + dev_labels)
        nlp = build_pipeline(configs, ner=ner, classifier=classifier, common_words=words, tokenizer_spans=spans)
        shutil.rmtree(output)
        nlp.to_disk(output)
    seconds = time.perf_counter() - started
    metrics = {"dev": dev, "seconds": seconds}
    info = {
        "name": f"da_{nlp.meta['name']}", "version": nlp.meta["version"],
        "command": f"referat train --corpus {corpus} --output {output}" + (f" --config {configs}" if configs != CONFIGS else ""),
        "corpus": str(corpus), "corpus_sha": _sha(Path(corpus)) if Path(corpus).exists() else "hub",
        "meetings": len(records), "items": sum(len(r["items"]) for r in records),
        "split": {name: len(part) for name, part in splits.items()},
        "seed": seed, "spacy": spacy.__version__, "sklearn": sklearn.__version__,
        "python": platform.python_version(), "seconds": seconds, "cpus": os.cpu_count(),
        "pipeline": nlp.pipe_names, "labels": classifier.labels,
        "item_labels_train": dict(Counter(labels)), "classifier_fitted_on": final_fit,
        "split_ids": {name: [r["id"] for r in part] for name, part in splits.items()},
    }
    (output / "metrics.json").write_text(json.dumps({**metrics, "training": info}, ensure_ascii=False, indent=2),
                                         encoding="utf-8")
    (output / "README.md").write_text(model_card(output, metrics, info), encoding="utf-8")
    log(f"pipeline saved to {output} in {seconds:.0f} s")
    return metrics
