"""Measure referat.entities.decisions on real FirstAgenda minutes (read by hand, not a test).

    /work/venv/bin/python benchmarks/decisions_greve.py [FOLDER] [--unknown N]

Reads every *.json in FOLDER (default ../shared/real/greve), takes each item's "Beslutning"
section from the fields' HTML, runs the extraction on it and prints: the share of decisions whose
outcome is known, the outcome distribution, and how many decisions that mention a vote got votes.
With --unknown N it prints N decisions whose outcome is None (to study, never to copy).
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from referat.entities.decisions import DecisionRules, decision_from_text
from referat.resources import CONFIGS

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "real" / "greve"
VOTE_WORDS = re.compile(r"for stemte|stemte imod|undlod at", re.IGNORECASE)
BLOCKS = {"div", "p", "br", "li", "tr", "h1", "h2", "h3", "h4", "table", "ul", "ol"}


class _Sections(HTMLParser):
    """Text of the HTML, with each <h3> heading starting a new section."""

    def __init__(self):
        super().__init__()
        self.sections: list[list] = [["", []]]
        self.in_heading = False

    def handle_starttag(self, tag, attrs):
        if tag == "h3":
            self.in_heading = True
            self.sections.append(["", []])
        elif tag in BLOCKS:
            self.sections[-1][1].append("\n")

    def handle_endtag(self, tag):
        if tag == "h3":
            self.in_heading = False
        elif tag in BLOCKS:
            self.sections[-1][1].append("\n")

    def handle_data(self, data):
        if self.in_heading:
            self.sections[-1][0] += data
        else:
            self.sections[-1][1].append(data)


def decision_texts(path: Path):
    """(heading, text) of every Beslutning section of a FirstAgenda meeting file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for item in data.get("Dagsordenpunkter") or []:
        for field in item.get("Felter") or []:
            parser = _Sections()
            parser.feed(field.get("Html") or "")
            for heading, parts in parser.sections:
                if "beslutning" in heading.casefold():
                    text = html.unescape("".join(parts)).replace("\u00a0", " ")
                    text = re.sub(r"[ \t]+", " ", text)
                    text = re.sub(r"\s*\n\s*", "\n", text).strip()
                    yield " ".join(heading.split()), text


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--unknown", type=int, default=0)
    args = parser.parse_args(argv)
    files = sorted(args.folder.glob("*.json"))
    if not files:
        print(f"no FirstAgenda files in {args.folder}", file=sys.stderr)
        return 1
    rules = DecisionRules.load(CONFIGS / "decisions.toml")
    outcomes: Counter = Counter()
    with_decision = voted = voted_found = amended = dissent = absent = chars = 0
    unknown = []
    started = time.perf_counter()
    for path in files:
        for heading, text in decision_texts(path):
            if not text:
                continue
            with_decision += 1
            chars += len(text)
            d = decision_from_text(text, 0, len(text), rules)
            outcomes[d["outcome"]] += 1
            amended += d["amended"]
            dissent += bool(d["dissent"])
            absent += bool(d["absent"])
            if d["outcome"] is None:
                unknown.append(text)
            if VOTE_WORDS.search(text):
                voted += 1
                voted_found += any(d["votes"].values())
    seconds = time.perf_counter() - started
    known = with_decision - outcomes[None]
    print(f"files {len(files)}, decisions {with_decision}, {chars / seconds / 1000:.0f}k chars/s")
    print(f"outcome known: {known}/{with_decision} = {known / max(with_decision, 1):.3f}")
    for name, n in outcomes.most_common():
        print(f"  {str(name):24} {n:5d}  {n / with_decision:.3f}")
    print(f"decisions mentioning a vote: {voted}, with votes found: {voted_found} "
          f"= {voted_found / max(voted, 1):.3f}")
    print(f"amended {amended}, with dissent {dissent}, with absent {absent}")
    for text in unknown[: args.unknown]:
        print("  ?", text[:160].replace("\n", " | "))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
