"""The public calls: load a pipeline, analyse one text, analyse many."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from functools import lru_cache, partial
from pathlib import Path

import spacy
from spacy.language import Language

from referat.pipeline import components  # noqa: F401  (registers the factories and extensions)
from referat.analysis import NOT_MINUTES, Analysis, Entity, Item, ItemPositions, Meeting
from referat.errors import ModelError
from referat.pipeline import tokenizer_cache
from referat.pipeline.assemble import MAX_TEXT_LENGTH
from referat.resources import shipped_model_path
from referat.segments import MAX_SEGMENT_CHARS, Segment, plan_segments, shift_item
from referat.io.text import check_text

MODEL_VARIABLE = "REFERAT_MODEL"
#: the name `load` takes for the pipeline with the structure component only (no entities, no labels)
STRUCTURE_ONLY = "structure"


def default_model_path() -> Path:
    """The pipeline `load()` uses: $REFERAT_MODEL if set, else the one installed with the package."""
    configured = os.environ.get(MODEL_VARIABLE)
    return Path(configured) if configured else shipped_model_path()


def structure_pipeline() -> Language:
    """A pipeline with the structure component only (no entity or label models), its data and
    the lexicon taken from the shipped pipeline."""
    from referat.lexicon import Lexicon
    from referat.resources import shipped_component_data
    from referat.structure.styles import COMPONENT, FILE

    nlp = spacy.blank("da")
    Lexicon.shipped().add_to(nlp.vocab)
    nlp.add_pipe("referat_structure").initialize(data=shipped_component_data(COMPONENT, FILE))
    nlp.meta["name"] = "structure_only"
    nlp.max_length = MAX_TEXT_LENGTH
    return nlp


@lru_cache(maxsize=4)
def _load_path(path: str) -> Language:
    if not Path(path).exists():
        hint = ("reinstall referat (python -m pip install referat) to get the shipped pipeline back"
                if Path(path) == shipped_model_path() else
                f"give the folder of a pipeline made by `referat train`, or unset ${MODEL_VARIABLE} "
                "to use the shipped one")
        raise ModelError(f"no pipeline at {path}: {hint}")
    try:
        nlp = spacy.load(path)
    except (OSError, ValueError, KeyError) as error:
        raise ModelError(f"could not load the pipeline at {path}: {error}") from error
    nlp.max_length = MAX_TEXT_LENGTH
    return nlp


def load(model: str | Path | Language | None = None, *, base: str | Path | None = None) -> Language:
    """The spaCy pipeline that `analyse` runs: a loaded Language is used as it is, a path
    is loaded (once, then cached), None gives the default (see `default_model_path`), and
    "structure" the structure-only pipeline. A pipeline that cannot be found is a ModelError,
    never a silent fallback.

    `base="dacy"` (or the name or folder of an installed DaCy pipeline) puts that pipeline's
    PER/ORG predictions in front of referat's own components; see `referat.pipeline.dacy`.
    """
    if isinstance(model, Language):
        return model
    if str(model) == STRUCTURE_ONLY and not Path(STRUCTURE_ONLY).exists():
        return _structure_only()
    path = Path(model) if model is not None else default_model_path()
    if base is not None:
        from referat.pipeline.dacy import with_base

        return with_base(str(base), str(path.resolve()))
    return _load_path(str(path.resolve()))


@lru_cache(maxsize=1)
def _structure_only() -> Language:
    return structure_pipeline()


def model_info(nlp: Language) -> dict[str, str]:
    return {"name": f"{nlp.meta.get('lang', 'da')}_{nlp.meta.get('name', 'pipeline')}",
            "version": str(nlp.meta.get("version", "0.0.0"))}


def make_doc(nlp: Language, text: str, hint: dict | None = None):
    """The tokenised Doc, carrying its text for referat's components (spaCy would otherwise
    rebuild `doc.text` from the tokens in the first component that reads it) and, in `hint`,
    what the file's format states or the piece's structure (see StructureComponent)."""
    doc = nlp.make_doc(text)
    doc._.source_text = text
    doc._.hint = hint
    return doc


def as_document(source, name: str | None = None):
    """A referat.io Document for a text or a Document (a text is checked: not empty)."""
    from referat.io.document import Document

    if isinstance(source, Document):
        check_text(source.text, source.name or name or "the document")
        return source
    check_text(source, name or "the text")
    return Document(text=source, format="text", name=name)


def _meetings(nlp: Language, document) -> list[tuple[int, int, object]]:
    """(start, end, structure) of each meeting in a Document, the structure's offsets into the
    whole text. Stated items (FirstAgenda) make one meeting; a text is split where a new
    header starts the numbering again (referat.structure.meetings)."""
    from referat.lexicon import Lexicon

    lexicon = Lexicon.of_vocab(nlp.vocab)
    component = nlp.get_pipe("referat_structure")
    text = document.text
    if document.items is not None or document.meeting:
        hint = {"items": document.items, "meeting": document.meeting}
        return [(0, len(text), component.structure(text, lexicon, hint))]
    return component.meetings(text, lexicon)


def analyse_document(nlp: Language, document, *, max_chars: int = MAX_SEGMENT_CHARS,
                     batch_size: int = 16) -> list[Analysis]:
    """Every meeting in a Document, analysed in pieces of at most `max_chars` (see
    referat.segments): the structure is found on the whole text, the pipeline sees one piece
    at a time, and the pieces' entities and labels are joined with their offsets (into the
    Document's text)."""
    return list(iter_analyses(nlp, document, max_chars=max_chars, batch_size=batch_size))


