"""Write a folder of generated minutes for the benchmarks: each file takes the header of one
corpus meeting and agenda items drawn from others (deterministic with --seed).

    python benchmarks/generate.py --out benchmarks/out/minutes --files 200
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from referat.corpus import compile_sources


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", default="corpus/source", help="corpus source folder")
    parser.add_argument("--out", default="benchmarks/out/minutes")
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--items", type=int, default=12, help="items per file")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    records = compile_sources(args.source)
    items = [record["text"][item["start"]:item["end"]] for record in records for item in record["items"]]
    random.seed(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    words = 0
    for number in range(args.files):
        record = random.choice(records)
        header = record["text"][:record["items"][0]["start"]] if record["items"] else ""
        text = header + "".join(random.choice(items) for _ in range(args.items))
        words += len(text.split())
        (out / f"minutes_{number:04d}.txt").write_text(text, encoding="utf-8")
    print(f"{args.files} files, {words} words in {out}")


if __name__ == "__main__":
    main()
