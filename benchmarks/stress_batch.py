"""Stress test of `referat batch` (issue 13), run by hand (not part of the test suite).

    python benchmarks/stress_batch.py                          # about 2,000 files in a temporary folder
    python benchmarks/stress_batch.py --work /tmp/stress --keep --skip-resume

Writes the inputs (good Danish minutes made from templates with a seeded generator; one ~30 MB
text holding one meeting with many items; a 5 MB text without a line break; an empty file;
random bytes named .txt and .bin; UTF-16 with and without a byte-order mark; cp1252; a PDF
made with fpdf2; an HTML page; and, when not run as root, a file nobody may read), then checks:

- `referat batch FOLDER FOLDER/…bin --out OUT -n 2` under `/usr/bin/time -v` (the .bin is
  named because a folder walk only takes the suffixes referat reads): exit 0, no traceback,
  one record per input, every input exactly once, peak resident memory under 600 MB;
- the same batch to a fresh output, interrupted after some records (SIGINT to its process
  group, as Ctrl-C does; then SIGKILL), rerun with --resume: the output has every input once;
- cold start: `referat analyse` on a tiny file and `import referat; referat.load()` in a fresh
  process, the median of 5 runs, at most 1 s.

Prints a report and exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ITEMS_WRITTEN: dict[str, int] = {}  # good minutes -> the number of items written
MARKER = ".stress_batch"  # in a --work folder: the inputs there were written by this script

# ------------------------------------------------------------------------------ the minutes

MUNICIPALITIES = ["Nørreskov Kommune", "Havbøl Kommune", "Lindå Kommune", "Vesterholm Kommune",
                  "Stenlund Kommune", "Kildebro Kommune", "Egebæk Kommune", "Sønderhøj Kommune"]
COMMITTEES = ["Økonomiudvalget", "Børne- og Skoleudvalget", "Teknik- og Miljøudvalget",
              "Social- og Sundhedsudvalget", "Kultur- og Fritidsudvalget", "Beskæftigelsesudvalget",
              "Plan- og Klimaudvalget", "Ældreudvalget"]
FIRST = ["Anne", "Søren", "Mette", "Jens", "Louise", "Bo", "Karina", "Mikkel", "Hanne", "Lars", "Sofie",
         "Peter", "Trine", "Rasmus", "Birgitte", "Henrik", "Camilla", "Thomas", "Lene", "Morten", "Ida",
         "Kasper", "Dorthe", "Jakob", "Maja", "Niels", "Pernille", "Ulrik"]
LAST = ["Holmgaard", "Bech", "Kjærsgaard", "Lund", "Damgaard", "Vestergaard", "Nørby", "Frost", "Ravn",
        "Skov", "Bjerre", "Toft", "Munk", "Brandt", "Lykke", "Dalsgaard", "Winther", "Krogh", "Høyer",
        "Sand", "Overgaard", "Kragh"]
PARTIES = ["A", "V", "C", "F", "Ø", "O", "B", "I", "D", "Æ", "K", "Å"]
MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
          "oktober", "november", "december"]
WEEKDAYS = ["Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag"]
PLACES = ["Engskolen", "Bakkehuset", "Åbyhallen", "Søndervej", "Kirkebakken", "Havnepladsen",
          "Rosenhaven Plejecenter", "Lyngparken", "Fjordstien", "Mølleåen", "Birkely Børnehus",
          "Vestre Skole", "Idrætscenter Nord", "Stationsvej"]
ROOMS = ["Rådhuset, mødelokale 1", "Rådhuset, udvalgsværelset", "Borgercentret, lokale B",
         "Kulturhuset, salen", "Rådhuset, mødelokale 3"]
ASSOCIATIONS = ["Havbøl Roklub", "Lindå Spejderne", "Foreningen Gamle Huse", "Kildebro Boldklub",
                "Egebæk Musikforening", "Seniorklubben Solsikken"]
SERVICES = ["dagpleje", "vuggestue", "madservice", "SFO", "musikskole", "svømmehal"]


def thousands(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def amount(rng: random.Random) -> str:
    """An amount as minutes write it: "1,4 mio. kr.", "585.000 kr.", "2.650 t.kr."."""
    kind = rng.random()
    if kind < 0.45:
        tenths = rng.randint(2, 600)
        number = str(tenths // 10) if tenths % 10 == 0 else f"{tenths / 10:.1f}".replace(".", ",")
        return f"{number} mio. kr."
    if kind < 0.75:
        return f"{thousands(rng.randint(5, 999) * 1000)} kr."
    return f"{thousands(rng.randint(100, 9999))} t.kr."


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def meeting_date(rng: random.Random) -> tuple[dt.date, str]:
    day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 7 * 365))
    hour, minute = rng.choice([(8, 30), (15, 0), (16, 0), (16, 30), (17, 0), (18, 0)])
    style = rng.randrange(3)
    if style == 0:
        text = f"Mødedato: den {day.day}. {MONTHS[day.month - 1]} {day.year} kl. {hour:02d}.{minute:02d}"
    elif style == 1:
        text = f"Mødedato: {day.day:02d}.{day.month:02d}.{day.year}\nMødetidspunkt: {hour:02d}:{minute:02d}"
    else:
        text = f"Mødedato: {WEEKDAYS[day.weekday()]} den {day.day}. {MONTHS[day.month - 1]} {day.year}, kl. {hour}.{minute:02d}"
    return day, text


def votes(rng: random.Random, parties: list[str], verb: str) -> str:
    if len(parties) < 3 or rng.random() < 0.6:
        return f"{verb}."
    against = sorted(rng.sample(parties, rng.randint(1, len(parties) // 2)))
    favour = [p for p in parties if p not in against]
    return (f"For stemte: {', '.join(favour)} ({len(favour) + 2})\n"
            f"Imod stemte: {', '.join(against)} ({len(against)})\n{verb}.")


def item(rng: random.Random, number: int, year: int, parties: list[str], committee: str) -> str:
    """One numbered agenda item with Sagsfremstilling, Indstilling and Beslutning."""
    place = rng.choice(PLACES)
    case = f"Sagsnr.: {year % 100:02d}/{rng.randint(100, 29999):05d}"
    kind = rng.randrange(7)
    if kind == 0:
        title = f"Anlægsbevilling til renovering af {place}"
        story = (f"Forvaltningen har fået udarbejdet et overslag over renoveringen af {place}. Udgiften er "
                 f"anslået til {amount(rng)}, heraf {amount(rng)} til tag og facader. Arbejdet forventes "
                 f"udført i {year + 1} og kan finansieres af rådighedsbeløbet på anlægsbudgettet.")
        proposal = (f"Forvaltningen indstiller, at udvalget over for Økonomiudvalget og Kommunalbestyrelsen "
                    f"anbefaler, at der gives en anlægsbevilling på {amount(rng)} i {year + 1}.")
        decision = votes(rng, parties, "Anbefales")
    elif kind == 1:
        month = MONTHS[rng.choice([2, 5, 8])]
        title = f"Budgetopfølgning pr. 31. {month} {year}"
        story = (f"Budgetopfølgningen viser et forventet merforbrug på {amount(rng)} på serviceudgifterne og et "
                 f"mindreforbrug på {amount(rng)} på overførselsudgifterne. Merforbruget skyldes især flere "
                 f"borgere med behov for hjælp og stigende udgifter til kørsel.")
        proposal = "Forvaltningen indstiller, at budgetopfølgningen tages til efterretning."
        decision = "Taget til efterretning."
    elif kind == 2:
        plan = rng.randint(100, 450)
        title = f"Lokalplan {plan} for området ved {place} - endelig vedtagelse"
        story = (f"Forslag til lokalplan {plan} har været i offentlig høring i otte uger. Der er kommet "
                 f"{rng.randint(2, 40)} høringssvar, som især handler om trafik og bygningshøjder. "
                 f"Byggemodningen koster {amount(rng)}, som betales af bygherren.")
        proposal = f"Forvaltningen indstiller, at lokalplan {plan} vedtages endeligt med de ændringer, der fremgår af notatet."
        decision = votes(rng, parties, "Godkendt")
    elif kind == 3:
        service = rng.choice(SERVICES)
        old = rng.randint(400, 4000)
        title = f"Takster for {service} {year + 1}"
        story = (f"Taksten for {service} foreslås hævet fra {thousands(old)} kr. til {thousands(old + rng.randint(20, 300))} kr. "
                 f"pr. måned fra 1. januar {year + 1}. Ændringen giver en merindtægt på {amount(rng)} om året.")
        proposal = f"Forvaltningen indstiller, at taksterne for {year + 1} godkendes."
        decision = votes(rng, parties, "Godkendt")
    elif kind == 4:
        association = rng.choice(ASSOCIATIONS)
        title = f"Ansøgning om tilskud fra {association}"
        story = (f"{association} søger om et tilskud på {thousands(rng.randint(10, 400) * 1000)} kr. til "
                 f"nye materialer og et arrangement i {place}. Der er {amount(rng)} tilbage i puljen for {year}.")
        proposal = f"Forvaltningen indstiller, at {association} får et tilskud på {thousands(rng.randint(10, 200) * 1000)} kr."
        decision = rng.choice(["Godkendt.", "Godkendt med et tilskud på 50.000 kr.", "Udsat."])
    elif kind == 5:
        title = f"Orientering om status for {place}"
        story = (f"Udvalget orienteres om status for arbejdet ved {place}. Projektet følger tidsplanen, og "
                 f"der er indtil videre brugt {amount(rng)} af en samlet ramme på {amount(rng)}.")
        proposal = "Forvaltningen indstiller, at orienteringen tages til efterretning."
        decision = "Taget til efterretning."
    else:
        title = f"Høring om kvalitetsstandard for {rng.choice(SERVICES)}"
        story = (f"{committee} skal afgive høringssvar om den reviderede kvalitetsstandard. Ændringerne "
                 f"forventes at koste {amount(rng)} årligt, som afholdes inden for rammen.")
        proposal = "Forvaltningen indstiller, at udvalget afgiver høringssvar som beskrevet i sagen."
        decision = votes(rng, parties, "Godkendt")
    return (f"{number}. {title}\n{case}\nSagsfremstilling\n{story}\nIndstilling\n{proposal}\n"
            f"Beslutning\n{decision}\n")


def header(rng: random.Random) -> tuple[str, int, list[str], str]:
    """(header text, year, the parties of the members, the committee)."""
    municipality, committee = rng.choice(MUNICIPALITIES), rng.choice(COMMITTEES)
    day, date_line = meeting_date(rng)
    members = [(person(rng), rng.choice(PARTIES)) for _ in range(rng.randint(5, 9))]
    lines = [municipality, "Referat", committee, "", date_line, f"Mødested: {rng.choice(ROOMS)}", "Medlemmer:"]
    lines += [f"{name} ({party})" for name, party in members]
    if rng.random() < 0.4:
        name, party = rng.choice(members)
        lines.append(f"Afbud: {name} ({party})")
    return "\n".join(lines) + "\n\n", day.year, sorted({party for _, party in members}), committee


def minutes(rng: random.Random, items: int | None = None) -> tuple[str, int]:
    """One meeting's minutes and its number of items."""
    head, year, parties, committee = header(rng)
    count = items or rng.randint(3, 14)
    body = ["1. Godkendelse af dagsorden\nBeslutning\nGodkendt.\n"]
    body += [item(rng, number, year, parties, committee) for number in range(2, count)]
    body.append(f"{count}. Eventuelt\nBeslutning\nIntet.\n")
    return head + "\n".join(body), count


