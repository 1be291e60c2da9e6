"""The `referat` command line: parses arguments and calls the modules, nothing more."""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from referat.errors import ReferatError

app = typer.Typer(help="Structured data from Danish municipal committee minutes.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
console = Console()
errors = Console(stderr=True)

try:  # the corpus commands live in their own module
    from referat.cli.corpus import app as corpus_app
except ImportError:  # pragma: no cover - only while that module is absent
    corpus_app = None
if corpus_app is not None:
    app.add_typer(corpus_app, name="corpus", help="Validate, inspect, build and import annotated corpora.")

def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        import referat

        try:
            installed = version("referat")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            installed = referat.__version__
        typer.echo(f"referat {installed}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                    help="Print the version and exit.")] = False,
) -> None:
    """Structured data from Danish municipal committee minutes."""


ModelOption = Annotated[Optional[Path], typer.Option("--model", "-m", help="Pipeline folder (default: the one in models/).")]


def _fail(message: str, code: int = 1) -> None:
    errors.print(f"[red]error:[/red] {message}")
    raise typer.Exit(code)


def _print_summary(analysis, name: str) -> None:
    meeting = analysis.meeting
    console.print(f"[bold]{name}[/bold]")
    for label, value in (("Kommune", meeting.municipality), ("Udvalg", meeting.committee),
                         ("Dato", " ".join(filter(None, [meeting.date, meeting.time]))),
                         ("Sted", meeting.place), ("Type", meeting.kind)):
        console.print(f"  {label:8} {value or '-'}")
    if meeting.members:
        console.print("  Medlemmer " + ", ".join(
            f"{m.name} ({m.party})" if m.party else m.name for m in meeting.members))
    if meeting.absent:
        console.print("  Fraværende " + ", ".join(m.name for m in meeting.absent))
    table = Table(show_lines=False)
    for column in ("nr.", "titel", "sagsnr.", "label", "sandsynlighed", "entiteter"):
        table.add_column(column)
    per_item = Counter(entity.item for entity in analysis.entities)
    for position, item in enumerate(analysis.items, start=1):
        score = item.scores.get(item.label) if item.label else None
        table.add_row(item.number or "-", item.title[:70], item.case_number or "",
                      item.label or "-", f"{score:.2f}" if score is not None else "",
                      str(per_item.get(position, 0)))
    console.print(table)
    for warning in analysis.warnings:
        errors.print(f"[yellow]warning:[/yellow] {warning}")


@app.command()
def analyse(
    file: Annotated[str, typer.Argument(help="A minutes text file, or - for standard input.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print the analysis as JSON.")] = False,
    model: ModelOption = None,
) -> None:
    """Analyse one meeting's minutes and print a summary (or --json)."""
    from referat.api import analyse as run
    from referat.textfile import decode, read_text

    try:
        if file == "-":
            text, _ = decode(sys.stdin.buffer.read(), "standard input")
        else:
            text, _ = read_text(file)
        result = run(text, model=model)
    except FileNotFoundError:
        _fail(f"no such file: {file}")
    except ReferatError as error:
        _fail(str(error))
    if json_output:
        data = {"file": None if file == "-" else file, **result.to_dict()}
        typer.echo(__import__("json").dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_summary(result, "standard input" if file == "-" else file)


@app.command()
def batch(
    paths: Annotated[list[str], typer.Argument(help="Files, folders and glob patterns.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output file: .jsonl or .csv.")],
    model: ModelOption = None,
    n_process: Annotated[int, typer.Option("--n-process", "-n", min=1, help="Worker processes.")] = 1,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Texts per batch.")] = 8,
    progress: Annotated[Optional[bool], typer.Option("--progress/--no-progress", help="Progress bar (default: on a terminal).")] = None,
) -> None:
    """Analyse many files: one record per file in OUT; bad files get an "error" record."""
    from referat.batch import RecordWriter, expand_inputs, run_batch

    files = expand_inputs(paths)
    if not files:
        _fail("no input files found")
    try:
        writer = RecordWriter(out)
    except OSError as error:
        _fail(f"cannot write {out}: {error.strerror or error}", code=2)
    show = errors.is_terminal if progress is None else progress
    started = time.perf_counter()
    try:
        with writer, Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                              TimeRemainingColumn(), console=errors, disable=not show) as bar:
            task = bar.add_task("analysing", total=len(files))
            summary = run_batch(files, writer, model=model, n_process=n_process, batch_size=batch_size,
                                advance=lambda record: bar.advance(task))
    except OSError as error:
        _fail(f"cannot write {out}: {error.strerror or error}", code=2)
    except ReferatError as error:
        _fail(str(error), code=2)
    seconds = time.perf_counter() - started
    for name, message in summary.errors:
        errors.print(f"[red]failed[/red] {name}: {message}")
    errors.print(f"{summary.files} files: {summary.analysed} analysed ({summary.warnings} with warnings), "
                 f"{summary.failed} failed; {summary.words} words in {seconds:.1f} s -> {out}")
    if summary.all_failed:
        raise typer.Exit(1)


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


if __name__ == "__main__":  # pragma: no cover
    app()
