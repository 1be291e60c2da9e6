"""Where the time goes: seconds per pipeline component (and reading, structure) over a folder.

    python benchmarks/components.py FOLDER [--limit N]

Reads each file (referat.io), finds the structure on the whole text, cuts it into the pieces
`referat.analyse` uses, then tokenises them and runs the pipeline's components one at a time
over all pieces, timing each, as a batch runs them: inside a memory zone, the tokenizer's cache
filled first (referat.pipeline.tokenizer_cache). Words are whitespace-separated words of the analysed texts.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import referat
from referat.api import _meetings, hold_zone, load, make_doc, release_zone
from referat.batch import expand_inputs
from referat.io import read_path
from referat.segments import plan_segments, shift_item


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    nlp = load()
    files = expand_inputs([args.folder])[:args.limit]
    timing = {"read": 0.0}
    started = time.perf_counter()
    documents = [read_path(f) for f in files]
    timing["read"] = time.perf_counter() - started
    words = sum(len(d.text.split()) for d in documents)
    pieces = []
    started = time.perf_counter()
    for document in documents:
        for begin, finish, structure in _meetings(nlp, document):
            meeting = structure.meeting.to_dict()
            items = [item.to_dict() for item in structure.items]
            bounds = [(i["start"] - begin, min(i["end"], finish) - begin) for i in items]
            for s in plan_segments(document.text[begin:finish], bounds):
                s_start, s_end = s.start + begin, s.end + begin
                pieces.append((document.text[s_start:s_end], {
                    "final": True, "meeting": meeting,
                    "items": [shift_item(items[s.item], s_start, s_end)] if s.item is not None else []}))
    timing["structure"] = time.perf_counter() - started
    # as a batch runs: the tokenizer's cache filled, then inside a memory zone
    started = time.perf_counter()
    hold_zone(nlp)
    timing["filling the tokenizer's cache"] = time.perf_counter() - started
    started = time.perf_counter()
    docs = [make_doc(nlp, text, hint) for text, hint in pieces]
    timing["tokenizer"] = time.perf_counter() - started
    for name, component in nlp.pipeline:
        started = time.perf_counter()
        if hasattr(component, "pipe"):
            docs = list(component.pipe(docs))
        else:
            docs = [component(doc) for doc in docs]
        timing[name] = time.perf_counter() - started
    del docs
    release_zone(nlp)
    total = sum(timing.values())
    print(f"{len(files)} files, {words} words, {len(pieces)} pieces; referat {referat.__version__}")
    for name, seconds in timing.items():
        print(f"  {name:30} {seconds:7.2f} s  {100 * seconds / total:5.1f} %")
    print(f"  {'total':30} {total:7.2f} s  -> {words / total:,.0f} words/s on one core")


if __name__ == "__main__":
    main()
