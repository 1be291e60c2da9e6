"""`referat index`, `search`, `case` and `export`: the SQLite archive of analysed minutes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from referat.cli.common import ModelOption, console, errors, fail
from referat.errors import ReferatError

app = typer.Typer()

DbOption = Annotated[Path, typer.Option("--db", help="The archive (an SQLite file).")]


@app.command()
def index(
    paths: Annotated[list[str], typer.Argument(help="Files, folders and glob patterns (every format referat reads).")],
    db: DbOption,
    model: ModelOption = None,
    n_process: Annotated[int, typer.Option("--n-process", "-n", min=1, help="Worker processes that analyse.")] = 1,
) -> None:
    """Analyse files and store them in the archive; files already there with the same model are skipped."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from referat.archive import index_paths

    try:
        with Progress(TextColumn("indexing"), BarColumn(), MofNCompleteColumn(), console=errors,
                      disable=not errors.is_terminal) as bar:
            task = bar.add_task("indexing", total=None)
            summary = index_paths(paths, db, model=model, n_process=n_process,
                                  progress=lambda done, total: bar.update(task, completed=done, total=total))
    except ReferatError as error:
        fail(str(error), code=2)
    for name, message in summary.errors:
        errors.print(f"[red]failed[/red] {name}: {message}")
    errors.print(f"{summary.files} files: {summary.added} added, {summary.replaced} replaced, "
                 f"{summary.skipped} unchanged, {summary.failed} failed -> {db}")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words to find in item titles, sections and decisions ("quotes" for a phrase).')],
    db: DbOption,
    label: Annotated[Optional[str], typer.Option("--label", help="Only items with this label.")] = None,
    committee: Annotated[Optional[str], typer.Option("--committee", help="Only committees whose name contains this.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Meetings on or after YYYY-MM-DD.")] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Meetings on or before YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1)] = 20,
    json_output: Annotated[bool, typer.Option("--json", help="Print the hits as JSON.")] = False,
) -> None:
    """Full-text search over the archive, best hits first."""
    from referat.archive import search as run

    try:
        hits = run(db, query, label=label, committee=committee, since=since, until=until, limit=limit,
                   markers=("[bold yellow]", "[/bold yellow]") if not json_output else ("[", "]"))
    except ReferatError as error:
        fail(str(error), code=2)
    if json_output:
        typer.echo(json.dumps(hits, ensure_ascii=False, indent=2))
        return
    table = Table(show_lines=True)
    for column in ("dato", "udvalg", "nr.", "punkt", "label", "udfald", "uddrag"):
        table.add_column(column)
    for hit in hits:
        table.add_row(hit.get("date") or "", hit.get("committee") or "", hit.get("number") or "",
                      hit.get("title") or "", hit.get("label") or "", hit.get("outcome") or "", hit.get("snippet") or "")
    console.print(table)
    if not hits:
        errors.print("no hits")


@app.command()
def case(
    number: Annotated[str, typer.Argument(help="A case number as printed (22-012933, 22/12933, Sagsnr. 22-012933).")],
    db: DbOption,
    municipality: Annotated[Optional[str], typer.Option("--municipality", help="Only this municipality's case.")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the timeline as JSON.")] = False,
) -> None:
    """A case's timeline across meetings and committees, in date order."""
    from referat.archive import case_timeline

    try:
        rows = case_timeline(db, number, municipality=municipality)
    except ReferatError as error:
        fail(str(error), code=2)
    if json_output:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        fail(f"no items with case number {number} in {db}")
    table = Table()
    for column in ("dato", "udvalg", "nr.", "punkt", "udfald", "beløb", "afstemning"):
        table.add_column(column)
    for row in rows:
        amount = row.get("amount")
        table.add_row(row.get("date") or "", row.get("committee") or "", row.get("number") or "", row.get("title") or "",
                      row.get("outcome") or "", f"{amount:,.0f} kr.".replace(",", ".") if amount else "",
                      row.get("votes_summary") or "")
    console.print(table)


@app.command()
def export(
    db: DbOption,
    parquet: Annotated[Path, typer.Option("--parquet", help="Folder for one Parquet file per table.")],
) -> None:
    """Write the archive's tables as Parquet files for analysts."""
    from referat.archive import export_parquet

    try:
        written = export_parquet(db, parquet)
    except ReferatError as error:
        fail(str(error), code=2)
    errors.print(f"wrote {len(written)} tables to {parquet}")
