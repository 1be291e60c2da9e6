"""Training examples for the item classifier, drawn from corpus records."""

from __future__ import annotations

from referat.classify.classifier import item_parts


def item_examples(records: list[dict], styles) -> tuple[list[dict], list[str], list[str]]:
    """(item parts, labels, groups by house style) for every annotated item; `styles` (a
    referat.structure StyleTable) finds the sections inside each item."""
    parts, labels, groups = [], [], []
    for record in records:
        for item in record["items"]:
            parts.append(item_parts(record["text"], item["start"], item["end"], item["title"], styles))
            labels.append(item["label"])
            groups.append(record["meta"].get("style", "unknown"))
    return parts, labels, groups
