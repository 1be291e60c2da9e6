"""Text as a PDF tool that loses line breaks gives it, to measure the parser on (by hand, not a
test): every *.txt of FOLDER is written to OUT/item/ with one line per item (a line break kept
only before a line that starts "N. ") and to OUT/page/ with one line per "page" of about 3,000
characters.

    python ../shared/tools/greve_render.py --text /tmp/gtext ../shared/real/greve/*.json
    python benchmarks/flatten.py /tmp/gtext /tmp/flat
    referat batch /tmp/flat/page --out page.jsonl -m structure -n 2
    python ../shared/tools/score_greve.py page.jsonl
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

ITEM_LINE = re.compile(r"^\d{1,3}\. \S")


def per_item(text: str) -> str:
    out: list[str] = []
    for line in text.split("\n"):
        if ITEM_LINE.match(line) and out:
            out.append("\n" + line.strip())
        elif line.strip():
            out.append((" " if out else "") + line.strip())
    return "".join(out)


def per_page(text: str, page_chars: int = 3000) -> str:
    flat, pages = " ".join(text.split()), []
    while flat:
        cut = flat.find(" ", page_chars)
        cut = len(flat) if cut < 0 else cut
        pages.append(flat[:cut].strip())
        flat = flat[cut:]
    return "\n".join(pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--page-chars", type=int, default=3000)
    args = parser.parse_args()
    for kind in ("item", "page"):
        (args.out / kind).mkdir(parents=True, exist_ok=True)
    files = sorted(args.folder.glob("*.txt"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        (args.out / "item" / path.name).write_text(per_item(text), encoding="utf-8")
        (args.out / "page" / path.name).write_text(per_page(text, args.page_chars), encoding="utf-8")
    print(f"{len(files)} files -> {args.out}/item and {args.out}/page")


if __name__ == "__main__":
    main()
