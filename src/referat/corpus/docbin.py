"""Corpus records as spaCy training data (DocBin)."""

from __future__ import annotations

import logging

from typing import Iterable

from referat.corpus.schema import DECISIONS_FIELD, ITEM_FIELDS

# --------------------------------------------------------------------------- spaCy
log = logging.getLogger("referat.corpus")


def to_docbin(records: Iterable[dict], nlp=None, *, return_skipped: bool = False):
    """Records → a spaCy `DocBin`: entities as ``doc.ents``, items as ``doc.spans["items"]``.

    Spans are aligned to tokens with ``alignment_mode="contract"``. A span that cannot be
    aligned (or an entity overlapping an earlier one) is skipped and counted; the count is
    logged as a warning, and returned with the DocBin when ``return_skipped=True``
    (``(docbin, skipped)``). ``doc.user_data`` holds ``id``, ``meta``, the items' numbers and
    titles, and the entities' values.
    """
    import spacy
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    nlp = nlp if nlp is not None else spacy.blank("da")
    docbin = DocBin(store_user_data=True)
    skipped = 0
    for record in records:
        text = record["text"]
        doc = nlp.make_doc(text)
        ents = []
        for entity in record.get("entities") or []:
            span = doc.char_span(entity["start"], entity["end"], label=entity["label"],
                                 alignment_mode="contract")
            if span is None or len(span) == 0:
                skipped += 1
                continue
            ents.append(span)
        kept = filter_spans(ents)
        skipped += len(ents) - len(kept)
        doc.ents = sorted(kept, key=lambda s: s.start)
        items = []
        for item in record.get("items") or []:
            span = doc.char_span(item["start"], item["end"], label=item["label"] or "",
                                 alignment_mode="contract")
            if span is None or len(span) == 0:
                skipped += 1
                continue
            items.append(span)
        doc.spans["items"] = items
        doc.user_data["id"] = record.get("id")
        doc.user_data["meta"] = dict(record.get("meta") or {})
        doc.user_data["items"] = [{k: item.get(k) for k in ITEM_FIELDS}
                                  | ({DECISIONS_FIELD: item[DECISIONS_FIELD]} if DECISIONS_FIELD in item else {})
                                  for item in record.get("items") or []]
        doc.user_data["entity_values"] = [[e["start"], e["end"], e["label"], e.get("value")]
                                          for e in record.get("entities") or []]
        docbin.add(doc)
    if skipped:
        log.warning("to_docbin: %d span(s) could not be aligned to tokens and were skipped", skipped)
    return (docbin, skipped) if return_skipped else docbin


