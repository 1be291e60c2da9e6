"""The registered spaCy components of `referat` and the Doc/Span extensions they write.

Thin wrappers: the rules live in referat.structure, referat.amounts and referat.parties,
the model in referat.classifier. Every extension is registered here, in one place, when
this module is imported (spaCy imports it through the entry points in pyproject.toml).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path

from spacy.lang.da.stop_words import STOP_WORDS as DANISH_STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from referat.config import shipped_bytes
from referat.structure import load_styles, parse

STYLES_FILE = "structure.toml"


def register_extensions() -> None:
    """Doc._.meeting (header dict), Doc._.items (item dicts), Doc._.source_text (the text, see
    doc_text), Span._.value (entities), Span._.label and Span._.scores (items)."""
    for name, default in (("meeting", None), ("items", None), ("source_text", None)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name in ("value", "label", "scores"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


register_extensions()


def doc_text(doc: Doc) -> str:
    """The Doc's text. spaCy builds `doc.text` from the tokens on every access, which costs
    as much as a component's own work on a long text, so `referat.api.make_doc` hands the text
    in with the Doc (doc._.source_text); without it, it is built once here and kept."""
    text = doc._.source_text
    length = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
    if text is None or len(text) != length:
        text = doc.text
        doc._.source_text = text
    return text


def _char_span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span


def _token_at(doc: Doc, char: int) -> int:
    starts = [token.idx for token in doc]
    return max(0, bisect_right(starts, char) - 1)


class ConfigFileComponent:
    """A rule component configured by one file (`FILE`), which it saves in its own folder, so
    a saved pipeline carries its rules with it. `path` None means the file the package ships."""

    FILE = ""
    SHIPPED = ""

    def __init__(self, path: str | None):
        self.config_path = path
        self.configure(path)

    def configure(self, path: str | Path | None) -> None:
        raise NotImplementedError

    def to_disk(self, path, exclude=()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        source = Path(self.config_path) if self.config_path else None
        data = source.read_bytes() if source is not None and source.exists() else shipped_bytes(self.SHIPPED)
        (path / self.FILE).write_bytes(data)

    def from_disk(self, path, exclude=()):
        saved = Path(path) / self.FILE
        if saved.exists():
            self.config_path = str(saved)
            self.configure(saved)
        return self


class StructureComponent(ConfigFileComponent):
    """Finds header, items and sections with the house-style table; writes doc._.meeting,
    doc._.items, doc.spans["items"] and doc.spans["sections"]."""

    FILE = STYLES_FILE
    SHIPPED = "structure.toml"

    def __init__(self, nlp: Language, name: str, styles: str | None = None):
        self.name = name
        super().__init__(styles)

    def configure(self, path) -> None:
        self.styles = load_styles(path)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        structure = parse(text, self.styles)
        doc._.meeting = structure.meeting.to_dict()
        doc._.items = [item.to_dict() for item in structure.items]
        items, sections = [], []
        for item in structure.items:
            span = _char_span(doc, item.start, item.end, "item")
            if span is None:  # keep items and spans in step: the token at the item's start
                token = _token_at(doc, item.start)
                span = Span(doc, token, token + 1, label="item")
            items.append(span)
            for section in item.sections:
                section_span = _char_span(doc, section.start, section.end, section.name)
                if section_span is not None:
                    sections.append(section_span)
        doc.spans["items"] = SpanGroup(doc, name="items", spans=items)
        doc.spans["sections"] = SpanGroup(doc, name="sections", spans=sections)
        return doc


@Language.factory("referat_structure", default_config={"styles": None})
def make_structure(nlp: Language, name: str, styles: str | None) -> StructureComponent:
    return StructureComponent(nlp, name, styles)


# ------------------------------------------------------------------------------------------
# Entities: context rules, then normalised values


def _set_entities(doc: Doc, spans: list[tuple[int, int, str]]) -> None:
    """Add char spans to doc.ents, keeping the entities already there (they come first)."""
    from spacy.util import filter_spans

    existing = list(doc.ents)
    taken = {i for ent in existing for i in range(ent.start, ent.end)}
    added = []
    for start, end, label in spans:
        span = doc.char_span(start, end, label=label, alignment_mode="contract")
        if span is None or len(span) == 0 or any(i in taken for i in range(span.start, span.end)):
            continue
        added.append(span)
    doc.ents = filter_spans(existing + added)


RULES_KEY = "referat_rules"


class RulesComponent(ConfigFileComponent):
    """Amounts (referat.amounts), party names and letters in context, and the header's
    members as PERSON (referat.entity_rules): added to doc.ents without overwriting."""

    FILE = "context.toml"
    SHIPPED = "patterns/context.toml"

    def __init__(self, nlp: Language, name: str, context: str | None = None):
        self.name = name
        super().__init__(context)

    def configure(self, path) -> None:
        from referat.entity_rules import load_context_rules

        self.rules = load_context_rules(path)

    def __call__(self, doc: Doc) -> Doc:
        from referat.entity_rules import (amount_spans, member_spans, merge_spans, named_spans, org_spans,
                                          party_context_spans, party_name_spans)
        from referat.parties import default_table

        text = doc_text(doc)
        items = doc._.items or []
        headings = {item["start"] for item in items}
        limit = items[0]["start"] if items else len(text)
        meeting = doc._.meeting or {}
        names = [m["name"] for group in ("members", "absent") for m in meeting.get(group, [])]
        local_codes = {m["party"] for m in meeting.get("members", []) if m.get("party")}
        spans = merge_spans(
            amount_spans(text, self.rules),
            party_context_spans(text, default_table(), self.rules, headings, local_codes),
            member_spans(text, names, limit),
            party_name_spans(text, default_table()),
            named_spans(text, self.rules),
            org_spans(text, self.rules),
        )
        _set_entities(doc, spans)
        # what the rules found is kept as it is by the normaliser's tidying
        doc.spans[RULES_KEY] = [ent for ent in doc.ents]
        return doc


@Language.factory("referat_rules", default_config={"context": None})
def make_rules(nlp: Language, name: str, context: str | None) -> RulesComponent:
    return RulesComponent(nlp, name, context)


_LOWER_WORD = re.compile(r"(?<![\w])[a-zæøåéü]{3,}(?![\w])")


class NormaliseComponent:
    """Tidies the entities and gives them values.

    Spans the rules found are kept as they are and their names are looked for elsewhere
    first; the statistical NER's spans are tidied (referat.entity_tidy) and fill in around
    them; short forms in brackets take their long form's label. Then span._.value: whole
    kroner for AMOUNT (an amount that cannot be read is dropped, so a case number never passes
    for money), the party's name for PARTY, and for a PERSON printed with a party letter
    ("Anne Holm (A)") that party's name. `common_words` (learnt from the training corpus)
    are ordinary words that a one-word ORG or PROGRAMME cannot be."""

    WORDS_FILE = "common_words.txt"

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self.common_words: frozenset[str] = frozenset()

    def __call__(self, doc: Doc) -> Doc:
        from referat.amounts import parse_amount
        from referat.entity_rules import is_generic_org, merge_spans
        from referat.entity_tidy import abbreviations, committee_abbreviations, propagate, tidy, vote_labels
        from referat.parties import default_table

        parties = default_table()
        text = doc_text(doc)
        ruled_keys = {(span.start_char, span.end_char) for span in doc.spans.get(RULES_KEY, [])}
        ruled, predicted = [], []
        for ent in doc.ents:
            span = (ent.start_char, ent.end_char, ent.label_)
            (ruled if span[:2] in ruled_keys else predicted).append(span)
        # ordinary words: the corpus's, spaCy's Danish stop words, and every word this very
        # text also prints in lower case ("Borgeren" starts a sentence, "borgeren" is common)
        ordinary = self.common_words | DANISH_STOP_WORDS | set(_LOWER_WORD.findall(text))
        # a party letter counts only where the rules saw it beside a name or in a vote
        predicted = tidy(text, predicted, is_generic=is_generic_org,
                         is_party=lambda surface: len(surface) > 1 and parties.name(surface) is not None,
                         common_words=ordinary)
        spans = merge_spans(ruled, propagate(text, ruled), vote_labels(text, predicted))
        spans = merge_spans(spans, abbreviations(text, spans), committee_abbreviations(text, spans))
        spans = merge_spans(spans, propagate(text, spans))
        doc.ents = []
        _set_entities(doc, spans)
        kept = []
        for ent in doc.ents:
            if ent.label_ == "AMOUNT":
                value = parse_amount(ent.text)
                if value is None:
                    continue
                ent._.value = value
            elif ent.label_ == "PARTY":
                ent._.value = parties.name(ent.text) or ent.text  # a local list's letter stands for itself
            kept.append(ent)
        if len(kept) != len(doc.ents):
            doc.ents = kept
        ents = list(doc.ents)
        for index, ent in enumerate(ents[:-1]):
            following = ents[index + 1]
            if ent.label_ == "PERSON" and following.label_ == "PARTY":
                between = text[ent.end_char:following.start_char]
                if between.strip(" \t\u00a0(,–-") == "":
                    ent._.value = following._.value
        return doc

    def to_disk(self, path, exclude=()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / self.WORDS_FILE).write_text("\n".join(sorted(self.common_words)), encoding="utf-8")

    def from_disk(self, path, exclude=()):
        words = Path(path) / self.WORDS_FILE
        if words.exists():
            self.common_words = frozenset(words.read_text(encoding="utf-8").split())
        return self


@Language.factory("referat_normalise")
def make_normalise(nlp: Language, name: str) -> NormaliseComponent:
    return NormaliseComponent(nlp, name)


# ------------------------------------------------------------------------------------------
# Item labels


def _release(doc: Doc) -> Doc:
    """The last step drops what nothing after the pipeline reads: the tok2vec tensor and the
    cached text. A Doc sent back from a worker process (`n_process`) is then a third the size."""
    doc._.source_text = None
    if doc.tensor is not None and doc.tensor.size:
        doc.tensor = doc.tensor[:0]
    return doc


class ItemClassifierComponent:
    """Labels every item in doc.spans["items"] with the fitted classifier: span._.label and
    span._.scores (a probability per label). With no model it leaves items unlabelled."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self.model = None
        self._styles = load_styles()

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs, batch_size: int = 32):
        """Label the items of a batch of docs with one call to the model (its per-call cost is
        larger than the cost per item)."""
        from spacy.util import minibatch

        from referat.classifier import item_parts

        for batch in minibatch(docs, size=batch_size):
            if self.model is None:
                yield from map(_release, batch)
                continue
            parts, owners = [], []
            for doc in batch:
                items = doc._.items or []
                if not items or "items" not in doc.spans:
                    continue
                text = doc_text(doc)
                for span, item in zip(doc.spans["items"], items):
                    parts.append(item_parts(text, item["start"], item["end"], item["title"], self._styles,
                                            sections=item["sections"]))
                    owners.append(span)
            if parts:
                for span, row in zip(owners, self.model.predict_proba(parts)):
                    scores = {label: round(float(p), 4) for label, p in zip(self.model.labels, row)}
                    span._.scores = scores
                    span._.label = max(scores, key=scores.get)
            yield from map(_release, batch)

    def to_disk(self, path, exclude=()):
        if self.model is not None:
            self.model.save(path)
        else:
            Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path, exclude=()):
        from referat.classifier import MODEL_FILE, ItemClassifier

        if (Path(path) / MODEL_FILE).exists():
            self.model = ItemClassifier.load(path, apply_only=True)
        return self


@Language.factory("referat_item_classifier")
def make_item_classifier(nlp: Language, name: str) -> ItemClassifierComponent:
    return ItemClassifierComponent(nlp, name)
