"""Inline SVG charts for the report: no scripts, no external resources, all text escaped."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

WIDTH = 640          # viewBox width; the SVG scales to its container
LABEL_WIDTH = 230    # room for the bar labels on the left
VALUE_WIDTH = 120    # room for the value printed after the longest bar
ROW = 22
LABEL_CHARS = 34     # bar labels longer than this are shortened (the full text is the tooltip)


def _shorten(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def hbar_chart(bars: Sequence[tuple[str, float, str]], *, title: str,
               format_value: Callable[[float], str] = str, css_class: str = "chart") -> str:
    """A horizontal bar chart: one bar per (label, value, tooltip); lengths in proportion to
    |value|, negative values get the class "neg". Returns "" when there are no bars."""
    if not bars:
        return ""
    largest = max(abs(value) for _, value, _ in bars) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = ROW * len(bars) + 30
    rows = []
    for index, (label, value, tooltip) in enumerate(bars):
        y = 28 + index * ROW
        length = max(1.0, abs(value) / largest * span) if value else 0.0
        kind = "bar neg" if value < 0 else "bar"
        rows.append(
            f'<g><title>{escape(tooltip or label)}: {escape(format_value(value))}</title>'
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 13}" text-anchor="end">{escape(_shorten(label))}</text>'
            f'<rect class="{kind}" x="{LABEL_WIDTH}" y="{y + 2}" width="{length:.1f}" height="{ROW - 6}"/>'
            f'<text x="{LABEL_WIDTH + length + 5:.1f}" y="{y + 13}">{escape(format_value(value))}</text></g>')
    return (f'<svg class="{escape(css_class)}" viewBox="0 0 {WIDTH} {height}" role="img" '
            f'aria-label="{escape(title)}">'
            f'<title>{escape(title)}</title>'
            f'<text class="chart-title" x="0" y="16">{escape(title)}</text>{"".join(rows)}</svg>')


def probability_bar(probability: float, *, width: int = 60, height: int = 8) -> str:
    """A small inline bar for a probability in [0, 1] (clamped)."""
    share = min(1.0, max(0.0, float(probability)))
    return (f'<svg class="pbar" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'aria-hidden="true">'
            f'<rect class="pbar-bg" width="{width}" height="{height}"/>'
            f'<rect class="pbar-fg" width="{share * width:.1f}" height="{height}"/></svg>')
