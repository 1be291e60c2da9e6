"""The registered spaCy components of `referat` and the Doc/Span extensions they write.

Thin wrappers: the rules live in referat.structure, referat.amounts and referat.parties,
the model in referat.classifier. Every extension is registered here, in one place, when
this module is imported (spaCy imports it through the entry points in pyproject.toml).
"""

from __future__ import annotations

import shutil
from bisect import bisect_right
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from referat.structure import load_styles, parse

STYLES_FILE = "structure.toml"


def register_extensions() -> None:
    """Doc._.meeting (header dict), Doc._.items (item dicts), Span._.value/label/scores."""
    for name, default in (("meeting", None), ("items", None), ("model", None)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name in ("value", "label", "scores"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


register_extensions()


def _char_span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span


def _token_at(doc: Doc, char: int) -> int:
    starts = [token.idx for token in doc]
    return max(0, bisect_right(starts, char) - 1)


class StructureComponent:
    """Finds header, items and sections with the house-style table; writes doc._.meeting,
    doc._.items, doc.spans["items"] and doc.spans["sections"]."""

    def __init__(self, nlp: Language, name: str, styles: str | None = None):
        self.name = name
        self.styles_path = styles
        self.styles = load_styles(styles)

    def __call__(self, doc: Doc) -> Doc:
        structure = parse(doc.text, self.styles)
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

    def to_disk(self, path, exclude=()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        source = Path(self.styles_path) if self.styles_path else None
        if source is not None and source.exists():
            shutil.copyfile(source, path / STYLES_FILE)
        else:
            from importlib import resources
            (path / STYLES_FILE).write_bytes(
                resources.files("referat").joinpath("data/structure.toml").read_bytes())

    def from_disk(self, path, exclude=()):
        styles = Path(path) / STYLES_FILE
        if styles.exists():
            self.styles = load_styles(styles)
            self.styles_path = str(styles)
        return self


@Language.factory("referat_structure", default_config={"styles": None})
def make_structure(nlp: Language, name: str, styles: str | None) -> StructureComponent:
    return StructureComponent(nlp, name, styles)
