"""The readable terminal summary of one meeting record (`referat analyse`): one row per item."""

from __future__ import annotations

from collections.abc import Mapping

from referat.report.record import (amounts, check_record, entities_by_item, format_kroner, format_percent,
                                   last_decision, meeting_line, outcome, top_score, votes_text)

NAME_LABELS = ("PERSON", "ORG")
MAX_NAMES = 5


def _names(entities: list[Mapping]) -> list[str]:
    names: list[str] = []
    for entity in entities:
        if entity.get("label") not in NAME_LABELS:
            continue
        value = entity.get("value")
        name = value if entity.get("label") == "ORG" and isinstance(value, str) and value else entity.get("text")
        if name and name not in names:
            names.append(str(name))
        if len(names) == MAX_NAMES:
            break
    return names


def summary_rows(record: dict) -> list[dict]:
    """Per item: number, title (in full), label, probability (the top score or None), outcome
    (of the last decision, or None), votes (that decision's vote, "for: A, F · imod: V", or ""), largest_amount (kroner or None) and names (the distinct
    PERSON/ORG names it mentions, in order, at most five; an ORG by its canonical name)."""
    record = check_record(record)
    grouped = entities_by_item(record)
    rows = []
    for position, item in enumerate(record.get("items") or [], start=1):
        entities = grouped.get(position, [])
        values = amounts(entities)
        rows.append({"number": item.get("number"), "title": item.get("title") or "", "label": item.get("label"),
                     "probability": top_score(item), "outcome": outcome(item),
                     "votes": votes_text((last_decision(item) or {}).get("votes")),
                     "largest_amount": max(values) if values else None, "names": _names(entities)})
    return rows


def print_summary(record: dict, console) -> None:
    """Print the meeting line and a table of `summary_rows` on a rich Console; titles wrap."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    record = check_record(record)
    console.print(Text(meeting_line(record), style="bold"))
    for warning in record.get("warnings") or []:
        console.print(Text(f"! {warning}", style="yellow"))
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Nr.", justify="right", no_wrap=True)
    table.add_column("Titel", overflow="fold", min_width=16)
    table.add_column("Kategori", overflow="fold")
    table.add_column("Sands.", justify="right", no_wrap=True)
    table.add_column("Udfald", overflow="fold")
    table.add_column("Største beløb", justify="right", no_wrap=True)
    table.add_column("Navne", overflow="fold", max_width=30)
    for row in summary_rows(record):
        table.add_row(Text(str(row["number"] or "")), Text(row["title"]), Text(row["label"] or "—"),
                      Text(format_percent(row["probability"]) if row["probability"] is not None else "—"),
                      Text("\n".join(part for part in (row["outcome"] or "—", row["votes"]) if part)),
                      Text(format_kroner(row["largest_amount"]) if row["largest_amount"] is not None else "—"),
                      Text(", ".join(row["names"])))
    console.print(table)
