"""PDF with a text layer: pages' text by pypdfium2, then running headers/footers removed by
repetition across pages, words hyphenated at line ends joined, wrapped lines unwrapped.

pypdfium2 was chosen by measurement (benchmarks/readers.py, 24 rendered real meetings, 826
pages): word F1 against the reference text 0.989 (pypdf 0.989, pdfplumber 0.988), about 550
pages/s against 28 (pypdf) and 10 (pdfplumber), and it keeps the columns of a two-column
page apart, which pdfplumber does not. The pypdf and pdfplumber page readers stay for the
benchmark.
"""

from __future__ import annotations

import re
from math import ceil

from referat.errors import BrokenFileError, ScannedPDFError
from referat.io.document import Document

# a page edge: this many non-blank lines at the top and at the bottom of each page
EDGE_LINES = 3
# a line at a page edge is running matter when it repeats (digits normalised) on this share of pages
REPEAT_SHARE = 0.5
# below this many non-blank characters per page on average, the PDF is taken for a scan
MIN_CHARS_PER_PAGE = 20
# hyphens that end a line: ASCII hyphen-minus, U+2010 hyphen, soft hyphen; pdfium marks a
# hyphen it took for a soft one as U+FFFE (or U+0002) and drops the line break after it
SOFT_HYPHENS = "\u2010\u00ad"
LINE_HYPHENS = "-" + SOFT_HYPHENS
_PDFIUM_HYPHEN = re.compile("[\ufffe\x02]")
# after "Beskæftigelses-" at a line end, these next words mean the hyphen stands for a
# shared second half ("Social- og Sundhedsudvalget"): keep it and the space
SUSPENDED_HYPHEN_NEXT = ("og", "eller", "samt", "til", "and", "or")
# a line is wrapped running text when it is at least this share of the page's longest line
WRAPPED_SHARE = 0.6
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_LETTER = re.compile(r"[^\W\d_]")
# "12. Title": the shape of a numbered item heading, whose lower-case next line continues it
_NUMBERED_HEADING = re.compile(r"^\s*\d{1,4}\.\s+[^\W\d_]")


# --- page text, one function per library -------------------------------------------------

def pages_pypdfium2(data: bytes) -> list[str]:
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise BrokenFileError(f"the PDF cannot be opened ({error}): it may be damaged or password-protected") from None
    try:
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            textpage.close()
            page.close()
            pages.append(_PDFIUM_HYPHEN.sub("-\n", text.replace("\r\n", "\n").replace("\r", "\n")))
        return pages
    finally:
        pdf.close()


def pages_pypdf(data: bytes) -> list[str]:
    import io

    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        return [page.extract_text() or "" for page in reader.pages]
    except pypdf.errors.PyPdfError as error:
        raise BrokenFileError(f"the PDF cannot be read ({error})") from None


def pages_pdfplumber(data: bytes) -> list[str]:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


BACKENDS = {"pypdfium2": pages_pypdfium2, "pypdf": pages_pypdf, "pdfplumber": pages_pdfplumber}
DEFAULT_BACKEND = "pypdfium2"


# --- cleaning -------------------------------------------------------------------------------

def _key(line: str) -> str:
    return _SPACES.sub(" ", _DIGITS.sub("#", line)).strip().casefold()


def _edges(lines: list[str]) -> dict[int, str]:
    """The first and last EDGE_LINES non-blank lines of a page: index -> 'top' or 'bottom'."""
    filled = [index for index, line in enumerate(lines) if line.strip()]
    edges = {index: "bottom" for index in filled[-EDGE_LINES:]}
    edges.update({index: "top" for index in filled[:EDGE_LINES]})
    return edges


def _counts_pages(occurrences: list[tuple[int, str]]) -> bool:
    """True when the lines are the same text on every page, or differ only in a number that
    goes with the page number ("Side 3 af 28" on page 3, "4" on page 5 after a cover)."""
    texts = {_SPACES.sub(" ", text).strip() for _, text in occurrences}
    if len(texts) == 1:
        return True
    shifts = None
    for page, text in occurrences:
        found = {int(number) - page for number in _DIGITS.findall(text)}
        shifts = found if shifts is None else shifts & found
        if not shifts:
            return False
    return True


