"""One self-contained HTML5 page of meeting records: header, item table, item texts with
entities highlighted, inline SVG charts. No scripts and no external resources; every piece
of text from a record is escaped. The CSS is the string constant `CSS` below."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from html import escape

from referat.report import svg
from referat.report.record import (ReportError, amount_sum, check_offsets, check_record, entities_by_item,
                                   format_kroner, format_percent, label_score, last_decision, meeting_line,
                                   votes_text)

#: One colour per entity label (legend and <mark> background); other labels get `OTHER_COLOUR`.
ENTITY_COLOURS = {"PERSON": "#ffd8a8", "PARTY": "#ffc9c9", "PROGRAMME": "#d3f9d8",
                  "AMOUNT": "#d0ebff", "ORG": "#e5dbff"}
OTHER_COLOUR = "#e9ecef"

NO_TEXT = ("Teksten er ikke med i posten, så punkternes tekst og de fremhævede entiteter kan ikke vises. "
           "Kør igen med --with-text.")

CSS = """
:root{--fg:#1b1b1b;--muted:#5c5c5c;--line:#d0d0d0;--accent:#2f5d8a}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--fg);margin:0 auto;
 max-width:72rem;padding:.75rem;line-height:1.45}
h1{font-size:1.5rem;margin:.2rem 0 .6rem}h2{font-size:1.25rem;margin:.4rem 0}h3{font-size:1.05rem;margin:1rem 0 .3rem}
section.meeting{border-top:3px solid var(--accent);margin:1rem 0 2rem;padding-top:.5rem}
.meta{color:var(--muted);font-size:.9rem}
dl.header{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .8rem;margin:.4rem 0}
dl.header dt{font-weight:600}dl.header dd{margin:0}
ul.parties{margin:0;padding-left:1.1rem}
.warnings{background:#fff4e5;border-left:4px solid #e8590c;padding:.3rem .6rem;margin:.5rem 0}
.note{background:#eef4fb;border-left:4px solid var(--accent);padding:.4rem .6rem;margin:.6rem 0}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.5rem 0}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{border-bottom:1px solid var(--line);padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#f3f3f3;white-space:nowrap}
td.num,th.num{text-align:right;white-space:nowrap}
td.title{min-width:14rem}
.votes{display:block;color:var(--muted);font-size:.85rem}
.badge{display:inline-block;border:1px solid var(--line);border-radius:.3rem;padding:0 .3rem;font-size:.8rem}
svg.pbar{vertical-align:middle;margin:0 .25rem}
.pbar-bg{fill:#e3e3e3}.pbar-fg{fill:var(--accent)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem;margin:.8rem 0}
svg.chart{width:100%;height:auto;font-size:12px}
svg.chart .bar{fill:var(--accent)}svg.chart .bar.neg{fill:#c92a2a}svg.chart .chart-title{font-weight:600}
.legend{margin:.4rem 0;font-size:.9rem}.legend mark{margin-right:.4rem}
pre.text{white-space:pre-wrap;overflow-wrap:anywhere;font-family:inherit;font-size:.95rem;background:#fafafa;
 border:1px solid var(--line);padding:.5rem .7rem;margin:.3rem 0}
mark.ent{border-radius:.2rem;padding:0 .1rem;color:inherit}
.section{font-weight:700;color:var(--accent)}
ul.decisions{margin:.2rem 0;padding-left:1.1rem;font-size:.92rem}
details{margin:.4rem 0}summary{cursor:pointer;font-weight:600}
nav.toc ol{padding-left:1.3rem}
@media (max-width:40rem){body{padding:.4rem}h1{font-size:1.25rem}dl.header{grid-template-columns:1fr}
 dl.header dt{margin-top:.3rem}table{font-size:.85rem}}
@media print{body{max-width:none;padding:0;color:#000}section.meeting{break-before:page;border-top:0}
 section.meeting:first-of-type{break-before:auto}nav.toc{display:none}.scroll{overflow:visible}
 mark.ent{background:none!important;border-bottom:1px solid #000}.section{color:#000}
 pre.text{background:none;border:0;padding:0}details>*{display:block}
 svg.chart .bar{fill:#555}.pbar-fg{fill:#000}.warnings,.note{background:none}
 tr,h3{break-inside:avoid}}
"""


def _css() -> str:
    colours = "".join(f"mark.ent-{_css_name(label)}{{background:{colour}}}" for label, colour in ENTITY_COLOURS.items())
    return CSS.strip() + f"\nmark.ent{{background:{OTHER_COLOUR}}}" + colours


def _css_name(label) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", str(label))


def _e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def _page(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"da\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_e(title)}</title><style>{_css()}</style></head><body>{body}</body></html>\n")


# ----------------------------------------------------------------- highlighting

def _entity_title(entity: Mapping) -> str:
    label, value = entity.get("label"), entity.get("value")
    if value is None or value == "":
        return str(label)
    if label == "AMOUNT" and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = format_kroner(value)
    return f"{label}: {value}"


def _heading_spans(sections: Sequence[Mapping], text: str, entities: Sequence[tuple[int, int]],
                   lo: int, hi: int) -> list[tuple[int, int, str, str]]:
    """Spans for the section headings: the printed heading where the text has it at the section's
    start, else the section's first line; clipped so that no entity crosses them."""
    spans = []
    for section in sections:
        start = section.get("start")
        if not isinstance(start, int) or not lo <= start < hi:
            continue
        heading = str(section.get("heading") or "")
        if heading and text[start:start + len(heading)].lower() == heading.lower():
            end = start + len(heading)
        else:
            newline = text.find("\n", start, hi)
            end = newline if newline >= 0 else hi
        for e_start, e_end in entities:
            if e_start < end < e_end and e_start >= start:
                end = e_start
            if e_start < start < e_end:
                start = min(e_end, end)
        end = max(start, end)
        name = _css_name(section.get("name") or "andet")
        spans.append((start, end, f'<span class="section" data-section="{_e(name)}">', "</span>"))
    return spans


def highlight(text: str, lo: int, hi: int, spans: Sequence[tuple[int, int, str, str]]) -> tuple[str, int]:
    """Escape text[lo:hi] and wrap each (start, end, open_tag, close_tag) span in its tags.
    Spans nest; a span that crosses an open one is left out. Returns (html, spans left out)."""
    ordered = sorted((max(lo, s), min(hi, e), o, c) for s, e, o, c in spans if lo <= s < hi or s == e == lo)
    ordered.sort(key=lambda span: (span[0], -span[1]))
    out, stack, cursor, skipped = [], [], lo, 0
    for start, end, open_tag, close_tag in ordered:
        while stack and stack[-1][0] <= start:
            top_end, top_close = stack.pop()
            out.append(escape(text[cursor:top_end], quote=False) + top_close)
            cursor = top_end
        if stack and end > stack[-1][0]:
            skipped += 1
            continue
        out.append(escape(text[cursor:start], quote=False) + open_tag)
        cursor = start
        stack.append((end, close_tag))
    while stack:
        top_end, top_close = stack.pop()
        out.append(escape(text[cursor:top_end], quote=False) + top_close)
        cursor = top_end
    out.append(escape(text[cursor:hi], quote=False))
    return "".join(out), skipped


def _segments(items: Sequence[Mapping], size: int) -> list[tuple[int, int, int | None]]:
    """Cut [0, size) into (start, end, item position or None) pieces: header, items, and text between."""
    pieces, cursor = [], 0
    order = sorted(range(len(items)), key=lambda index: items[index]["start"])
    for index in order:
        start, end = max(cursor, items[index]["start"]), max(cursor, items[index]["end"])
        if start > cursor:
            pieces.append((cursor, start, None))
        pieces.append((start, end, index + 1))
        cursor = end
    if cursor < size or not pieces:
        pieces.append((cursor, size, None))
    return pieces


def _text_blocks(record: Mapping, text: str, anchor: str) -> tuple[dict[int | None, list[str]], list[str]]:
    """The highlighted text of each item (key = position) and of the text outside items (key None)."""
    items = record.get("items") or []
    entities = [entity for entity in record.get("entities") or []]
    pieces = _segments(items, len(text))
    starts = [start for start, _, _ in pieces]
    by_piece: dict[int, list[Mapping]] = {}
    mismatched = 0
    for entity in entities:
        if text[entity["start"]:entity["end"]] != entity.get("text", text[entity["start"]:entity["end"]]):
            mismatched += 1
        index = max(i for i, start in enumerate(starts) if start <= entity["start"])
        if entity["start"] == pieces[index][1] and index + 1 < len(pieces):
            index += 1
        by_piece.setdefault(index, []).append(entity)
    blocks: dict[int | None, list[str]] = {}
    skipped = 0
    for index, (lo, hi, position) in enumerate(pieces):
        marks = [(int(e["start"]), int(e["end"]),
                  f'<mark class="ent ent-{_css_name(e.get("label"))}" title="{_e(_entity_title(e))}">', "</mark>")
                 for e in by_piece.get(index, [])]
        sections = items[position - 1].get("sections") or [] if position else []
        headings = _heading_spans(sections, text, [(s, e) for s, e, _, _ in marks], lo, hi)
        body, left_out = highlight(text, lo, hi, headings + marks)
        skipped += left_out
        if position is None and not text[lo:hi].strip():
            continue
        blocks.setdefault(position, []).append(f'<pre class="text">{body}</pre>')
    warnings = []
    if skipped:
        warnings.append(f"{skipped} entitet(er) overlapper en anden og er ikke fremhævet.")
    if mismatched:
        warnings.append(f"{mismatched} entitet(er) har en anden tekst end teksten ved deres position.")
    return blocks, warnings


# ----------------------------------------------------------------- meeting parts

def _person(member: Mapping) -> str:
    name = _e(member.get("name"))
    return f"{name} ({_e(member['party'])})" if member.get("party") else name


def _members(members: Sequence[Mapping]) -> str:
    groups: dict[str, list[str]] = {}
    for member in members:
        if not isinstance(member, Mapping):
            continue
        party, name = member.get("party"), member.get("party_name")
        key = f"{name} ({party})" if name and party else (name or party or "Uden parti")
        groups.setdefault(str(key), []).append(_e(member.get("name")))
    rows = "".join(f"<li><strong>{_e(key)}</strong>: {', '.join(names)}</li>" for key, names in groups.items())
    return f'<ul class="parties">{rows}</ul>'


def _header(record: Mapping) -> str:
    meeting = record.get("meeting") or {}
    fields = [("Udvalg", meeting.get("committee")), ("Kommune", meeting.get("municipality")),
              ("Dato", meeting.get("date")), ("Tid", meeting.get("time")), ("Sted", meeting.get("place")),
              ("Type", meeting.get("kind"))]
    rows = "".join(f"<dt>{label}</dt><dd>{_e(value) if value else '—'}</dd>" for label, value in fields)
    members = [m for m in meeting.get("members") or [] if isinstance(m, Mapping)]
    absent = [m for m in meeting.get("absent") or [] if isinstance(m, Mapping)]
    rows += f"<dt>Medlemmer</dt><dd>{_members(members) if members else '—'}</dd>"
    rows += f"<dt>Fraværende</dt><dd>{', '.join(_person(m) for m in absent) if absent else '—'}</dd>"
    return f'<dl class="header">{rows}</dl>'


def _source_line(record: Mapping) -> str:
    parts = []
    if record.get("file"):
        parts.append(f"Fil: {_e(record['file'])}")
    if record.get("format"):
        parts.append(f"format: {_e(record['format'])}")
    if isinstance(record.get("meeting_index"), int):
        parts.append(f"møde nr. {record['meeting_index'] + 1} i filen")
    model = record.get("model") or {}
    if isinstance(model, Mapping) and model.get("name"):
        parts.append(f"model: {_e(model.get('name'))} {_e(model.get('version') or '')}".rstrip())
    return f'<p class="meta">{" · ".join(parts)}</p>' if parts else ""


def _label_cell(item: Mapping) -> str:
    label = item.get("label")
    if not label:
        return "—"
    score = label_score(item)
    if score is None:
        return _e(label)
    return f'{_e(label)}{svg.probability_bar(score)}<span class="meta">{format_percent(score)}</span>'


def _decision_cell(item: Mapping) -> str:
    decision = last_decision(item)
    if decision is None:
        return "—"
    outcome = _e(decision.get("outcome") or "—")
    if decision.get("amended"):
        outcome += " (ændret)"
    votes = votes_text(decision.get("votes"))
    return outcome + (f'<span class="votes">{_e(votes)}</span>' if votes else "")


def _item_table(items: Sequence[Mapping], sums: list[int | None], anchor: str, linked: bool) -> str:
    head = ("<tr><th>Nr.</th><th>Titel</th><th>Kategori</th><th>Beslutning</th><th>Sagsnr.</th>"
            '<th class="num">Beløb</th></tr>')
    rows = []
    for position, (item, total) in enumerate(zip(items, sums), start=1):
        title = _e(item.get("title"))
        if linked:
            title = f'<a href="#{anchor}-p{position}">{title}</a>'
        if item.get("closed"):
            title += ' <span class="badge">Lukket</span>'
        rows.append(f"<tr><td>{_e(item.get('number') or '')}</td><td class=\"title\">{title}</td>"
                    f"<td>{_label_cell(item)}</td><td>{_decision_cell(item)}</td>"
                    f"<td>{_e(item.get('case_number') or '')}</td>"
                    f"<td class=\"num\">{format_kroner(total) if total is not None else ''}</td></tr>")
    return f'<div class="scroll"><table><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table></div>'


def _charts(items: Sequence[Mapping], sums: list[int | None]) -> str:
    amount_bars = [(f"{item.get('number') or position}. {item.get('title') or ''}", total,
                    str(item.get("title") or ""))
                   for position, (item, total) in enumerate(zip(items, sums), start=1) if total]
    labels = Counter(str(item.get("label")) for item in items if item.get("label"))
    label_bars = [(label, count, label) for label, count in sorted(labels.items(), key=lambda kv: (-kv[1], kv[0]))]
    charts = [svg.hbar_chart(amount_bars, title="Beløb pr. punkt", format_value=format_kroner),
              svg.hbar_chart(label_bars, title="Punkter pr. kategori", format_value=lambda n: str(round(n)))]
    charts = [chart for chart in charts if chart]
    if not charts:
        return ""
    return f'<h3>Overblik</h3><div class="charts">{"".join(f"<div>{c}</div>" for c in charts)}</div>'


def _decisions(item: Mapping) -> str:
    rows = []
    for decision in item.get("decisions") or []:
        if not isinstance(decision, Mapping):
            continue
        who = " ".join(_e(decision.get(key)) for key in ("body", "date") if decision.get(key))
        line = f"<strong>{who or 'Beslutning'}</strong>: {_e(decision.get('outcome') or '—')}"
        if decision.get("amended"):
            line += " (ændret)"
        votes = votes_text(decision.get("votes"))
        if votes:
            line += f" · {_e(votes)}"
        for dissent in decision.get("dissent") or []:
            if isinstance(dissent, Mapping):
                who = dissent.get("party") or dissent.get("name") or dissent.get("party_name") or "?"
                line += f"<br>Mindretal {_e(who)}: {_e(dissent.get('text') or '')}"
        absent = [_person(m) for m in decision.get("absent") or [] if isinstance(m, Mapping)]
        if absent:
            line += f"<br>Fraværende: {', '.join(absent)}"
        rows.append(f"<li>{line}</li>")
    return f'<ul class="decisions">{"".join(rows)}</ul>' if rows else ""


def _legend(entities: Sequence[Mapping]) -> str:
    present = {str(entity.get("label")) for entity in entities}
    labels = [label for label in ENTITY_COLOURS if label in present] + sorted(present - set(ENTITY_COLOURS))
    if not labels:
        return ""
    marks = "".join(f'<mark class="ent ent-{_css_name(label)}">{_e(label)}</mark>' for label in labels)
    return f'<p class="legend">Entiteter: {marks}</p>'


def render_meeting(record: dict, text: str | None = None, *, anchor: str = "m0") -> str:
    """One <section> for one meeting record; `text` (or the record's "text") is the analysed
    text its offsets index into. `anchor` prefixes the element ids (unique per page)."""
    record = check_record(record)
    anchor = _css_name(anchor)
    if "error" in record and "items" not in record:
        return (f'<section class="meeting failed" id="{anchor}"><h2>{_e(record.get("file") or "Ukendt fil")}</h2>'
                f'<p class="warnings">Kunne ikke læses: {_e(record["error"])}</p></section>')
    if text is None:
        text = record.get("text")
    if text is not None and not isinstance(text, str):
        raise ReportError(f"the text of a record must be a string, not {type(text).__name__}")
    items = [dict(item) for item in record.get("items") or []]
    if text is not None:
        check_offsets(record, text)
    grouped = entities_by_item(record)
    sums = [amount_sum(grouped.get(position, [])) for position in range(1, len(items) + 1)]
    parts = [f'<section class="meeting" id="{anchor}"><h2>{_e(meeting_line(record))}</h2>',
             _source_line(record), _header(record)]
    warnings = [str(w) for w in record.get("warnings") or []]
    blocks: dict[int | None, list[str]] = {}
    if text is not None:
        blocks, own = _text_blocks(record, text, anchor)
        warnings += own
    if warnings:
        parts.append('<div class="warnings"><strong>Advarsler</strong><ul>'
                     + "".join(f"<li>{_e(w)}</li>" for w in warnings) + "</ul></div>")
    parts.append(f"<h3>Punkter ({len(items)})</h3>")
    parts.append(_item_table(items, sums, anchor, linked=True) if items else "<p>Ingen punkter fundet.</p>")
    parts.append(_charts(items, sums))
    if text is None:
        parts.append(f'<p class="note">{_e(NO_TEXT)}</p>')
    else:
        parts.append(_legend(record.get("entities") or []))
        if blocks.get(None):
            parts.append(f'<details><summary>Mødehoved og tekst uden for punkterne</summary>{"".join(blocks[None])}</details>')
    for position, item in enumerate(items, start=1):
        page = f' <span class="meta">(side {_e(item["page"])})</span>' if item.get("page") is not None else ""
        number = f"{_e(item.get('number'))}. " if item.get("number") else ""
        parts.append(f'<article class="item" id="{anchor}-p{position}"><h3>{number}{_e(item.get("title"))}{page}</h3>')
        parts.append(_decisions(item))
        if text is None and item.get("decision"):
            parts.append(f'<p><strong>Beslutning:</strong> {_e(item["decision"])}</p>')
        parts.extend(blocks.get(position, []))
        parts.append("</article>")
    parts.append("</section>")
    return "".join(part for part in parts if part)


def render_report(records: list[tuple[dict, str | None]], *, title: str = "referat") -> str:
    """The whole page for (record, text) pairs: one section per meeting, a contents list when
    there are several."""
    if not isinstance(records, (list, tuple)):
        raise ReportError("render_report needs a list of (record, text) pairs")
    sections, toc = [], []
    for index, pair in enumerate(records):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise ReportError(f"entry {index + 1} is not a (record, text) pair")
        record, text = pair
        sections.append(render_meeting(record, text, anchor=f"m{index}"))
        toc.append(f'<li><a href="#m{index}">{_e(meeting_line(check_record(record)))}</a></li>')
    nav = f'<nav class="toc"><h2>Møder</h2><ol>{"".join(toc)}</ol></nav>' if len(records) > 1 else ""
    empty = "" if records else "<p>Ingen møder.</p>"
    return _page(title, f"<header><h1>{_e(title)}</h1></header>{nav}<main>{''.join(sections)}{empty}</main>")


TIMELINE_COLUMNS = (("date", "Dato"), ("committee", "Udvalg"), ("number", "Nr."), ("title", "Titel"),
                    ("outcome", "Udfald"), ("label", "Kategori"), ("amount_sum", "Beløb"),
                    ("votes", "Afstemning"), ("file", "Fil"))


def render_case(timeline: list[dict], *, case_number: str) -> str:
    """The whole page for one case across meetings: a row per meeting where it was treated, in
    date order, and a chart of the amounts."""
    if not isinstance(timeline, (list, tuple)) or not all(isinstance(row, Mapping) for row in timeline):
        raise ReportError("a case timeline must be a list of JSON objects")
    rows = sorted(timeline, key=lambda row: (row.get("date") is None, str(row.get("date") or "")))
    head = "".join(f'<th{" class=num" if key == "amount_sum" else ""}>{name}</th>' for key, name in TIMELINE_COLUMNS)
    body = []
    for row in rows:
        cells = []
        for key, _ in TIMELINE_COLUMNS:
            value = row.get(key)
            if key == "amount_sum":
                shown = format_kroner(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else ""
                cells.append(f'<td class="num">{shown}</td>')
            else:
                cells.append(f'<td{" class=title" if key == "title" else ""}>{_e(value if value is not None else "")}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    bars = [(f"{row.get('date') or '?'} {row.get('committee') or ''}".strip(), row["amount_sum"],
             str(row.get("title") or "")) for row in rows
            if isinstance(row.get("amount_sum"), (int, float)) and not isinstance(row.get("amount_sum"), bool)
            and row["amount_sum"]]
    chart = svg.hbar_chart(bars, title="Beløb pr. behandling", format_value=format_kroner)
    title = f"Sag {case_number}"
    table = (f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
             if rows else "<p>Sagen findes ikke i arkivet.</p>")
    charts = f'<div class="charts"><div>{chart}</div></div>' if chart else ""
    return _page(title, f"<header><h1>{_e(title)}</h1><p class=\"meta\">{len(rows)} behandling(er)</p></header>"
                        f"<main>{table}{charts}</main>")
