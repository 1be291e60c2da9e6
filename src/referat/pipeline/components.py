"""The registered spaCy components of `referat` and the Doc/Span extensions they write.

Thin wrappers: the rules live in referat.structure and referat.entities, the model in
referat.classify. Each component's data comes in through `initialize` and is saved in its own
folder (`to_disk`/`from_disk`, `to_bytes`/`from_bytes`), as spaCy's SpanRuler does; the tables
that several components read (the lexicon and the parties) are in the vocabulary, see
referat.lexicon. Every extension is registered here, in one place, when
this module is imported (spaCy imports it through the entry points in pyproject.toml).
"""

from __future__ import annotations

import json
import re
import tempfile
from bisect import bisect_right
from pathlib import Path

from spacy.lang.da.stop_words import STOP_WORDS as DANISH_STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from referat.errors import ModelError
from referat.lexicon import Lexicon
from referat.structure import parse, parse_meetings
from referat.structure.styles import FILE as STYLES_FILE, StyleTable


def register_extensions() -> None:
    """Doc._.meeting (header dict), Doc._.items (item dicts), Doc._.source_text (the text, see
    doc_text), Doc._.hint (what the file's format states, or a piece's structure, see
    StructureComponent), Span._.value (entities), Span._.label and Span._.scores (items)."""
    for name, default in (("meeting", None), ("items", None), ("source_text", None), ("hint", None)):
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


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _pack_folder(write) -> bytes:
    """A component's `to_disk` output as bytes: every file of the folder `write(folder)` fills."""
    import srsly

    with tempfile.TemporaryDirectory() as folder:
        write(Path(folder))
        files = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(Path(folder).rglob("*")) if p.is_file()}
    return srsly.msgpack_dumps(files)


def _unpack_folder(data: bytes, read) -> None:
    """The reverse of `_pack_folder`: lay the files out again and `read(folder)` them."""
    import srsly

    files = srsly.msgpack_loads(data)
    with tempfile.TemporaryDirectory() as folder:
        for name, content in files.items():
            path = Path(folder) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        read(Path(folder))


class FolderBytes:
    """`to_bytes`/`from_bytes` for a component whose `to_disk` writes files: the files, packed."""

    def to_bytes(self, exclude=()):
        return _pack_folder(self.to_disk)

    def from_bytes(self, data: bytes, exclude=()):
        _unpack_folder(data, self.from_disk)
        return self