def iter_analyses(nlp: Language, document, *, max_chars: int = MAX_SEGMENT_CHARS,
                  batch_size: int = 16) -> Iterator[Analysis]:
    """`analyse_document` one meeting at a time: a file that holds a year of meetings need not
    have all their results in memory at once."""
    for analysis, run in stream_meetings(nlp, document, max_chars=max_chars, batch_size=batch_size):
        run(analysis.items.append, analysis.entities.extend)
        yield analysis


def stream_meetings(nlp: Language, document, *, max_chars: int = MAX_SEGMENT_CHARS,
                    batch_size: int = 16) -> Iterator[tuple[Analysis, Callable]]:
    """Each meeting of a Document as its Analysis without items or entities, and a function
    `run(on_item, on_entities)` that analyses it: each Item is handed to `on_item` as soon as
    its last piece is analysed, each piece's Entities (placed in their items) to
    `on_entities`, in the text's order; then the Analysis's warnings are completed. Nothing of
    a finished item is kept, so a meeting of a hundred thousand items can be written out as it
    is analysed (referat.engines.per_file)."""
    meetings = _meetings(nlp, document)
    meetings.reverse()
    while meetings:
        begin, finish, structure = meetings.pop()
        items, structure.items = structure.items, []  # the meeting's items are let go as they are handed on
        analysis = Analysis(meeting=structure.meeting, format=document.format,
                            warnings=list(document.warnings), model=model_info(nlp))
        yield analysis, partial(_run_meeting, nlp, document, analysis, begin, finish, items, max_chars, batch_size)
        del items


def _run_meeting(nlp: Language, document, analysis: Analysis, begin: int, finish: int, items: list[Item],
                 max_chars: int, batch_size: int, on_item: Callable, on_entities: Callable) -> None:
    if not _analyse_meeting(nlp, document, analysis.meeting.to_dict(), begin, finish, items, max_chars,
                            batch_size, on_item, on_entities):
        analysis.warnings.append(NOT_MINUTES)


def _analyse_meeting(nlp: Language, document, meeting: dict, begin: int, finish: int, items: list[Item],
                     max_chars: int, batch_size: int, on_item: Callable, on_entities: Callable) -> int:
    """Analyse the meeting text[begin:finish] whose structure is `meeting` and `items` (offsets
    into the Document's text), handing its results on as they are made; the number of items.
    Each entry of `items` is set to None once its Item is handed on."""
    text = document.text
    positions = ItemPositions(items)
    bounds = [(start - begin, min(end, finish) - begin) for start, end in zip(positions.starts, positions.ends)]
    segments = [Segment(s.start + begin, s.end + begin, s.item) for s in plan_segments(text[begin:finish], bounds, max_chars)]
    del bounds
    opened: dict[int, tuple] = {}  # item index -> (label, scores, decisions, whether longer than its piece)
    done = 0  # items handed on

    def piece(s: Segment):
        return make_doc(nlp, text[s.start:s.end], {
            "final": True, "meeting": meeting,
            "items": [shift_item(items[s.item].to_dict(), s.start, s.end)] if s.item is not None else []})

    def hand_on(until: int) -> None:
        """Hand on the items that end by `until` (all their pieces analysed). An item longer
        than one piece, or that no piece opens, is labelled and decided on its whole text."""
        nonlocal done
        while done < len(items) and positions.ends[done] <= until:
            item, items[done] = items[done], None
            label, scores, decisions, longer = opened.pop(done, (None, {}, [], True))
            if longer:
                label, scores, decisions = _whole_item(nlp, text, meeting, item.to_dict(), label, scores, decisions)
            item.label, item.scores, item.decisions = label, scores, decisions
            if decisions:
                item.decision = decisions[-1]["text"]
            item.page = document.page_of(item.start)
            on_item(item)
            done += 1

    with closing(_pipe_by_size(nlp, piece, segments, batch_size, max_chars)) as pieces:  # its zone ends here
        for segment, doc in pieces:
            on_entities(positions.place([
                Entity(label=ent.label_, text=ent.text, start=segment.start + ent.start_char,
                       end=segment.start + ent.end_char, value=ent._.value) for ent in doc.ents]))
            if segment.item is not None:
                label, scores, decisions = None, {}, []
                if "items" in doc.spans and len(doc.spans["items"]):
                    span = doc.spans["items"][0]
                    label, scores = span._.label, dict(span._.scores or {})
                    decisions = [_shift_decision(d, segment.start) for d in doc._.items[0].get("decisions", [])]
                opened[segment.item] = (label, scores, decisions, segment.end < positions.ends[segment.item])
            hand_on(segment.end)
    hand_on(len(text))
    return len(items)


