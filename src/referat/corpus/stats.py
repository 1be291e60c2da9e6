"""Counts over a corpus: meetings, items and entities per label, styles, municipalities."""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from referat.corpus.schema import (UNKNOWN)

# --------------------------------------------------------------------------- stats

def stats(records: Iterable[dict]) -> dict:
    """Counts: meetings, items (per label), entities (per label), styles, municipalities,
    committees (meetings each) and years (meetings each)."""
    records = list(records)
    items = Counter(item.get("label") for r in records for item in r.get("items") or [])
    entities = Counter(e.get("label") for r in records for e in r.get("entities") or [])

    def per(key):
        return Counter((r.get("meta") or {}).get(key) or UNKNOWN for r in records)

    years = Counter()
    for record in records:
        date = (record.get("meta") or {}).get("date") or ""
        years[date[:4] if re.match(r"\d{4}", date) else UNKNOWN] += 1

    def ordered(counter):
        return {str(k): v for k, v in sorted(counter.items(), key=lambda kv: str(kv[0]))}

    return {
        "meetings": len(records),
        "items": sum(items.values()),
        "items_per_label": ordered(items),
        "entities": sum(entities.values()),
        "entities_per_label": ordered(entities),
        "styles": ordered(per("style")),
        "municipalities": ordered(per("municipality")),
        "committees": ordered(per("committee")),
        "years": ordered(years),
    }