class DataComponent:
    """A rule component whose data (a dict) comes in through `initialize` and is saved in its
    own folder as `FILE` (JSON), as spaCy's SpanRuler saves its patterns; the config holds no
    path. `to_bytes`/`from_bytes` carry the same dict."""

    FILE = ""
    KEY = "data"

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self.data: dict | None = None
        self._compiled = None

    def initialize(self, get_examples=None, *, nlp: Language | None = None, data: dict | None = None) -> None:
        """Take the component's data (e.g. a parsed configs/ TOML file)."""
        if data is None:
            raise ValueError(f"{self.name}: initialize needs data=...")
        self.data = data
        self._compiled = None

    def compiled(self, doc: Doc):
        """The data compiled for this Doc's vocabulary (which carries the lexicon)."""
        return self.compiled_for(Lexicon.of_vocab(doc.vocab))

    def compiled_for(self, lexicon: Lexicon):
        """The data compiled with this lexicon (compiled once, again only for another lexicon)."""
        if self.data is None:
            raise ModelError(f"the {self.name} component has no data: it was not initialised; "
                             "build pipelines with referat.pipeline.assemble.build_pipeline or `referat train`")
        if self._compiled is None or self._compiled[0] is not lexicon:
            self._compiled = (lexicon, self.compile(self.data, lexicon))
        return self._compiled[1]

    def compile(self, data: dict, lexicon: Lexicon):
        raise NotImplementedError

    def to_disk(self, path, exclude=()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.data is not None:
            _write_json(path / self.FILE, self.data)

    def from_disk(self, path, exclude=()):
        saved = Path(path) / self.FILE
        if saved.exists():
            self.data = _read_json(saved)
            self._compiled = None
        return self

    def to_bytes(self, exclude=()):
        import srsly

        return srsly.msgpack_dumps({self.KEY: self.data})

    def from_bytes(self, data: bytes, exclude=()):
        import srsly

        self.data = srsly.msgpack_loads(data)[self.KEY]
        self._compiled = None
        return self


class StructureComponent(DataComponent):
    """Finds header, items and sections with the house-style table (configs/structure.toml,
    saved as styles.json); writes doc._.meeting, doc._.items, doc.spans["items"] and
    doc.spans["sections"]."""

    FILE = STYLES_FILE
    KEY = "styles"

    def compile(self, data: dict, lexicon: Lexicon):
        return StyleTable.from_dict(data)

    def __call__(self, doc: Doc) -> Doc:
        hint = doc._.hint or {}
        if hint.get("final"):  # a piece of a meeting whose structure was found on the whole text
            meeting, items = hint["meeting"], hint["items"]
        else:
            structure = self.structure(doc_text(doc), Lexicon.of_vocab(doc.vocab), hint)
            meeting = structure.meeting.to_dict()
            items = [item.to_dict() for item in structure.items]
        doc._.meeting = meeting
        doc._.items = items
        spans, sections = [], []
        for item in items:
            span = _char_span(doc, item["start"], item["end"], "item")
            if span is None:  # keep items and spans in step: the token at the item's start
                token = _token_at(doc, item["start"])
                span = Span(doc, token, token + 1, label="item")
            spans.append(span)
            for section in item["sections"]:
                section_span = _char_span(doc, section["start"], section["end"], section["name"])
                if section_span is not None:
                    sections.append(section_span)
        doc.spans["items"] = SpanGroup(doc, name="items", spans=spans)
        doc.spans["sections"] = SpanGroup(doc, name="sections", spans=sections)
        return doc

    def meetings(self, text: str, lexicon: Lexicon) -> list[tuple[int, int, object]]:
        """(start, end, structure) of each meeting the text holds (referat.structure.parse_meetings)."""
        return parse_meetings(text, self.compiled_for(lexicon), lexicon)

    def structure(self, text: str, lexicon: Lexicon, hint: dict | None = None):
        """The header and items of a text (referat.structure.parse with this component's
        styles); `hint` holds what the file's format states (`items`, `meeting`)."""
        hint = hint or {}
        return parse(text, self.compiled_for(lexicon), lexicon, items=hint.get("items"), meeting=hint.get("meeting"))


@Language.factory("referat_structure")
def make_structure(nlp: Language, name: str) -> StructureComponent:
    return StructureComponent(nlp, name)


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


class RulesComponent(DataComponent):
    """Amounts (referat.entities.amounts), party names and letters in context, and the header's
    members as PERSON (referat.entities.rules): added to doc.ents without overwriting. Its data
    is configs/patterns/context.toml, saved as context.json."""

    FILE = "context.json"
    KEY = "context"

    def compile(self, data: dict, lexicon: Lexicon):
        from referat.entities.rules import ContextRules

        return ContextRules.from_dict(data, lexicon)

    def __call__(self, doc: Doc) -> Doc:
        from referat.entities.rules import (amount_spans, member_spans, merge_spans, named_spans, org_spans,
                                            party_context_spans, party_name_spans)

        rules = self.compiled(doc)
        parties = Lexicon.of_vocab(doc.vocab).parties
        text = doc_text(doc)
        items = doc._.items or []
        headings = {item["start"] for item in items}
        # the members' names count up to the first item, as the normaliser then finds them again
        # everywhere; a piece of a meeting (see referat.segments) has no header of its own
        piece = (doc._.hint or {}).get("final", False)
        limit = len(text) if piece or not items else items[0]["start"]
        meeting = doc._.meeting or {}
        names = [m["name"] for group in ("members", "absent") for m in meeting.get(group, [])]
        local_codes = {m["party"] for m in meeting.get("members", []) if m.get("party")}
        spans = merge_spans(
            amount_spans(text, rules),
            party_context_spans(text, parties, rules, headings, local_codes),
            member_spans(text, names, limit),
            party_name_spans(text, parties),
            named_spans(text, rules),
            org_spans(text, rules),
        )
        _set_entities(doc, spans)
        # what the rules found is kept as it is by the normaliser's tidying
        doc.spans[RULES_KEY] = [ent for ent in doc.ents]
        return doc


@Language.factory("referat_rules")
def make_rules(nlp: Language, name: str) -> RulesComponent:
    return RulesComponent(nlp, name)


_LOWER_WORD = re.compile(r"(?<![\w])[a-zæøåéü]{3,}(?![\w])")


class NormaliseComponent(FolderBytes):
    """Tidies the entities and gives them values.

    Spans the rules found are kept as they are and their names are looked for elsewhere
    first; the statistical NER's spans are tidied (referat.entities.tidy) and fill in around
    them; short forms in brackets take their long form's label. Then span._.value: whole
    kroner for AMOUNT (an amount that cannot be read is dropped, so a case number never passes
    for money), the party's name for PARTY, for a PERSON printed with a party letter
    ("Anne Holm (A)") that party's name and else the party of the meeting's member of that
    name, and for ORG and PROGRAMME the name's canonical form (referat.entities.canonical:
    basic form, short forms linked to long ones). `common_words` (learnt from the training corpus)
    are ordinary words that a one-word ORG or PROGRAMME cannot be."""

    WORDS_FILE = "common_words.txt"

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self.common_words: frozenset[str] = frozenset()

    def __call__(self, doc: Doc) -> Doc:
        from referat.entities.amounts import parse_amount
        from referat.entities.canonical import NAMED_LABELS, member_parties, name_values, person_party
        from referat.entities.rules import is_generic_org, merge_spans
        from referat.entities.tidy import abbreviations, committee_abbreviations, propagate, tidy, vote_labels

        lexicon = Lexicon.of_vocab(doc.vocab)
        parties = lexicon.parties
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
        predicted = tidy(text, predicted, is_generic=lambda surface: is_generic_org(surface, lexicon),
                         is_party=lambda surface: len(surface) > 1 and parties.name(surface) is not None,
                         common_words=ordinary, leading_words=lexicon.leading_words,
                         not_name_start=lexicon.not_name_start, document_endings=lexicon.document_endings,
                         file_suffixes=lexicon.file_suffixes, joining_words=lexicon.name_joining_words)
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
        names = name_values(text, [(e.start_char, e.end_char, e.label_) for e in ents], lexicon.genitive_endings)
        members = member_parties((doc._.meeting or {}).get("members", []))
        for index, ent in enumerate(ents):
            if ent.label_ in NAMED_LABELS:
                ent._.value = names[(ent.start_char, ent.end_char)]
            elif ent.label_ == "PERSON":
                following = ents[index + 1] if index + 1 < len(ents) else None
                if (following is not None and following.label_ == "PARTY"
                        and not text[ent.end_char:following.start_char].strip(" \t\u00a0(,–-")):
                    ent._.value = following._.value  # "Anne Holm (A)"
                else:
                    ent._.value = person_party(ent.text, members)  # a member named without a letter
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
# Decisions and votes


class DecisionsComponent(DataComponent):
    """Each item's decisions (referat.entities.decisions): outcome, votes, dissent and absent
    members, one per deciding body, written into the item dicts of doc._.items ("decisions").
    Its data is configs/decisions.toml, saved as rules.json."""

    FILE = "rules.json"
    KEY = "rules"

    def compile(self, data: dict, lexicon: Lexicon):
        from referat.entities.decisions import DecisionRules

        return DecisionRules.from_dict(data)

    def __call__(self, doc: Doc) -> Doc:
        items = doc._.items or []
        if not items:
            return doc
        doc._.items = self.decide(doc_text(doc), items, doc._.meeting or {}, doc.vocab)
        return doc

    def decide(self, text: str, items: list[dict], meeting: dict, vocab) -> list[dict]:
        """The items with their decisions (offsets into `text`)."""
        from referat.entities.decisions import extract_decisions

        lexicon = Lexicon.of_vocab(vocab)
        rules = self.compiled_for(lexicon)
        members = meeting.get("members", [])
        return [{**item, "decisions": extract_decisions(text, item, rules, members=members,
                                                        parties=lexicon.parties)} for item in items]


@Language.factory("referat_decisions")
def make_decisions(nlp: Language, name: str) -> DecisionsComponent:
    return DecisionsComponent(nlp, name)


# ------------------------------------------------------------------------------------------
# Item labels


def _release(doc: Doc) -> Doc:
    """The last step drops what nothing after the pipeline reads: the tok2vec tensor and the
    cached text. A Doc sent back from a worker process (`n_process`) is then a third the size."""
    doc._.source_text = None
    if doc.tensor is not None and doc.tensor.size:
        doc.tensor = doc.tensor[:0]
    return doc


class ItemClassifierComponent(FolderBytes):
    """Labels every item in doc.spans["items"] with the fitted classifier: span._.label and
    span._.scores (a probability per label). With no model it leaves items unlabelled."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self.model = None
        self._files: dict[str, bytes] = {}

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs, batch_size: int = 32):
        """Label the items of a batch of docs with one call to the model (its per-call cost is
        larger than the cost per item)."""
        from spacy.util import minibatch

        from referat.classify.classifier import item_parts

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
                    parts.append(item_parts(text, item["start"], item["end"], item["title"],
                                            sections=item["sections"]))
                    owners.append(span)
            for span, (label, scores) in zip(owners, self.score(parts)):
                span._.label, span._.scores = label, scores
            yield from map(_release, batch)

    def score(self, parts: list[dict]) -> list[tuple[str | None, dict[str, float]]]:
        """(label, probability per label) for items' parts (referat.classify.item_parts)."""
        if self.model is None or not parts:
            return [(None, {}) for _ in parts]
        found = []
        for row in self.model.predict_proba(parts):
            scores = {label: round(float(p), 4) for label, p in zip(self.model.labels, row)}
            found.append((max(scores, key=scores.get), scores))
        return found

    def label_items(self, text: str, items: list[dict]) -> list[tuple[str | None, dict[str, float]]]:
        """Labels for items of a whole text (used where an item is longer than one piece)."""
        from referat.classify.classifier import item_parts

        return self.score([item_parts(text, item["start"], item["end"], item["title"], sections=item["sections"])
                           for item in items])

    def to_disk(self, path, exclude=()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.model is not None and self.model.pipeline is not None:
            self.model.save(path)
        else:  # loaded for use only: save the files it was loaded from, unchanged
            for name, content in self._files.items():
                (path / name).write_bytes(content)

    def from_disk(self, path, exclude=()):
        from referat.classify.classifier import MODEL_FILE, ItemClassifier

        path = Path(path)
        if (path / MODEL_FILE).exists():
            self.model = ItemClassifier.load(path, apply_only=True)
            self._files = {file.name: file.read_bytes() for file in path.iterdir() if file.is_file()}
        return self


@Language.factory("referat_item_classifier")
def make_item_classifier(nlp: Language, name: str) -> ItemClassifierComponent:
    return ItemClassifierComponent(nlp, name)