#: the most characters analysed in one spaCy memory zone (see _pipe_by_size)
ZONE_CHARS = 2_000_000
#: id(nlp) -> the zone held open across texts (see hold_zone)
_HELD_ZONES: dict[int, "_HeldZone"] = {}


class _HeldZone:
    """A spaCy memory zone kept open across batches, renewed every ZONE_CHARS characters."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.characters = 0
        self.zone = nlp.memory_zone()
        self.zone.__enter__()

    def account(self, characters: int) -> None:
        """Count a batch about to run: renew the zone first where it would pass ZONE_CHARS
        (between batches, when no Doc of it is alive)."""
        if self.characters and self.characters + characters > ZONE_CHARS:
            self.close()
            self.zone = self.nlp.memory_zone()
            self.zone.__enter__()
            self.characters = 0
        self.characters += characters

    def close(self) -> None:
        self.zone.__exit__(None, None, None)


def hold_zone(nlp: Language, *, fill: bool = True) -> None:
    """Keep one spaCy memory zone open across the texts this process analyses with `nlp`,
    renewed every ZONE_CHARS characters (between batches, when no Doc is alive): what the
    per-file function of a batch calls, so that the words minutes share are made once per two
    million characters, not once per file. Only for a pipeline nothing else holds Docs of.
    With `fill`, the tokenizer's cache is filled first (referat.pipeline.tokenizer_cache)."""
    if id(nlp) not in _HELD_ZONES:
        if fill:
            tokenizer_cache.fill(nlp)
        _HELD_ZONES[id(nlp)] = _HeldZone(nlp)


def release_zone(nlp: Language) -> None:
    """Close the zone `hold_zone` keeps for `nlp`, if there is one (the end of a batch)."""
    held = _HELD_ZONES.pop(id(nlp), None)
    if held is not None:
        held.close()


def _pipe_by_size(nlp: Language, piece, segments: list[Segment], batch_size: int, max_chars: int):
    """(segment, Doc) of every piece, through the pipeline in batches of at most `batch_size`
    pieces and about `max_chars` characters: sixteen short items go together, long pieces one
    at a time (tok2vec needs about 6 KB per token of a batch: a batch of sixteen
    100,000-character pieces takes gigabytes).

    The batches run inside spaCy memory zones of up to ZONE_CHARS characters, so the words a
    text brings (new lexemes and the tokenizer's cache of them, some 500 bytes each) are freed
    once its Docs are read: without a zone a process's memory grows with every distinct number,
    case number and name of every text it has read. The zone is the one `hold_zone` keeps open
    across files, or else one held for this text alone. Zones are not made smaller: the words a
    text repeats are made again in every zone (a zone per batch costs 10 % of the speed). A Doc
    is valid only until the next one is asked for."""
    own = id(nlp) not in _HELD_ZONES
    if own:
        hold_zone(nlp, fill=sum(s.end - s.start for s in segments) >= tokenizer_cache.REPAID_CHARS)
    held = _HELD_ZONES[id(nlp)]
    try:
        for group in _batches(segments, batch_size, max_chars):
            held.account(sum(segment.end - segment.start for segment in group))
            yield from zip(group, nlp.pipe((piece(s) for s in group), batch_size=len(group)))
    finally:
        if own:
            release_zone(nlp)


def _batches(segments: list[Segment], batch_size: int, max_chars: int) -> Iterator[list[Segment]]:
    group: list[Segment] = []
    size = 0
    for segment in segments:
        length = segment.end - segment.start
        if group and (len(group) >= batch_size or size + length > max_chars):
            yield group
            group, size = [], 0
        group.append(segment)
        size += length
    if group:
        yield group


