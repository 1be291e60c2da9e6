"""`referat report`: one self-contained HTML page of analysed meetings, or of a case's timeline."""

from __future__ import annotations

import tempfile
import webbrowser
from pathlib import Path
from typing import Annotated, Optional

import typer

from referat.cli.common import ModelOption, errors, fail
from referat.errors import ReferatError

app = typer.Typer()


@app.command()
def report(
    paths: Annotated[Optional[list[str]], typer.Argument(help="Minutes files or folders to analyse and show.")] = None,
    html: Annotated[Optional[Path], typer.Option("--html", help="Write the page here.")] = None,
    open_page: Annotated[bool, typer.Option("--open", help="Write to a temporary file and open it in a browser.")] = False,
    db: Annotated[Optional[Path], typer.Option("--db", help="An archive (with --case).")] = None,
    case: Annotated[Optional[str], typer.Option("--case", help="Draw this case's timeline from --db.")] = None,
    model: ModelOption = None,
) -> None:
    """An HTML report: header, item table with labels, outcomes and amounts, the text with its
    entities marked, and charts; or (--db --case) a case's timeline."""
    from referat.report.html import render_case, render_report

    if html is None and not open_page:
        fail("give --html FILE or --open", code=2)
    try:
        if case is not None or db is not None:
            if case is None or db is None:
                fail("--case and --db go together", code=2)
            from referat.archive import case_timeline

            timeline = case_timeline(db, case)
            if not timeline:
                fail(f"no items with case number {case} in {db}")
            page = render_case(timeline, case_number=case)
        else:
            from referat.batch import analyse_files, expand_inputs, no_inputs_message

            files = expand_inputs(paths or [])
            if not files:
                fail(no_inputs_message(paths or []) if paths else "give minutes files, or --db and --case", code=2)
            shown = []
            for record in analyse_files(files, model=model, with_text=True):
                if "error" in record:
                    errors.print(f"[red]failed[/red] {record['file']}: {record['error']}")
                    continue
                shown.append((record, record.pop("text", None)))
            if not shown:
                fail("no file could be analysed")
            page = render_report(shown)
    except ReferatError as error:
        fail(str(error), code=2)
    target = html or Path(tempfile.mkstemp(prefix="referat-", suffix=".html")[1])
    try:
        target.write_text(page, encoding="utf-8")
    except OSError as error:
        fail(f"cannot write {target}: {error.strerror or error}", code=2)
    errors.print(f"report written to {target}")
    if open_page:
        webbrowser.open(target.resolve().as_uri())