def big_minutes(rng: random.Random, size: int) -> tuple[str, int]:
    """One meeting whose items go on until the text has `size` bytes (UTF-8), and its items."""
    head, year, parties, committee = header(rng)
    parts, total, number = [head], len(head.encode()), 0
    while total < size:
        number += 1
        part = item(rng, number, year, parties, committee) + "\n"
        parts.append(part)
        total += len(part.encode())
    return "".join(parts), number


def pdf_bytes(rng: random.Random) -> bytes:
    from fpdf import FPDF

    text, _ = minutes(rng, items=12)
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=20)
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if dejavu.exists():
        pdf.add_font("DejaVu", fname=str(dejavu))
        font = "DejaVu"
    else:  # a core font: Latin-1 only (æ, ø, å are in it; the generator writes no dashes or €)
        font = "Helvetica"
        text = text.encode("latin-1", "replace").decode("latin-1")
    for page_text in (text[: len(text) // 2], text[len(text) // 2:]):
        pdf.add_page()
        pdf.set_font(font, size=10)
        for line in page_text.split("\n"):
            pdf.multi_cell(0, 5, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def html_page(rng: random.Random) -> str:
    from html import escape

    text, _ = minutes(rng, items=8)
    body = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        if re.match(r"^\d+\. ", line):
            body.append(f"<h2>{escape(line)}</h2>")
        elif line in ("Sagsfremstilling", "Indstilling", "Beslutning"):
            body.append(f"<h3>{line}</h3>")
        elif line == "Referat":
            body.append("<h1>Referat</h1>")
        else:
            body.append(f"<p>{escape(line)}</p>")
    menu = "".join(f'<li><a href="/{word.lower()}">{word}</a></li>'
                   for word in ("Forside", "Politik", "Borger", "Erhverv", "Kontakt"))
    return ("<!DOCTYPE html>\n<html lang=\"da\"><head><meta charset=\"utf-8\"><title>Referat</title></head>\n"
            f"<body><header><nav><ul>{menu}</ul></nav></header>\n<main>\n" + "\n".join(body) +
            "\n</main>\n<footer><p>Rådhustorvet 1 - Telefon 70 00 00 00 - Cookiepolitik</p></footer></body></html>\n")


def write_inputs(folder: Path, files: int, big_mb: float, line_mb: float, seed: int) -> tuple[list[str], dict, str]:
    """Write about `files` inputs into `folder`: (the input paths in batch order, what each
    special input is, a note on what was left out)."""
    rng = random.Random(seed)
    written: dict[str, str] = {}  # what the last generated special holds

    def meeting(encoding: str, dash: bool = False) -> bytes:
        text, count = minutes(rng)
        written["items"] = f"{count} items written"
        return (text.replace(" - ", " \u2013 ") if dash else text).encode(encoding)

    def big() -> bytes:
        text, count = big_minutes(rng, int(big_mb * 1e6))
        written["items"] = f"{count} items written"
        return text.encode()

    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("written by benchmarks/stress_batch.py\n")
    note = ""
    special: dict[int, tuple[str, str, object]] = {  # position -> (name, what, bytes or a function)
        5: ("empty.txt", "empty", b""),
        15: ("random_bytes.txt", "binary (random bytes, .txt)", random.Random(seed + 1).randbytes(256 * 1024)),
        25: ("utf16_bom.txt", "UTF-16 with BOM", lambda: meeting("utf-16")),
        35: ("utf16le_nobom.txt", "UTF-16-LE without BOM", lambda: meeting("utf-16-le")),
        45: ("cp1252.txt", "cp1252", lambda: meeting("cp1252", dash=True)),
        55: ("minutes.pdf", "PDF (fpdf2); 12 items written", lambda: pdf_bytes(rng)),
        65: ("minutes.html", "HTML page; 8 items written", lambda: html_page(rng).encode("utf-8")),
        75: ("single_line_5mb.txt", f"{line_mb:g} MB on one line", None),
        max(files // 2, 90) | 1: ("big_30mb.txt", f"~{big_mb:g} MB text, one meeting", big),
    }
    if os.geteuid() != 0:
        special[85] = ("unreadable.txt", "not readable (chmod 000)", lambda: meeting("utf-8"))
    else:
        note = "running as root: no unreadable (chmod 000) file, root reads it anyway"
    # the .bin is named on the command line (a folder walk takes only the suffixes referat reads)
    walked = files - 1
    paths, what = [], {}
    for position in range(walked):
        if position in special:
            name, kind, content = special[position]
            path = folder / f"{position:04d}_{name}"
            if name.startswith("single_line"):
                chunks, total, items = [], 0, 0
                while total < line_mb * 1e6:
                    text, count = minutes(rng)
                    chunk = re.sub(r"\s+", " ", text) + " "
                    chunks.append(chunk)
                    total += len(chunk.encode())
                    items += count
                written["items"] = f"{len(chunks)} meetings, {items} items written, cut at {line_mb:g} MB"
                data = "".join(chunks).encode()[: int(line_mb * 1e6)].decode("utf-8", "ignore").encode()
            else:
                written.pop("items", None)
                data = content() if callable(content) else content
            path.write_bytes(data)
            if "items" in written:
                kind = f"{kind}; {written.pop('items')}"
            if name == "unreadable.txt":
                path.chmod(0)
            what[str(path)] = kind
        else:
            path = folder / f"{position:04d}_referat.txt"
            text, count = minutes(rng)
            path.write_text(text, encoding="utf-8")
            ITEMS_WRITTEN[str(path)] = count
        paths.append(str(path))
    binary = folder / "random_bytes.bin"
    binary.write_bytes(random.Random(seed + 2).randbytes(256 * 1024))
    what[str(binary)] = "binary (random bytes, .bin, named)"
    paths.append(str(binary))
    return paths, what, note


# ------------------------------------------------------------------------------ running

def referat_command() -> str:
    found = Path(sys.executable).parent / "referat"
    return str(found) if found.exists() else (shutil.which("referat") or "referat")


class TreeSampler(threading.Thread):
    """Peak memory of a process and its descendants, sampled with psutil: the sum of RSS,
    the sum of PSS (shared pages split between the processes sharing them) and the largest
    single RSS, in MB. `skip` is the pid not counted (the /usr/bin/time wrapper)."""

    def __init__(self, pid: int, skip: int | None = None, interval: float = 0.5):
        super().__init__(daemon=True)
        self.pid, self.skip, self.interval = pid, skip, interval
        self.rss_sum = self.pss_sum = self.rss_max = 0.0
        self.processes = 0
        self.stop = threading.Event()

    def run(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self.stop.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            rss = pss = single = 0.0
            counted = 0
            for process in tree:
                if process.pid == self.skip:
                    continue
                try:
                    info = process.memory_full_info()
                except psutil.Error:
                    continue
                counted += 1
                rss += info.rss / 2**20
                pss += getattr(info, "pss", info.rss) / 2**20
                single = max(single, info.rss / 2**20)
            self.rss_sum, self.pss_sum = max(self.rss_sum, rss), max(self.pss_sum, pss)
            self.rss_max, self.processes = max(self.rss_max, single), max(self.processes, counted)
            self.stop.wait(self.interval)


def parse_time_v(text: str) -> dict:
    found = {}
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if match:
        found["max_rss_mb"] = int(match[1]) / 1024
    match = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", text)
    if match:
        seconds = 0.0
        for part in match[1].split(":"):
            seconds = seconds * 60 + float(part)
        found["elapsed_s"] = seconds
    match = re.search(r"Exit status: (\d+)", text)
    if match:
        found["exit_status"] = int(match[1])
    return found


def read_records(path: Path, key: str) -> tuple[list[dict], int]:
    """The records of a JSON Lines output and the number of lines that are not a record."""
    records, bad = [], 0
    if not path.exists():
        return records, bad
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                bad += 1
                continue
            if isinstance(record, dict) and key in record:
                records.append(record)
            else:
                bad += 1
    return records, bad


def per_input(records: list[dict], key: str) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for record in records:
        grouped.setdefault(record[key], []).append(record)
    return grouped


def coverage(grouped: dict[str, list[dict]], inputs: list[str]) -> tuple[list[str], dict[str, int], list[str]]:
    """(inputs without a record, inputs with more than one record, records of no input)."""
    missing = [name for name in inputs if name not in grouped]
    repeated = {name: len(grouped[name]) for name in inputs if len(grouped.get(name, [])) > 1}
    known = set(inputs)
    strangers = [name for name in grouped if name not in known]
    return missing, repeated, strangers


def lines_in(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
    except OSError:
        return 0


def partials(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.*.partial"))


def short(text: str, width: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def tracebacks(text: str) -> list[str]:
    """The 'Traceback' blocks of a stderr, each cut to its first and last lines."""
    blocks = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if "Traceback" in line:
            block = lines[index:index + 60]
            end = next((i for i, l in enumerate(block[1:], 1) if l and not l.startswith((" ", "\t"))), len(block) - 1)
            blocks.append(" | ".join(l.strip() for l in [block[0], *block[max(1, end - 2):end + 1]]))
    return blocks


# ------------------------------------------------------------------------------ the checks

class Report:
    def __init__(self):
        self.rows: list[tuple[str, str, str]] = []
        self.notes: list[str] = []
        self.failed = 0

    def check(self, name: str, ok: bool, figure: str) -> bool:
        self.rows.append((name, "ok" if ok else "FAIL", figure))
        self.failed += not ok
        return ok

    def info(self, name: str, figure: str) -> None:
        self.rows.append((name, "info", figure))

    def print(self) -> None:
        width = max(len(name) for name, _, _ in self.rows)
        print("\n" + "=" * 100)
        print(f"{'check':<{width}}  result  figure")
        print(f"{'-' * width}  ------  {'-' * 40}")
        for name, result, figure in self.rows:
            print(f"{name:<{width}}  {result:<6}  {figure}")
        if self.notes:
            print("\nnotes:")
            for note in self.notes:
                print(f"- {note}")
        print(f"\n{self.failed} check(s) failed" if self.failed else "\nall checks passed")


def probe_schema(work: Path, command: str, good: str, empty: str) -> str:
    """The record field that holds the input's path, read from a small run."""
    out = work / "probe.jsonl"
    run = subprocess.run([command, "batch", good, empty, "--out", str(out), "--no-progress"],
                         capture_output=True, text=True)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()] if out.exists() else []
    for key in (lines[0] if lines else {}):
        if all(isinstance(r, dict) and r.get(key) in (good, empty) for r in lines) and {r[key] for r in lines} == {good, empty}:
            return key
    raise SystemExit(f"cannot tell the path field of the records (exit {run.returncode}): {short(run.stderr, 400)}")


def main_run(args, report: Report, work: Path, command: str, folder: Path, inputs: list[str], key: str,
             what: dict) -> None:
    out = work / "out.jsonl"
    err = work / "batch.stderr"
    batch = [command, "batch", str(folder), inputs[-1], "--out", str(out), "-n", str(args.n_process), "--no-progress"]
    timer = Path("/usr/bin/time")
    wrapped = [str(timer), "-v", *batch] if timer.exists() else batch
    if not timer.exists():
        report.notes.append("/usr/bin/time not found: peak memory only from psutil sampling of the process tree")
    print(f"running: {' '.join(batch)}", flush=True)
    started = time.perf_counter()
    with err.open("w") as stderr:
        process = subprocess.Popen(wrapped, stdout=subprocess.DEVNULL, stderr=stderr)
        sampler = TreeSampler(process.pid, skip=process.pid if timer.exists() else None)
        sampler.start()
        code = process.wait()
        sampler.stop.set()
        sampler.join()
    wall = time.perf_counter() - started
    text = err.read_text(errors="replace")
    timed = parse_time_v(text) if timer.exists() else {}
    records, bad = read_records(out, key)
    grouped = per_input(records, key)
    missing, repeated, strangers = coverage(grouped, inputs)

    report.check("batch: exit code 0", code == 0, str(code))
    found = tracebacks(text)
    report.check("batch: no traceback in stderr", not found, f"{len(found)} traceback(s)")
    for block in found[:3]:
        report.notes.append(f"batch traceback: {short(block, 400)}")
    report.check("batch: records == inputs", len(records) == len(inputs) and not bad,
                 f"{len(records)} records, {len(inputs)} inputs" + (f", {bad} lines not a record" if bad else ""))
    report.check("batch: every input exactly once", not (missing or repeated or strangers),
                 f"{len(missing)} missing, {len(repeated)} with >1 record, {len(strangers)} records of no input")
    for name in missing[:10]:
        report.notes.append(f"no record: {name}")
    for name, count in list(repeated.items())[:10]:
        report.notes.append(f"{count} records: {name} ({what.get(name, 'good minutes')})")
    if "max_rss_mb" in timed:
        report.check(f"batch: peak RSS < {args.max_rss_mb:g} MB (/usr/bin/time -v)", timed["max_rss_mb"] < args.max_rss_mb,
                     f"{timed['max_rss_mb']:.0f} MB (largest single process of the tree)")
    else:
        report.check(f"batch: peak RSS < {args.max_rss_mb:g} MB (psutil, sum of RSS)", sampler.rss_sum < args.max_rss_mb,
                     f"{sampler.rss_sum:.0f} MB")
    report.info("batch: process tree (psutil, every 0.5 s)",
                f"sum RSS {sampler.rss_sum:.0f} MB, sum PSS {sampler.pss_sum:.0f} MB, largest process "
                f"{sampler.rss_max:.0f} MB, {sampler.processes} processes")
    if out.exists():
        report.info("batch: output", f"{out.stat().st_size / 1e6:.1f} MB, mode {oct(out.stat().st_mode & 0o777)}")
    report.info("batch: wall time", f"{wall:.1f} s" + (f" (/usr/bin/time: {timed['elapsed_s']:.1f} s)" if "elapsed_s" in timed else ""))
    summary = re.search(r"^\d+ files: .*$", text, re.MULTILINE)
    if summary:
        report.info("batch: referat's summary", short(summary[0], 200))
    errors = {name: group[0]["error"] for name, group in grouped.items() if "error" in group[0]}
    report.info("batch: error records", f"{len(errors)}")
    for name, message in sorted(errors.items()):
        report.notes.append(f"error record {Path(name).name} [{what.get(name, 'good minutes')}]: {short(message)}")
    for name, kind in what.items():
        group = grouped.get(name, [])
        if group and "error" not in group[0]:
            first = group[0]
            meeting = first.get("meeting") or {}
            warnings = [w for r in group for w in r.get("warnings") or []]
            report.notes.append(
                f"analysed {Path(name).name} [{kind}]: {len(group)} record(s), format {first.get('format')}, "
                f"{sum(len(r.get('items') or []) for r in group)} items, committee {meeting.get('committee')!r}, "
                f"date {meeting.get('date')}, {len(warnings)} warning(s)"
                + (f": {short('; '.join(map(str, warnings[:2])), 200)}" if warnings else ""))
    good = [name for name in inputs if name not in what]
    good_errors = [name for name in good if name in errors]
    report.check("batch: no error record for good minutes", not good_errors, f"{len(good_errors)} of {len(good)}")
    exact = sum(1 for name in good if len(grouped.get(name, [])) == 1
                and len(grouped[name][0].get("items") or []) == ITEMS_WRITTEN.get(name))
    named = sum(1 for name in good if grouped.get(name) and (grouped[name][0].get("meeting") or {}).get("committee")
                and (grouped[name][0].get("meeting") or {}).get("date"))
    report.info("batch: good minutes read as written", f"{exact} of {len(good)} with every item found; "
                f"{named} with committee and date")
    own = text.split("\tCommand being timed:")[0]  # what referat printed, before /usr/bin/time's report
    other = [line for line in own.splitlines() if line.strip() and not line.startswith("failed ")
             and not (summary and line == summary[0])]
    if other:
        report.notes.append(f"other stderr lines of the batch ({len(other)}, failure messages wrapped by the "
                            f"console included): {short(' | '.join(other[:5]), 400)}")


def interrupted_run(args, report: Report, work: Path, command: str, folder: Path, inputs: list[str], key: str,
                    how: signal.Signals) -> None:
    import psutil

    label = f"resume after {how.name}"
    out = work / f"resume_{how.name.lower()}.jsonl"
    err = work / f"resume_{how.name.lower()}.stderr"
    batch = [command, "batch", str(folder), inputs[-1], "--out", str(out), "-n", str(args.n_process), "--no-progress"]
    print(f"{label}: starting, to be stopped after {args.kill_after} records", flush=True)
    with err.open("w") as stderr:
        process = subprocess.Popen(batch, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
        group = process.pid  # start_new_session: the process group id is the pid
        deadline = time.monotonic() + args.kill_timeout
        written = 0
        while process.poll() is None and time.monotonic() < deadline:
            written = lines_in(out) + sum(lines_in(p) for p in partials(out))
            if written >= args.kill_after:
                break
            time.sleep(0.2)
        if process.poll() is not None:
            report.check(f"{label}: stopped while running", False, f"the batch ended first (exit {process.returncode})")
            return
        members = [p for p in psutil.Process(process.pid).children(recursive=True)]
        os.killpg(group, how)
        try:
            code = process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            report.check(f"{label}: the batch stops", False, "still running 120 s after the signal: SIGKILL")
            os.killpg(group, signal.SIGKILL)
            code = process.wait()
        time.sleep(1)
        left = [p.pid for p in members if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        for pid in left:  # workers of this run that outlived it
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    text = err.read_text(errors="replace")
    kept, bad = read_records(out, key)
    leftover = partials(out)
    kept_files = per_input(kept, key)
    kept_errors = sum(1 for group in kept_files.values() if "error" in group[0])
    report.info(f"{label}: killed at", f"{written} records written; exit code {code}")
    report.info(f"{label}: kept in OUT", f"{len(kept)} records of {len(kept_files)} inputs ({kept_errors} error records)"
                + (f", {bad} cut lines" if bad else "") + f"; OUT exists: {out.exists()}")
    if leftover:
        report.info(f"{label}: .partial files left", f"{len(leftover)} ({sum(lines_in(p) for p in leftover)} lines): "
                    + ", ".join(p.name for p in leftover))
    if left:
        report.check(f"{label}: no worker outlives the batch", False, f"{len(left)} left, killed: {left}")
    if how == signal.SIGINT:
        found = tracebacks(text)
        report.check(f"{label}: no traceback on Ctrl-C", not found, f"{len(found)} traceback(s)")
        for block in found[:2]:
            report.notes.append(f"{label} traceback: {short(block, 400)}")
        report.check(f"{label}: Ctrl-C keeps the records done", len(kept) > 0, f"{len(kept)} records in OUT")
        said = re.search(r"interrupted.*?(?:--resume to finish|$)", text, re.DOTALL)
        report.info(f"{label}: message", short(said[0], 200) if said else short(text[-300:], 200) or "(none)")
        rest = [line for line in text.splitlines() if line.strip() and (not said or line not in said[0])]
        if rest:
            report.notes.append(f"{label}: other stderr lines of the interrupted run: {short(' | '.join(rest[:5]), 300)}")

    print(f"{label}: rerunning with --resume", flush=True)
    started = time.perf_counter()
    rerun = subprocess.run([*batch, "--resume"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    (work / f"resume_{how.name.lower()}.rerun.stderr").write_text(rerun.stderr)
    skipped = re.search(r"(\d+)\s+already\s+done", rerun.stderr)
    report.check(f"{label}: rerun exit code 0", rerun.returncode == 0, f"{rerun.returncode} in {seconds:.0f} s; "
                 f"{skipped[1] if skipped else 0} inputs skipped as done")
    found = tracebacks(rerun.stderr)
    report.check(f"{label}: rerun without traceback", not found, f"{len(found)} traceback(s)")
    for block in found[:2]:
        report.notes.append(f"{label} rerun traceback: {short(block, 400)}")
    union, bad = read_records(out, key)
    grouped = per_input(union, key)
    missing, repeated, strangers = coverage(grouped, inputs)
    report.check(f"{label}: union has every input exactly once", not (missing or repeated or strangers),
                 f"{len(union)} records for {len(inputs)} inputs: {len(missing)} missing, {len(repeated)} more than once, "
                 f"{len(strangers)} of no input" + (f", {bad} lines not a record" if bad else ""))
    for name in missing[:5]:
        report.notes.append(f"{label}: no record for {name}")
    for name, count in list(repeated.items())[:10]:
        kinds = ["error" if "error" in r else "analysed" for r in grouped[name]]
        report.notes.append(f"{label}: {count} records for {Path(name).name} ({', '.join(kinds)})")
    if how == signal.SIGKILL and kept_files == {} and leftover:
        report.notes.append(f"{label}: the killed run's records stayed in {leftover[0].name} (a fresh output is moved "
                            "into place only when the run ends), so --resume found nothing done and analysed every "
                            "input again; the .partial file is left behind")


def cold_start(args, report: Report, work: Path, command: str) -> None:
    tiny = work / "tiny.txt"
    tiny.write_text("Havbøl Kommune\nReferat\nØkonomiudvalget\n\nMødedato: den 3. marts 2025 kl. 16.00\n"
                    "Medlemmer:\nAnne Lund (A)\nBo Ravn (V)\n\n1. Godkendelse af dagsorden\nBeslutning\nGodkendt.\n\n"
                    "2. Anlægsbevilling til Engskolen\nSagsfremstilling\nUdgiften er 1,4 mio. kr.\nIndstilling\n"
                    "Forvaltningen indstiller, at bevillingen gives.\nBeslutning\nAnbefales.\n", encoding="utf-8")
    for name, cmd in ((f"cold start: referat analyse tiny file", [command, "analyse", str(tiny)]),
                      ("cold start: import referat; referat.load()",
                       [sys.executable, "-c", "import referat; referat.load()"])):
        times, failures = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            run = subprocess.run(cmd, capture_output=True, text=True)
            times.append(time.perf_counter() - started)
            if run.returncode != 0:
                failures.append(short(run.stderr, 200))
        median = statistics.median(times)
        report.check(f"{name} (median of {args.runs}) <= {args.cold_limit:g} s", median <= args.cold_limit and not failures,
                     f"{median:.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)})"
                     + (f"; {len(failures)} failed: {failures[0]}" if failures else ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", help="folder for inputs and outputs (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--files", type=int, default=2000, help="inputs in all")
    parser.add_argument("--big-mb", type=float, default=30.0)
    parser.add_argument("--line-mb", type=float, default=5.0)
    parser.add_argument("-n", "--n-process", type=int, default=2)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--kill-after", type=int, default=150, help="records before the interrupted runs are stopped")
    parser.add_argument("--kill-timeout", type=float, default=900, help="seconds to wait for those records")
    parser.add_argument("--skip-resume", action="store_true")
    parser.add_argument("--runs", type=int, default=5, help="cold start runs")
    parser.add_argument("--max-rss-mb", type=float, default=600.0)
    parser.add_argument("--cold-limit", type=float, default=1.0)
    args = parser.parse_args()

    if args.work:
        work = Path(args.work).resolve()
        if (work / "inputs").exists():
            if not (work / "inputs" / MARKER).exists():
                raise SystemExit(f"{work / 'inputs'} exists and was not written by this script")
            shutil.rmtree(work / "inputs")
        work.mkdir(parents=True, exist_ok=True)
        for old in [*work.glob("*.jsonl"), *work.glob(".*.partial"), *work.glob("*.stderr")]:
            old.unlink()
    else:
        work = Path(tempfile.mkdtemp(prefix="referat-stress-"))
    folder = work / "inputs"
    command = referat_command()
    report = Report()
    try:
        started = time.perf_counter()
        inputs, what, note = write_inputs(folder, args.files, args.big_mb, args.line_mb, args.seed)
        size = sum(Path(name).stat().st_size for name in inputs)
        print(f"{len(inputs)} inputs, {size / 1e6:.1f} MB, written in {time.perf_counter() - started:.0f} s "
              f"to {folder}", flush=True)
        if note:
            report.notes.append(note)
        from referat.batch import expand_inputs

        listed = expand_inputs([str(folder), inputs[-1]])
        report.check("inputs: referat lists exactly the files written", sorted(listed) == sorted(inputs),
                     f"{len(listed)} listed, {len(inputs)} written, {size / 1e6:.1f} MB")
        good = next(name for name in inputs if name not in what)
        key = probe_schema(work, command, good, next(name for name in what if "empty" in what[name]))
        report.info("record schema", f"the input's path is in the field {key!r}; error records have 'error'")

        cold_start(args, report, work, command)
        main_run(args, report, work, command, folder, inputs, key, what)
        if not args.skip_resume:
            for how in (signal.SIGINT, signal.SIGKILL):
                interrupted_run(args, report, work, command, folder, inputs, key, how)
    finally:
        report.print()
        if args.work or args.keep:
            print(f"inputs and outputs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