def strip_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Pages without the lines that repeat at the top or bottom of most pages (committee and
    date header, "Side 3 af 28", bare page numbers). Lines are compared with digits
    normalised, and lines that differ in digits count only when the digits follow the page
    number, so case numbers at the top of each page stay; a worded line that also stands in
    a page's body (a section heading) stays. One page keeps everything."""
    if len(pages) < 2:
        return pages
    groups: dict[tuple[str, str], dict[int, str]] = {}
    edges = [_edges(lines) for lines in pages]
    for page, (lines, edge) in enumerate(zip(pages, edges)):
        for index, side in edge.items():
            key = _key(lines[index])
            if key:
                groups.setdefault((side, key), {}).setdefault(page, lines[index])
    # a worded line that also stands elsewhere (in a page's body, or at the other edge) is content
    elsewhere: set[tuple[str, str]] = set()
    for lines, edge in zip(pages, edges):
        for index, line in enumerate(lines):
            key = _key(line)
            if key and _LETTER.search(key):
                for side in ("top", "bottom"):
                    if edge.get(index) != side:
                        elsewhere.add((side, key))
    needed = max(2, ceil(REPEAT_SHARE * len(pages)))
    running = {group for group, found in groups.items()
               if len(found) >= needed and group not in elsewhere
               and _counts_pages([(page + 1, text) for page, text in found.items()])}
    cleaned = []
    for lines, edge in zip(pages, edges):
        drop = {index for index, side in edge.items() if (side, _key(lines[index])) in running}
        cleaned.append([line for index, line in enumerate(lines) if index not in drop])
    return cleaned


def _starts_lower(line: str) -> bool:
    stripped = line.lstrip()
    return bool(stripped) and stripped[0].islower()


def join_hyphenated(line: str, following: str) -> str | None:
    """`line` + `following` when `line` ends in a word hyphenated before a lower-case
    continuation ("Møl-" + "gaard..." -> "Møl" + "gaard..."); None when they stay apart."""
    body = line.rstrip()
    if len(body) < 2 or body[-1] not in LINE_HYPHENS or not body[-2].isalpha() or not _starts_lower(following):
        return None
    rest = following.lstrip()
    if body[-1] in SOFT_HYPHENS:
        return body[:-1] + rest
    next_word = re.match(r"\w+", rest)
    if next_word and next_word.group(0) in SUSPENDED_HYPHEN_NEXT:
        return body + " " + rest
    if body[-2].isupper():          # "EU-" + "borgere": a hyphen that belongs to the word
        return body + rest
    return body[:-1] + rest


def _unwrap(line: str, following: str, width: int) -> str | None:
    """`line` + " " + `following` when `following` continues a wrapped line of running text."""
    body = line.rstrip()
    if not body or not _starts_lower(following) or body.endswith(":"):
        return None
    # a numbered heading in a larger type wraps well before the page's longest line
    if len(body) < WRAPPED_SHARE * width and not _NUMBERED_HEADING.match(body):
        return None
    return body + " " + following.lstrip()


def clean_pages(pages: list[str]) -> tuple[str, list[int]]:
    """(text, page offsets) from the pages' raw text."""
    split = strip_running_lines([page.split("\n") for page in pages])
    # one list of (page, line) so that a word hyphenated across a page break is joined too
    flat = [(number, line.rstrip()) for number, lines in enumerate(split) for line in lines]
    width = max((len(line.strip()) for _, line in flat), default=0)
    out: list[tuple[int, str]] = []
    for number, line in flat:
        if out and line.strip():
            previous_page, previous = out[-1]
            joined = join_hyphenated(previous, line) or _unwrap(previous, line, width)
            if joined is not None:
                out[-1] = (previous_page, joined)
                continue
        out.append((number, line))
    text_parts: list[str] = []
    offsets = [0] * len(pages)
    seen = set()
    position = 0
    for number, line in out:
        if number not in seen:
            seen.add(number)
            offsets[number] = position
        text_parts.append(line)
        position += len(line) + 1
    # pages whose every line went to the previous page (or was running matter) start where the next begins
    for number in range(len(pages) - 1, -1, -1):
        if number not in seen:
            offsets[number] = offsets[number + 1] if number + 1 < len(pages) else position
    text = "\n".join(text_parts)
    return text, [min(offset, len(text)) for offset in offsets]


def read_pdf(data: bytes, name: str | None = None, backend: str = DEFAULT_BACKEND) -> Document:
    """A PDF's text layer as a Document with page offsets; ScannedPDFError without one."""
    label = name or "the PDF"
    try:
        pages = BACKENDS[backend](data)
    except BrokenFileError as error:
        raise BrokenFileError(f"{label}: {error}") from None
    if not pages:
        raise BrokenFileError(f"{label} has no pages")
    filled = [len("".join(page.split())) for page in pages]
    if sum(filled) < MIN_CHARS_PER_PAGE * len(pages):
        raise ScannedPDFError(
            f"{label} has no text layer (a scanned document?): run OCR on it first, e.g. "
            "'ocrmypdf in.pdf out.pdf' (Tesseract), then read the OCR'd PDF")
    text, offsets = clean_pages(pages)
    document = Document(text=text, format="pdf", name=name, pages=offsets)
    blank = [str(number) for number, count in enumerate(filled, start=1) if count == 0]
    if blank:
        document.warnings.append(f"page(s) {', '.join(blank)} have no text layer (scanned?): OCR them to read them")
    return document
