"""`referat review export`: the pipeline's predictions as Label Studio or doccano tasks, to be
corrected and brought back with `referat corpus import` (then `referat train`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from referat.cli.common import ModelOption, errors, fail
from referat.errors import ReferatError

app = typer.Typer(help="Export predictions for review in Label Studio or doccano.", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False)


@app.command("export")
def export(
    paths: Annotated[list[str], typer.Argument(help="Minutes files or folders to analyse (any format referat reads).")],
    labelstudio: Annotated[Optional[Path], typer.Option("--labelstudio", help="Write Label Studio tasks (JSON) here.")] = None,
    doccano: Annotated[Optional[Path], typer.Option("--doccano", help="Write doccano rows (JSONL) here.")] = None,
    config: Annotated[Optional[Path], typer.Option("--config", help="Also write the Label Studio labelling config (XML).")] = None,
    uncertain: Annotated[Optional[int], typer.Option("--uncertain", min=0, help="Put the meetings with the N least certain items, then those with the most low-confidence entities, first.")] = None,
    model: ModelOption = None,
) -> None:
    """Analyse files and write their predictions as pre-annotated tasks (with the model's version)."""
    from referat.annotations import export_doccano, export_labelstudio, labelstudio_config, uncertain_first
    from referat.batch import analyse_files, expand_inputs, no_inputs_message

    if labelstudio is None and doccano is None:
        fail("give --labelstudio FILE or --doccano FILE (or both)", code=2)
    files = expand_inputs(paths)
    if not files:
        fail(no_inputs_message(paths))
    records = []
    try:
        for record in analyse_files(files, model=model, with_text=True):
            if "error" in record:
                errors.print(f"[red]failed[/red] {record['file']}: {record['error']}")
            else:
                records.append(record)
    except ReferatError as error:
        fail(str(error), code=2)
    if not records:
        fail("no file could be analysed")
    if uncertain is not None:
        order: list[int] = []
        for pick in uncertain_first(records, uncertain):
            if pick.record not in order and (pick.reason == "entities" or len(order) < uncertain):
                order.append(pick.record)
        order += [index for index in range(len(records)) if index not in order]
        records = [records[index] for index in order]
    texts = [record.pop("text") for record in records]
    info = records[0].get("model") or {}
    try:
        if labelstudio is not None:
            labelstudio.write_text(json.dumps(export_labelstudio(records, texts, model=info), ensure_ascii=False, indent=1),
                                   encoding="utf-8")
        if doccano is not None:
            with doccano.open("w", encoding="utf-8") as handle:
                for row in export_doccano(records, texts, model=info):
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        if config is not None:
            config.write_text(labelstudio_config(), encoding="utf-8")
    except OSError as error:
        fail(f"cannot write: {error.strerror or error}", code=2)
    targets = ", ".join(str(p) for p in (labelstudio, doccano, config) if p is not None)
    errors.print(f"{len(records)} meetings exported ({sum(len(r['items']) for r in records)} items) -> {targets}")
