"""`referat train` and `referat evaluate`: retraining and measuring a pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from referat.cli.common import ModelOption, console, errors, fail as _fail
from referat.errors import ReferatError

app = typer.Typer()


@app.command()
def train(
    corpus: Annotated[str, typer.Option("--corpus", help="Annotated corpus: a .jsonl file, a folder of them, or a dataset name.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the assembled pipeline.")],
    config: Annotated[Optional[Path], typer.Option("--config", help="Folder with ner.cfg, classifier.toml, structure.toml, patterns/.")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", help="Random seed (default: configs/classifier.toml).")] = None,
) -> None:
    """Retrain the NER and the item classifier on a corpus and assemble one pipeline."""
    from referat.training.train import train as run

    try:
        metrics = run(corpus, output, configs=config, seed=seed, log=lambda message: errors.print(message))
    except ReferatError as error:
        _fail(str(error))
    from referat.training.evaluate import format_report

    console.print(format_report(metrics["dev"]))


@app.command()
def evaluate(
    corpus: Annotated[str, typer.Option("--corpus", help="Annotated corpus: a .jsonl file, a folder of them, or a dataset name.")],
    model: ModelOption = None,
    split: Annotated[str, typer.Option("--split", help="all, train, dev or test (the corpus split).")] = "all",
    json_output: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    cross_validate: Annotated[Optional[str], typer.Option("--cross-validate", help="Leave-one-group-out CV of the classifier by this meta field (style, municipality) instead.")] = None,
    config: Annotated[Optional[Path], typer.Option("--config", help="Folder with classifier.toml (for --cross-validate).")] = None,
) -> None:
    """Per-label precision, recall and F1, the confusion matrix, item segmentation and entity scores."""
    import json

    from referat.api import load
    from referat.corpus import load_corpus, split as split_corpus
    from referat.training.evaluate import cross_validate_classifier, evaluate_pipeline, format_report

    try:
        records = list(load_corpus(corpus))
        if split != "all":
            if split not in ("train", "dev", "test"):
                _fail(f"unknown split {split!r}: use all, train, dev or test")
            records = split_corpus(records)[split]
        if cross_validate:
            from referat.classify.classifier import load_settings
            from referat.resources import CONFIGS
            from referat.structure import load_styles

            folder = config or CONFIGS
            settings = load_settings(folder / "classifier.toml")
            scores = cross_validate_classifier(records, settings, group=cross_validate,
                                               styles=load_styles(folder / "structure.toml"))
            scores = {"items": {"precision": None, "recall": None, "f1": None, "gold": 0, "predicted": 0},
                      "labels": scores, "entities": {}, "amount_value_accuracy": None,
                      "calibration": scores["calibration"]}
        else:
            scores = evaluate_pipeline(load(model), records)
    except ReferatError as error:
        _fail(str(error))
    if json_output:
        typer.echo(json.dumps(scores, ensure_ascii=False, indent=2))
    else:
        console.print(format_report(scores), highlight=False)
