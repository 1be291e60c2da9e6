"""Speed and memory of referat, run by hand (not part of the test suite).

    python benchmarks/generate.py --files 1000
    python benchmarks/run.py benchmarks/out/minutes

Reports, on the same folder in one run:
- the structure parser alone (words per second, one core);
- cold start: `import referat; referat.load()` in a fresh process;
- `referat batch` with the shipped pipeline, --n-process 1 and 2 (words/s, peak memory);
- spaCy's blank Danish pipeline with the same tok2vec + NER (words/s, one process), for comparison.
Words are whitespace-separated words of the input.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def words_in(files: list[Path]) -> int:
    return sum(len(f.read_text(encoding="utf-8").split()) for f in files)


def timed_child(command: list[str]) -> tuple[float, float]:
    """(seconds, peak resident memory in MB) of a command run in a fresh child process."""
    wrapper = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
               "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
               "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")
    out = subprocess.run([sys.executable, "-c", wrapper, *command], check=True, capture_output=True, text=True).stdout
    seconds, peak = out.split()
    return float(seconds), float(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder")
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    files = sorted(Path(args.folder).glob("*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    words = words_in(files)
    results: dict[str, dict] = {"input": {"files": len(files), "words": words, "cpus": os.cpu_count()}}

    from referat.structure import parse
    started = time.perf_counter()
    for text in texts:
        parse(text)
    seconds = time.perf_counter() - started
    results["structure_parser"] = {"seconds": round(seconds, 2), "words_per_second": round(words / seconds)}

    model_args = ["--model", args.model] if args.model else []
    cold = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import referat; referat.load({args.model!r})"], check=True)
        cold.append(time.perf_counter() - started)
    results["cold_start_seconds"] = round(min(cold), 2)

    with tempfile.TemporaryDirectory() as tmp:
        for n in (1, 2):
            out = Path(tmp) / f"out{n}.jsonl"
            seconds, peak = timed_child(["referat", "batch", args.folder, "--out", str(out), "--no-progress",
                                         "--n-process", str(n), *model_args])
            results[f"referat_batch_n{n}"] = {
                "seconds": round(seconds, 2), "words_per_second": round(words / seconds), "peak_mb": round(peak),
                # the same without the command's start (import + load), which does not grow with the input
                "words_per_second_after_start": round(words / (seconds - results["cold_start_seconds"])),
            }
    results["n2_over_n1"] = round(results["referat_batch_n2"]["words_per_second"]
                                  / results["referat_batch_n1"]["words_per_second"], 2)
    results["n2_over_n1_after_start"] = round(results["referat_batch_n2"]["words_per_second_after_start"]
                                              / results["referat_batch_n1"]["words_per_second_after_start"], 2)

    import spacy

    from referat.api import load
    nlp = load(args.model)
    if "ner" in nlp.pipe_names:
        blank = spacy.blank("da")
        for name in ("tok2vec", "ner"):
            if name in nlp.pipe_names:
                blank.add_pipe(name, source=nlp)
        blank.max_length = nlp.max_length
        started = time.perf_counter()
        for _ in blank.pipe(texts, batch_size=8):
            pass
        seconds = time.perf_counter() - started
        results["spacy_blank_da_same_ner"] = {"seconds": round(seconds, 2), "words_per_second": round(words / seconds)}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
