"""The annotated-minutes corpus schema: field names, labels, validation rule names, and the
`datasets` features.

One meeting is one JSON object (one line of a ``.jsonl`` file)::

    {"id": str, "text": str,
     "meta": {"municipality": str, "committee": str, "date": "YYYY-MM-DD", "kind": str, "style": str},
     "items": [{"start": int, "end": int, "number": str | null, "title": str, "label": str,
                "decisions": [DECISION, ...]}],       # decisions: optional, see below
     "entities": [{"start": int, "end": int, "label": str, "value": int | str | null}]}

Offsets are Python string indices into ``text``, end exclusive. ``value`` is whole kroner
(an int) for AMOUNT, the party name (a str) for PARTY, and null otherwise.

``decisions`` is present on the items of a meeting annotated for decisions (on all of them or
on none): one ``DECISION`` per deciding body, in printed order, ``[]`` for an item that decides
nothing::

    {"outcome": str | null, "amended": bool, "body": str | null,
     "for": [str], "against": [str], "abstain": [str]}     # party letters per side of a vote

``outcome`` is one of `referat.entities.decisions.OUTCOMES` or null (the text states none). In a
`datasets.Dataset` the list is stored as JSON (like ``value``) and an item without it reads back
without the key.

How ``value`` is stored in a `datasets.Dataset` (see `FEATURES`): as JSON text (the
`datasets.Json` feature where the installed `datasets` has it, otherwise a string column
holding ``json.dumps(value)``), so 585000 is stored as ``585000`` and "Venstre" as
``"Venstre"``; null stays a missing value. Reading decodes it again and then makes
AMOUNT values ints and every other non-null value a str, so every value the schema
allows comes back as it was written.

The JSON loader of `datasets` reads a string shaped like a date as a timestamp and
gives it back as ``"2019-03-12 00:00:00"``; reading cuts such a value in ``meta.date``
back to ``"2019-03-12"``.
"""

from __future__ import annotations



ENTITY_LABELS = ("PERSON", "PARTY", "PROGRAMME", "AMOUNT", "ORG")
ITEM_LABELS = ("orientering", "godkendelse", "bevilling", "budgetopfølgning")
META_FIELDS = ("municipality", "committee", "date", "kind", "style")
RECORD_FIELDS = ("id", "text", "meta", "items", "entities")
ITEM_FIELDS = ("start", "end", "number", "title", "label")
#: Optional item field of a meeting annotated for decisions, and the fields of one decision.
DECISIONS_FIELD = "decisions"
DECISION_FIELDS = ("outcome", "amended", "body", "for", "against", "abstain")
VOTE_SIDES = ("for", "against", "abstain")
ENTITY_FIELDS = ("start", "end", "label", "value")
UNKNOWN = "unknown"
ITEM_PREFIX = "item:"

#: The rule names `validate` reports, one per check.
RULES = {
    "schema": "missing required fields or wrong types",
    "span": "span inside the text: 0 <= start < end <= len(text)",
    "whitespace": "no leading or trailing whitespace in an entity span",
    "overlap": "no overlapping entities in one meeting",
    "entity-label": "entity label is one of the known entity labels",
    "item-label": "item label is known (or, with no list given, not empty)",
    "item-order": "items ordered by start and not overlapping",
    "amount": "AMOUNT value equals parse_amount(span text)",
    "duplicate-id": "meeting ids are unique",
    "decision": "item decisions: a known outcome (or null), party letters per side, all items or none",
}


def _features():
    import datasets
    from datasets import Features, Value

    value = datasets.Json() if hasattr(datasets, "Json") else Value("string")
    return Features({
        "id": Value("string"),
        "text": Value("string"),
        "meta": {name: Value("string") for name in META_FIELDS},
        "items": [{"start": Value("int64"), "end": Value("int64"), "number": Value("string"),
                   "title": Value("string"), "label": Value("string"), DECISIONS_FIELD: value}],
        "entities": [{"start": Value("int64"), "end": Value("int64"), "label": Value("string"),
                      "value": value}],
    })


def __getattr__(name: str):
    # FEATURES is built on first use so that importing this module does not import datasets.
    if name == "FEATURES":
        features = _features()
        globals()["FEATURES"] = features
        return features
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