def _whole_item(nlp: Language, text: str, meeting: dict, item: dict, label, scores, decisions) -> tuple:
    """(label, scores, decisions) of an item read on its whole text (where the pipeline has the
    component), those of its first piece otherwise."""
    if "referat_item_classifier" in nlp.pipe_names:
        label, scores = nlp.get_pipe("referat_item_classifier").label_items(text, [item])[0]
    if "referat_decisions" in nlp.pipe_names:
        decisions = nlp.get_pipe("referat_decisions").decide(text, [item], meeting, nlp.vocab)[0]["decisions"]
    return label, scores, decisions


def _shift_decision(decision: dict, offset: int) -> dict:
    """A decision found in a piece, its offsets moved into the whole text."""
    moved = dict(decision)
    for key in ("start", "end"):
        if isinstance(moved.get(key), int):
            moved[key] += offset
    return moved


def analyse(source, *, model: str | Path | Language | None = None) -> Analysis:
    """Header, items (with sections, label and scores) and entities of one meeting's minutes.

    `source` is the text, or a referat.io Document (see `analyse_file` for files). Raises
    `referat.EmptyTextError` (a `ReferatError`) for an empty or blank text. A text that is not
    minutes gives an Analysis with no items and a warning. A text that holds several meetings
    gives the first, with a warning that says how many there are.
    """
    document = as_document(source)
    analyses = analyse_document(load(model), document)
    first = analyses[0]
    if len(analyses) > 1:
        first.warnings.append(f"the text holds {len(analyses)} meetings; this is the first "
                              "(referat.analyse_all or `referat batch` gives one record each)")
    return first


def analyse_all(source, *, model: str | Path | Language | None = None) -> list[Analysis]:
    """Every meeting in a text or Document (a file may hold a year of minutes)."""
    return analyse_document(load(model), as_document(source))


def analyse_file(path: str | Path, *, model: str | Path | Language | None = None) -> Analysis:
    """The first meeting of a file in any format referat reads (PDF, HTML, Word, FirstAgenda
    JSON, text): see referat.io."""
    from referat.io import read_path

    return analyse(read_path(path), model=model)


ON_ERROR = ("raise", "record", "skip")


def analyse_many(sources: Iterable, *, model: str | Path | Language | None = None,
                 n_process: int = 1, batch_size: int = 16, on_error: str = "raise") -> Iterator[Analysis]:
    """Analyse texts (or Documents) in a stream, in input order, with `n_process` processes.

    `on_error` says what a source that cannot be analysed (an empty text, say) gives:
    "raise" raises its error when the stream reaches it, "record" yields an Analysis whose
    `error` says what went wrong (type and message), "skip" leaves it out.
    """
    if on_error not in ON_ERROR:
        raise ValueError(f"on_error must be one of {', '.join(ON_ERROR)}, not {on_error!r}")
    nlp = load(model)
    sources = list(sources) if n_process > 1 else sources
    if n_process > 1 and len(sources) > 1:
        results = _pool_map(nlp, model, sources, n_process, batch_size)
    else:
        results = (_analyse_one(nlp, source, index) for index, source in enumerate(sources))
    for result in results:
        if isinstance(result, Analysis):
            yield result
        elif on_error == "raise":
            raise result
        elif on_error == "record":
            yield Analysis(meeting=Meeting(), error=f"{type(result).__name__}: {result}")


def _analyse_one(nlp: Language, source, index: int):
    """The first meeting's Analysis of one source, or the exception it raised."""
    try:
        return analyse_document(nlp, as_document(source, f"text {index}"))[0]
    except Exception as error:  # noqa: BLE001 - one bad source must not end the stream
        return error


_WORKER_NLP = None


def _start_worker(model) -> None:
    global _WORKER_NLP
    _WORKER_NLP = load(model)


def _work(task: tuple[int, object]):
    index, source = task
    return _analyse_one(_WORKER_NLP, source, index)


def _pool_map(nlp: Language, model, sources: list, n_process: int, batch_size: int):
    import multiprocessing

    global _WORKER_NLP
    _WORKER_NLP = nlp  # forked workers inherit the loaded pipeline
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    initializer = None if context.get_start_method() == "fork" else _start_worker
    with context.Pool(n_process, initializer=initializer, initargs=(model,) if initializer else ()) as pool:
        yield from pool.imap(_work, list(enumerate(sources)), chunksize=max(1, batch_size // n_process))
