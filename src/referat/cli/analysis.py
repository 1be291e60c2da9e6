"""`referat analyse` (one file) and `referat batch` (many): reading, analysing, writing records."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from referat.batch import DEFAULT_MAX_SIZE_MB
from referat.cli.common import ModelOption, console, errors, fail
from referat.errors import ReferatError

app = typer.Typer()

MaxSizeOption = Annotated[float, typer.Option("--max-size", min=0.001, help="Largest input in MB; a larger file is an error record.")]


@app.command()
def analyse(
    file: Annotated[str, typer.Argument(help="A minutes file (PDF, HTML, Word, FirstAgenda JSON, text), or - for standard input.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print the analysis as JSON.")] = False,
    with_text: Annotated[bool, typer.Option("--with-text", help="With --json: include the analysed text (offsets index into it).")] = False,
    model: ModelOption = None,
    max_size: MaxSizeOption = DEFAULT_MAX_SIZE_MB,
) -> None:
    """Analyse one meeting's minutes and print a summary (or --json)."""
    from referat.api import analyse_document, load
    from referat.engines.per_file import check_size
    from referat.io import read, read_path

    try:
        if file == "-":
            document = read(sys.stdin.buffer.read(), "<stdin>")
        else:
            check_size(Path(file), max_size)
            document = read_path(file)
        analyses = analyse_document(load(model), document)
    except ReferatError as error:
        fail(str(error))
    result = analyses[0]
    if len(analyses) > 1:
        result.warnings.append(f"the file holds {len(analyses)} meetings; this is the first "
                               "(`referat batch` writes one record for each)")
    name = "standard input" if file == "-" else file
    if json_output:
        data = {"file": None if file == "-" else file, **result.to_dict()}
        if with_text:
            data["text"] = document.text
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _print_summary(result, name)


def _print_summary(analysis, name: str) -> None:
    try:
        from referat.report.summary import print_summary
    except ImportError:  # pragma: no cover
        print_summary = None
    record = {"file": name, **analysis.to_dict()}
    if print_summary is not None:
        print_summary(record, console)
    else:  # pragma: no cover
        console.print_json(json.dumps(record, ensure_ascii=False))
    for warning in analysis.warnings:
        errors.print(f"[yellow]warning:[/yellow] {warning}")


@app.command()
def batch(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, glob patterns, or - to read file paths from standard input.")],
    out: Annotated[str, typer.Option("--out", "-o", help="Output: .jsonl, .csv (one row per item), .parquet, or - for JSON Lines on stdout.")],
    entities: Annotated[Optional[str], typer.Option("--entities", help="Also write one row per entity (.csv, .parquet or .jsonl).")] = None,
    model: ModelOption = None,
    n_process: Annotated[int, typer.Option("--n-process", "-n", min=1, help="Worker processes (Dask: workers).")] = 1,
    engine: Annotated[str, typer.Option("--engine", help="local (processes on this machine) or dask.")] = "local",
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="Dask scheduler address (default: a LocalCluster).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Skip inputs already in OUT (by path and content) and append.")] = False,
    with_text: Annotated[bool, typer.Option("--with-text", help="Put the analysed text in each record.")] = False,
    max_size: MaxSizeOption = DEFAULT_MAX_SIZE_MB,
    progress: Annotated[Optional[bool], typer.Option("--progress/--no-progress", help="Progress bar (default: on a terminal).")] = None,
) -> None:
    """Analyse many files: one record per meeting in OUT; a file that cannot be read gets an error record."""
    from referat.batch import expand_inputs, no_inputs_message, run_batch
    from referat.outputs import RecordWriter, recorded

    if engine not in ("local", "dask"):
        fail(f"unknown engine {engine!r}: use local or dask", code=2)
    files = expand_inputs(paths)
    if not files:
        fail(no_inputs_message(paths))
    try:
        done = None
        if resume:
            seen = recorded(out)
            done = lambda name, digest: (name, digest) in seen  # noqa: E731
        writer = RecordWriter(out, resume=resume, entities_path=entities)
    except ReferatError as error:
        fail(str(error), code=2)
    except OSError as error:
        fail(f"cannot write {out}: {error.strerror or error}", code=2)
    show = errors.is_terminal if progress is None else progress
    started = time.perf_counter()
    summary = None
    try:
        with writer, Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                              TimeRemainingColumn(), console=errors, disable=not show) as bar:
            task = bar.add_task("analysing", total=len(files))
            summary = run_batch(files, writer, model=model, n_process=n_process, engine=engine, scheduler=scheduler,
                                max_size_mb=max_size, with_text=with_text, done=done,
                                advance=lambda records: bar.advance(task))
    except KeyboardInterrupt:
        where = "standard output" if out == "-" else out
        errors.print(f"\n[yellow]interrupted[/yellow] after {writer.count} records, kept in {where}; run the same "
                     "command with --resume to finish")
        raise typer.Exit(130)
    except OSError as error:
        fail(f"cannot write {out}: {error.strerror or error}", code=2)
    except ReferatError as error:
        fail(str(error), code=2)
    seconds = time.perf_counter() - started
    for name, message in summary.errors:
        errors.print(f"[red]failed[/red] {name}: {message}")
    skipped = f", {summary.skipped} already done" if summary.skipped else ""
    errors.print(f"{summary.files} files: {summary.analysed} analysed ({summary.meetings} meetings, "
                 f"{summary.warnings} with warnings), {summary.failed} failed{skipped}; {summary.words} words "
                 f"in {seconds:.1f} s -> {out}")
    if summary.all_failed:
        raise typer.Exit(1)
