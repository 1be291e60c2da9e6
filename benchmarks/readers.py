"""Measure the readers of referat.io: PDF libraries, HTML approaches, FirstAgenda exactness.

    python benchmarks/readers.py [--shared ../shared] [--html-files 45] [--json]

PDF: pypdfium2, pypdf and pdfplumber, each followed by the same cleaning (referat.io.pdf),
on the rendered real meetings in shared/real/greve-pdf (reference: the same meeting rendered
as text by shared/tools/greve_render.py) and on PDFs built with fpdf2 (tests/io/pdf_samples).
Quality: word F1 against the reference, share of the JSON's item headings found as a line,
worded lines seen 3+ times that the reference text does not have (running headers/footers
left; the PDFs also print an attachments link per item, which counts here), and pages/s.
HTML: referat.io.html against trafilatura on greve_render.py --html pages: boilerplate lines
left (lines that repeat on most pages of the raw page text and are not in any reference
text), item headings kept as lines, word recall. FirstAgenda: every shared/real/greve JSON
read with referat.io, its items and members compared with the JSON itself, and the rendered
text parsed by referat.structure.
"""

from __future__ import annotations

import argparse
import glob
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORD = re.compile(r"\w+")


def words(text: str) -> Counter:
    return Counter(word.casefold() for word in WORD.findall(text))


def f1(reference: Counter, found: Counter) -> float:
    common = sum((reference & found).values())
    if not common:
        return 0.0
    precision, recall = common / sum(found.values()), common / sum(reference.values())
    return 2 * precision * recall / (precision + recall)


def norm_line(line: str) -> str:
    return " ".join(line.split()).casefold()


def headings(data: dict) -> list[str]:
    return [norm_line(f"{item.get('Number')}. {item.get('Caption')}") for item in data.get("Dagsordenpunkter") or []]


def render(shared: Path, mode: str, files: list[str]) -> Path:
    out = Path(tempfile.mkdtemp(prefix=f"readers-{mode}-"))
    subprocess.run([sys.executable, str(shared / "tools" / "greve_render.py"), f"--{mode}", str(out), *files], check=True)
    return out


