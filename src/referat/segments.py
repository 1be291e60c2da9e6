"""Cutting one meeting's text into the pieces the pipeline analyses: the header, then each
item, and a piece of at most `max_chars` where an item (or a text with no items) is longer.

The structure is found on the whole text first (it is linear and light); the statistical
components then see one piece at a time, so memory stays flat however long the file is,
and the pieces' results are joined back with their offsets.
"""

from __future__ import annotations

from dataclasses import dataclass

#: the longest piece the pipeline is given (characters), about 3,500 words; also the most
#: characters in one batch of pieces. tok2vec's working memory is about 6 KB per token of a
#: batch: 25,000 characters peak at some 30 MB where 100,000 took 116 MB, at the same speed
#: (benchmarks/README.md)
MAX_SEGMENT_CHARS = 25_000


@dataclass(frozen=True)
class Segment:
    """text[start:end]; `item` is the index of the item this piece opens (it carries the
    item's heading and is where the item is labelled), or None."""

    start: int
    end: int
    item: int | None = None


def _cut(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """[start, end) in pieces of at most max_chars, cut after a blank line, a line break or a
    space where there is one in the second half of a piece."""
    pieces = []
    while end - start > max_chars:
        limit = start + max_chars
        cut = -1
        for mark in ("\n\n", "\n", " "):
            found = text.rfind(mark, start + max_chars // 2, limit)
            if found >= 0:
                cut = found + len(mark)
                break
        if cut <= start:
            cut = limit
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def plan_segments(text: str, bounds: list[tuple[int, int]], max_chars: int = MAX_SEGMENT_CHARS) -> list[Segment]:
    """The pieces of a meeting's text, in order, covering it exactly; `bounds` are the items'
    (start, end) in that text."""
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    segments: list[Segment] = []
    header_end = bounds[0][0] if bounds else len(text)
    if header_end > 0:
        segments.extend(Segment(s, e) for s, e in _cut(text, 0, header_end, max_chars))
    for index, (start, end) in enumerate(bounds):
        pieces = _cut(text, start, end, max_chars)
        segments.append(Segment(*pieces[0], item=index))
        segments.extend(Segment(s, e) for s, e in pieces[1:])
    return [segment for segment in segments if segment.end > segment.start]


def shift_item(item: dict, offset: int, end: int) -> dict:
    """An item dict with its offsets (and its sections') moved by -offset and clipped to the
    piece's end: what the piece's Doc is told about the item it opens."""
    moved = dict(item)
    moved["start"] = item["start"] - offset
    moved["end"] = min(item["end"], end) - offset
    moved["sections"] = [
        {**section, "start": section["start"] - offset, "end": min(section["end"], end) - offset}
        for section in item.get("sections", []) if section["start"] < end
    ]
    return moved
