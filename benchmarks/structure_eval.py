"""Item finding of the structure parser alone, per house style of the corpus: precision, recall
and F1 of items matched by title (as ../shared/tools/score_greve.py matches them: normalised
titles with a similarity of 0.8 or more, one to one).

    python benchmarks/structure_eval.py [--corpus corpus/source] [--styles s1,s2] [--show STYLE]
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections import defaultdict
from pathlib import Path

from referat.corpus import compile_sources
from referat.lexicon import Lexicon
from referat.resources import CONFIGS
from referat.structure import load_styles, parse


def norm(title: str | None) -> str:
    return re.sub(r"\W+", " ", (title or "").lower()).strip()


def match(gold: list[str], predicted: list[str]) -> tuple[int, int, int]:
    used: set[int] = set()
    tp = 0
    for g in map(norm, gold):
        best, score = None, 0.0
        for k, p in enumerate(map(norm, predicted)):
            if k in used:
                continue
            ratio = difflib.SequenceMatcher(None, g, p[:len(g) + 10]).ratio()
            if ratio > score:
                best, score = k, ratio
        if best is not None and score >= 0.8:
            used.add(best)
            tp += 1
    return tp, len(predicted) - len(used), len(gold) - tp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default="corpus/source")
    parser.add_argument("--styles", default=None, help="comma-separated styles (default: all)")
    parser.add_argument("--show", default=None, help="print gold and predicted titles of this style's meetings")
    args = parser.parse_args()
    styles, lexicon = load_styles(CONFIGS / "structure.toml"), Lexicon.from_folder(CONFIGS)
    wanted = set(args.styles.split(",")) if args.styles else None
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for record in compile_sources(args.corpus):
        style = record["meta"]["style"]
        if wanted and style not in wanted:
            continue
        gold = [item["title"] for item in record["items"]]
        predicted = [item.title for item in parse(record["text"], styles, lexicon).items]
        tp, fp, fn = match(gold, predicted)
        for i, v in enumerate((tp, fp, fn, 1)):
            totals[style][i] += v
        if args.show == style:
            print(f"--- {record['id']}: tp {tp} fp {fp} fn {fn}")
            print("  gold:", gold)
            print("  pred:", predicted)
    all_ = [sum(v[i] for v in totals.values()) for i in range(4)]
    print(f"{'style':32} {'meetings':>8} {'P':>6} {'R':>6} {'F1':>6}")
    for style, (tp, fp, fn, n) in sorted(totals.items()) + [("ALL", all_)]:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{style:32} {n:>8} {p:6.3f} {r:6.3f} {f:6.3f}")


if __name__ == "__main__":
    sys.exit(main())
