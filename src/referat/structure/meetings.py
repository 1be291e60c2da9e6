"""Several meetings in one file (a year of minutes put together): where each one starts.

A meeting's header (a date line with a place, time or member line under it, labelled as
headers are) stands before its first item. One found inside what was taken for an item
starts a new meeting there, together with the lines just above it that name the
municipality, committee or kind; the rest of the text is then read again on its own.
"""

from __future__ import annotations

import re

from referat.analysis import Item
from referat.structure.lines import Line
from referat.structure.styles import StyleTable

_LABEL = re.compile(r"^[ \t\u00a0]*(?P<label>[A-Za-zÆØÅæøå .]{2,40}?)[ \t\u00a0]*:")
#: how many non-blank lines above the first header label still belong to the new header
HEADER_LINES_ABOVE = 4
#: how close under the date line the place, time or member line must stand
NEAR_LINES = 6


def _header_start(lines: list[Line], first: int, stop: int, styles: StyleTable) -> int | None:
    """The line where a new meeting's header begins in lines[first:stop], or None: a date
    line with a place, time or member line close under it, and the lines just above it that
    name the municipality, committee or kind."""
    header = styles.header
    dates = set(header["date_labels"])
    others = set(header["place_labels"]) | set(header["member_labels"]) | set(header["time_labels"])
    for index in range(first, stop):
        match = _LABEL.match(lines[index].text)
        if not match or " ".join(match["label"].lower().split()) not in dates:
            continue
        near = [_LABEL.match(line.text) for line in lines[index + 1:min(stop, index + 1 + NEAR_LINES)]]
        if not any(m and " ".join(m["label"].lower().split()) in others for m in near):
            continue
        start = cursor = index
        seen = 0
        while cursor > first and seen < HEADER_LINES_ABOVE:
            cursor -= 1
            above = lines[cursor]
            if not above.stripped:
                continue
            if above.stripped.endswith((".", ":")) or _LABEL.match(above.text) is not None:
                break  # the previous meeting's last sentence, or a label of its own
            start, seen = cursor, seen + 1
        return start
    return None


def meeting_starts(lines: list[Line], items: list[Item], styles: StyleTable) -> list[int]:
    """Offsets where the second, third, ... meeting of the text begin (empty for one meeting):
    a new header inside what was taken for an item (the numbering, which goes up within one
    meeting, left the next meeting's items out or started again)."""
    starts = []
    index = 0
    for item in items:
        while index < len(lines) and lines[index].start <= item.start:
            index += 1
        stop = index
        while stop < len(lines) and lines[stop].start < item.end:
            stop += 1
        found = _header_start(lines, index, stop, styles)
        if found is not None:
            starts.append(lines[found].start)
    return starts
