"""Reading the dates and times Danish minutes print, into ISO form."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "marts": 3, "mar": 3, "april": 4, "apr": 4,
    "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))

# "23.08.2017", "24-08-2017", "22/8 2012", "2017-08-24", "6. marts 2013", "15-maj-2002",
# "20 august, 2019"
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?!\d)")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_NAMED = re.compile(
    r"(?<!\d)(\d{1,2})\.?[ \t\u00a0-]{0,3}(" + _MONTH_NAMES + r")\.?[ \t\u00a0,-]{0,3}(\d{4})(?!\d)",
    re.IGNORECASE,
)
_TIME = re.compile(r"(?<![\d.:])([01]?\d|2[0-3])[:.]([0-5]\d)(?![\d.:]\d)")


def _iso(year: int, month: int, day: int) -> str | None:
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first date in the text as (ISO date, start, end), or None."""
    found = []
    for pattern in (_ISO, _NAMED, _NUMERIC):
        match = pattern.search(text)
        if not match:
            continue
        if pattern is _ISO:
            value = _iso(int(match[1]), int(match[2]), int(match[3]))
        elif pattern is _NAMED:
            value = _iso(int(match[3]), MONTHS[match[2].lower()], int(match[1]))
        else:
            value = _iso(int(match[3]), int(match[2]), int(match[1]))
        if value:
            found.append((value, match.start(), match.end()))
    return min(found, key=lambda hit: hit[1]) if found else None


def find_time(text: str) -> str | None:
    """The first clock time ("16:00", "kl. 16.00", "13.30") as HH:MM, or None."""
    match = _TIME.search(text)
    return f"{int(match[1]):02d}:{match[2]}" if match else None
