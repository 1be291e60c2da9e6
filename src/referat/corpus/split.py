"""Splitting a corpus into train, dev and test, grouped by house style and municipality."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Iterable

from referat.corpus.schema import (UNKNOWN)

# --------------------------------------------------------------------------- split

def _group_meetings(records: list[dict]) -> list[list[dict]]:
    parent = list(range(len(records)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple[str, str], int] = {}
    for index, record in enumerate(records):
        meta = record.get("meta") or {}
        for key in ("style", "municipality"):
            value = meta.get(key)
            if not value or value == UNKNOWN:
                continue
            other = first.setdefault((key, value), index)
            a, b = find(index), find(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[dict]] = defaultdict(list)
    for index, record in enumerate(records):
        groups[find(index)].append(record)
    return [sorted(group, key=lambda r: r["id"]) for group in groups.values()]


def split(records: Iterable[dict], *, seed: int = 13, dev: float = 0.15,
          test: float = 0.15) -> dict[str, list[dict]]:
    """Split meetings into train, dev and test so that test (and dev) hold unseen styles and places.

    1. Groups: the connected components of meetings that share a house style or a
       municipality (a meeting with neither known forms its own group). No style and no
       municipality is then found in two groups, so none is in both test and train.
    2. Order: groups are sorted by sha256 of ``"<seed>:<sorted ids of the group>"``.
    3. Fill: in that order, a group goes to test if test stays within ``test * meetings``;
       then, over the groups left, to dev if dev stays within ``dev * meetings``. With 3 or
       more groups, test and dev each get at least one group (the smallest left, if none
       fitted), and train keeps at least one.
    4. The rest is train. Each split is sorted by id.

    The result depends only on the records and the seed, not on their order.
    """
    records = sorted(records, key=lambda r: r["id"])
    total = len(records)

    def key(group):
        joined = "\x1f".join(r["id"] for r in group)
        return hashlib.sha256(f"{seed}:{joined}".encode("utf-8")).hexdigest()

    groups = sorted(_group_meetings(records), key=key)
    parts: dict[str, list[list[dict]]] = {"test": [], "dev": [], "train": []}
    left = list(groups)
    for name, fraction in (("test", test), ("dev", dev)):
        limit = fraction * total
        count = 0
        keep = []
        for group in left:
            if count + len(group) <= limit:
                parts[name].append(group)
                count += len(group)
            else:
                keep.append(group)
        left = keep
        if not parts[name] and len(groups) >= 3 and len(left) >= 2 and fraction > 0:
            smallest = min(left, key=len)  # min keeps the first in hash order among ties
            parts[name].append(smallest)
            left = [g for g in left if g is not smallest]
    parts["train"] = left
    return {name: sorted((r for g in parts[name] for r in g), key=lambda r: r["id"])
            for name in ("train", "dev", "test")}