def load_samples():
    spec = importlib.util.spec_from_file_location("pdf_samples", ROOT / "tests" / "io" / "pdf_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bench_pdf(shared: Path) -> list[dict]:
    from referat.io.pdf import BACKENDS, clean_pages

    pdfs = sorted(glob.glob(str(shared / "real" / "greve-pdf" / "*.pdf")))
    jsons = [str(shared / "real" / "greve" / (Path(p).stem + ".json")) for p in pdfs]
    reference_dir = render(shared, "text", jsons) if pdfs else None
    samples = load_samples()
    built = {"minutes": samples.minutes_pdf(), "long": samples.long_minutes_pdf(), "two_column": samples.two_column_pdf(),
             "table": samples.table_pdf()}
    rows = []
    for backend, pages_of in BACKENDS.items():
        pages_total, seconds, scores, kept, left = 0, 0.0, [], [], 0
        for pdf_path, json_path in zip(pdfs, jsons):
            data = Path(pdf_path).read_bytes()
            started = time.perf_counter()
            pages = pages_of(data)
            text, _ = clean_pages(pages)
            seconds += time.perf_counter() - started
            pages_total += len(pages)
            reference = (reference_dir / (Path(pdf_path).stem + ".txt")).read_text(encoding="utf-8")
            scores.append(f1(words(reference), words(text)))
            lines = {norm_line(line) for line in text.split("\n")}
            wanted = headings(json.loads(Path(json_path).read_text(encoding="utf-8")))
            kept.append(sum(h in lines for h in wanted) / max(1, len(wanted)))
            reference_lines = {norm_line(line) for line in reference.split("\n")}
            repeated = Counter(norm_line(line) for line in text.split("\n") if line.strip())
            left += sum(count for line, count in repeated.items() if count >= 3 and line not in reference_lines
                        and re.search(r"[^\W\d_]", line))
        built_pages, built_seconds = 0, 0.0
        for _ in range(3):
            started = time.perf_counter()
            for data in built.values():
                built_pages += len(pages_of(data))
            built_seconds += time.perf_counter() - started
        columns = clean_pages(pages_of(built["two_column"]))[0]
        apart = "spalte begynder her og fortsætter" in columns and columns.index("Venstre") < columns.index("Højre")
        table = clean_pages(pages_of(built["table"]))[0]
        rows_kept = all(any(all(cell in line for cell in row) for line in table.split("\n")) for row in samples.TABLE)
        rows.append({
            "library": backend, "real_pdfs": len(pdfs), "real_pages": pages_total,
            "real_pages_per_s": round(pages_total / seconds, 1) if seconds else None,
            "word_f1": round(sum(scores) / len(scores), 4) if scores else None,
            "item_headings_as_lines": round(sum(kept) / len(kept), 4) if kept else None,
            "repeats_not_in_reference_per_pdf": round(left / max(1, len(pdfs)), 2),
            "built_pages_per_s": round(built_pages / built_seconds, 1),
            "two_columns_apart": apart, "table_rows_as_lines": rows_kept,
        })
    return rows


def _trafilatura(markup: str) -> str:
    import trafilatura

    return trafilatura.extract(markup, include_tables=True, include_comments=False, favor_recall=True,
                               output_format="txt") or ""


def bench_html(shared: Path, count: int) -> list[dict]:
    from referat.io.html import element_text, html_to_text, parse_html

    files = sorted(glob.glob(str(shared / "real" / "greve" / "*.json")))[:count]
    pages = render(shared, "html", files)
    texts = render(shared, "text", files)
    raw = {}
    for path in files:
        stem = Path(path).stem
        raw[stem] = element_text(parse_html((pages / f"{stem}.html").read_text(encoding="utf-8")))
    reference_lines = set()
    for path in files:
        reference_lines |= {norm_line(l) for l in (texts / f"{Path(path).stem}.txt").read_text(encoding="utf-8").split("\n")}
    on_pages = Counter(line for text in raw.values() for line in {norm_line(l) for l in text.split("\n") if l.strip()})
    boilerplate = {line for line, n in on_pages.items() if n >= 0.5 * len(files) and line not in reference_lines}
    rows = []
    for name, extract in (("referat.io.html (lxml, structure)", html_to_text), ("trafilatura", _trafilatura)):
        left, kept, recall, seconds = 0, [], [], 0.0
        for path in files:
            stem = Path(path).stem
            markup = (pages / f"{stem}.html").read_text(encoding="utf-8")
            started = time.perf_counter()
            text = extract(markup)
            seconds += time.perf_counter() - started
            lines = [norm_line(l) for l in text.split("\n")]
            left += sum(line in boilerplate for line in lines)
            wanted = headings(json.loads(Path(path).read_text(encoding="utf-8")))
            kept.append(sum(h in set(lines) for h in wanted) / max(1, len(wanted)))
            reference = words((texts / f"{stem}.txt").read_text(encoding="utf-8"))
            recall.append(sum((reference & words(text)).values()) / max(1, sum(reference.values())))
        rows.append({"approach": name, "pages": len(files), "boilerplate_line_kinds": len(boilerplate),
                     "boilerplate_lines_left": left, "item_headings_as_lines": round(sum(kept) / len(kept), 4),
                     "word_recall": round(sum(recall) / len(recall), 4), "pages_per_s": round(len(files) / seconds, 1)})
    return rows


def bench_firstagenda(shared: Path) -> dict:
    from referat.io import read_path
    from referat.structure import parse

    files = sorted(glob.glob(str(shared / "real" / "greve" / "*.json")))
    files = [f for f in files if not f.endswith("manifest.jsonl")]
    exact_items = exact_people = anchored = parsed_exact = items_total = 0
    seconds = 0.0
    for path in files:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        started = time.perf_counter()
        document = read_path(path)
        seconds += time.perf_counter() - started
        expected = sorted(data["Dagsordenpunkter"], key=lambda i: i.get("Sorting") or 0)
        want = [(str(i.get("Number") or i.get("Punktnummer")), (i.get("Caption") or i.get("Navn") or "").strip(),
                 i.get("CaseNumber") or i.get("SagsNummer") or None) for i in expected]
        got = [(i["number"], i["title"], i["case_number"]) for i in document.items]
        exact_items += got == want
        items_total += len(want)
        people = data["Moede"].get("Moededeltagere") or []
        exact_people += ([m["name"] for m in document.meeting["members"]] == [p["Name"] for p in people] and
                         [m["name"] for m in document.meeting["absent"]] ==
                         [p["Name"] for p in people if p.get("Absent") or p.get("ParticipationCancelled")])
        anchored += all(document.text[i["start"]:i["end"]].split("\n", 1)[0].endswith(i["title"]) and
                        all(i["start"] <= s["start"] < s["end"] <= i["end"] for s in i["sections"])
                        for i in document.items)
        structure = parse(document.text)
        parsed_exact += [(i.number, i.title) for i in structure.items] == [(w[0], w[1]) for w in want]
    return {"files": len(files), "items": items_total, "items_exact": exact_items, "members_absent_exact": exact_people,
            "offsets_anchored": anchored, "structure_parser_items_exact_on_rendered_text": parsed_exact,
            "files_per_s": round(len(files) / seconds, 1)}


def table(rows: list[dict]) -> str:
    keys = list(rows[0])
    widths = {k: max(len(k), *(len(str(r[k])) for r in rows)) for k in keys}
    lines = [" ".join(k.ljust(widths[k]) for k in keys)]
    lines += [" ".join(str(r[k]).ljust(widths[k]) for k in keys) for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--html-files", type=int, default=45)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not (args.shared / "real" / "greve").is_dir():
        sys.exit(f"{args.shared}/real/greve not found: give --shared")
    result = {"pdf": bench_pdf(args.shared), "html": bench_html(args.shared, args.html_files),
              "firstagenda": bench_firstagenda(args.shared)}
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print("PDF libraries (each + referat.io.pdf cleaning)")
    print(table(result["pdf"]))
    print("\nHTML")
    print(table(result["html"]))
    print("\nFirstAgenda JSON")
    print(table([result["firstagenda"]]))


if __name__ == "__main__":
    main()
