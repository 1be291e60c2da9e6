"""`referat corpus ...`: validate, inspect, build, import and split annotated corpora.

A typer sub-app; the main CLI mounts it as ``referat corpus``. It parses arguments and
calls `referat.corpus`, nothing more. Exit codes: 0 fine, 1 problems found (validate) or
a build/import that failed, 2 an input that cannot be read.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from referat.errors import CorpusError

app = typer.Typer(help="Validate, inspect, build and import annotated corpora.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)

PathArgument = Annotated[str, typer.Argument(help="A .jsonl file, a folder of them, or a dataset name.")]


class Format(str, Enum):
    auto = "auto"
    doccano = "doccano"
    labelstudio = "labelstudio"
    labelstudio_min = "labelstudio-min"


def _fail(message: str, code: int = 2) -> None:
    errors.print(f"[red]error:[/red] {escape(message)}")
    raise typer.Exit(code)


def _load(path: str) -> list[dict]:
    from referat.corpus import load_corpus

    try:
        return load_corpus(path)
    except CorpusError as error:
        _fail(str(error))


@app.command()
def validate(
    path: PathArgument,
    label: Annotated[Optional[list[str]], typer.Option(
        "--label", help="An accepted item label (repeat; default: any non-empty label).")] = None,
) -> None:
    """Check a corpus against the schema and the annotation rules; exit 1 on any problem."""
    from collections import Counter

    from referat.corpus import validate as check

    records = _load(path)
    problems = check(records, labels=label or None)
    for problem in problems:
        where = f"{problem.start}:{problem.end}" if problem.start is not None else "-"
        console.print(f"[bold]{escape(problem.meeting_id)}[/bold] {where} "
                      f"[yellow]{problem.rule}[/yellow] {escape(problem.message)}", soft_wrap=True)
    if problems:
        by_rule = ", ".join(f"{rule} {count}" for rule, count in sorted(Counter(p.rule for p in problems).items()))
        console.print(f"[red]{len(problems)} problem(s)[/red] in {len(records)} meetings ({by_rule})",
                      soft_wrap=True)
        raise typer.Exit(1)
    console.print(f"[green]ok[/green]: {len(records)} meetings, no problems", soft_wrap=True)


def _counts_table(title: str, counts: dict) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("name")
    table.add_column("count", justify="right")
    for name, count in counts.items():
        table.add_row(escape(str(name)), str(count))
    return table


@app.command()
def stats(
    path: PathArgument,
    json_output: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Meetings, items and entities per label, house styles, municipalities, committees, years."""
    from referat.corpus import stats as count

    figures = count(_load(path))
    if json_output:
        typer.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    years = [year for year in figures["years"] if year != "unknown"]
    span = f"{years[0]}–{years[-1]}" if years else "-"
    overview = Table(title="Corpus", title_justify="left", show_header=False)
    overview.add_column("what")
    overview.add_column("value", justify="right")
    for name, value in (("meetings", figures["meetings"]), ("items", figures["items"]),
                        ("entities", figures["entities"]), ("house styles", len(figures["styles"])),
                        ("municipalities", len(figures["municipalities"])),
                        ("committees", len(figures["committees"])), ("years", span)):
        overview.add_row(name, str(value))
    console.print(overview)
    for title, key in (("Items per label", "items_per_label"), ("Entities per label", "entities_per_label"),
                       ("House styles (meetings)", "styles"), ("Municipalities (meetings)", "municipalities"),
                       ("Committees (meetings)", "committees"), ("Years (meetings)", "years")):
        console.print(_counts_table(title, figures[key]))


@app.command()
def build(
    source_dir: Annotated[Path, typer.Argument(help="Folder of corpus source files (*.txt).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The JSONL file to write.")],
) -> None:
    """Compile corpus source files (SOURCE_DIR/*.txt) into one JSONL file."""
    from referat.corpus import compile_sources

    try:
        records = compile_sources(source_dir)
    except CorpusError as error:
        for line in getattr(error, "errors", None) or [str(error)]:
            errors.print(f"[red]error:[/red] {escape(line)}", soft_wrap=True)
        raise typer.Exit(1)
    _write_checked(records, out, f"wrote {len(records)} meetings to {escape(str(out))}")


def _write_checked(records: list[dict], out: Path, done: str) -> None:
    """Write the records, say so, and warn (without failing) if they have annotation problems."""
    from referat.corpus import validate, write_jsonl

    try:
        write_jsonl(records, out)
    except OSError as error:
        _fail(f"cannot write {out}: {error.strerror or error}")
    console.print(done, soft_wrap=True)
    problems = validate(records)
    if problems:
        errors.print(f"[yellow]warning:[/yellow] {len(problems)} annotation problem(s); "
                     f"run `referat corpus validate {escape(str(out))}` to list them", soft_wrap=True)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="The annotation tool's export (JSON, JSONL, or doccano's ZIP).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The JSONL file to write.")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="The export's format (auto: detected).")] = Format.auto,
    annotator: Annotated[Optional[str], typer.Option("--annotator", help="Take this annotator's annotations (id, e-mail or name).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Any skipped task or span is an error.")] = False,
) -> None:
    """Import a Label Studio (JSON, JSON_MIN) or doccano (JSONL, ZIP) export into corpus JSONL,
    saying how many tasks, spans and items came in and what was skipped and why."""
    from referat.annotations import import_annotations
    from referat.corpus.files import default_parties

    try:
        records, report = import_annotations(file, None if fmt is Format.auto else fmt.value, annotator=annotator,
                                             strict=strict, parties=default_parties())
    except CorpusError as error:
        _fail(str(error), code=1)
    for line in report.lines():
        errors.print(escape(line), soft_wrap=True)
    _write_checked(records, out, f"imported {len(records)} meetings from {escape(str(file))} to {escape(str(out))}")


@app.command("split")
def split_command(
    path: PathArgument,
    seed: Annotated[int, typer.Option("--seed", help="Seed for ordering the groups.")] = 13,
    dev: Annotated[float, typer.Option("--dev", min=0.0, max=1.0, help="Dev fraction.")] = 0.15,
    test: Annotated[float, typer.Option("--test", min=0.0, max=1.0, help="Test fraction.")] = 0.15,
    json_output: Annotated[bool, typer.Option("--json", help="Print the split as JSON.")] = False,
) -> None:
    """Show which meetings go to train, dev and test (grouped by house style and municipality)."""
    from collections import Counter

    from referat.corpus import split

    parts = split(_load(path), seed=seed, dev=dev, test=test)
    summary = {}
    for name, records in parts.items():
        summary[name] = {
            "meetings": len(records),
            "ids": [r["id"] for r in records],
            "styles": dict(sorted(Counter((r.get("meta") or {}).get("style") for r in records).items())),
            "municipalities": dict(sorted(Counter((r.get("meta") or {}).get("municipality")
                                                  for r in records).items())),
        }
    if json_output:
        typer.echo(json.dumps({"seed": seed, **summary}, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"Split (seed {seed})", title_justify="left", show_lines=True)
    for column in ("split", "meetings", "house styles", "municipalities"):
        table.add_column(column)
    for name, part in summary.items():
        table.add_row(name, str(part["meetings"]),
                      escape(", ".join(f"{k} ({v})" for k, v in part["styles"].items())),
                      escape(", ".join(f"{k} ({v})" for k, v in part["municipalities"].items())))
    console.print(table)
    for name, part in summary.items():
        console.print(f"[bold]{name}[/bold]: {escape(' '.join(part['ids'])) or '-'}", soft_wrap=True)
