"""The readable source form of the annotated corpus, and its compiler to records.

A source file (``corpus/source/<id>.txt``) is the minutes text with annotations written
inline, so a person can write and review it without counting characters:

    #% id: fjordby-2019-03-12-tmu
    #% municipality: Fjordby Kommune
    #% committee: Teknik- og Miljøudvalget
    #% date: 2019-03-12
    #% kind: referat
    #% style: punkt-kolon
    #% ---
    ... header text ...
    #% item bevilling | 3 | Anlægsbevilling til cykelsti
    3. Anlægsbevilling til cykelsti
    ... [Jan Dam](PERSON) ([V](PARTY)) ... [1,4 mio. kr.](AMOUNT=1400000) ...

- ``#% key: value`` lines before ``#% ---`` are the meeting's metadata.
- ``#% item LABEL | NUMBER | TITLE`` starts an item at the first non-blank character
  after the mark (its heading). NUMBER is the number as printed, or ``-`` when the
  house style prints none. The item runs to the next item's start or the end of text.
- ``[surface](LABEL)`` or ``[surface](LABEL=value)`` marks an entity. AMOUNT needs its
  value in whole kroner; PARTY may give a name for a local list. A name the text breaks
  over two lines is marked over them: ``[Center for Sundhed og`` ending one line and
  ``Omsorg](ORG)`` starting the next.
- ``#% decision OUTCOME [amended] | body: BODY | for: A, F | against: V | abstain: I`` (all
  but OUTCOME optional) annotates one decision of the current item, one mark per deciding
  body in printed order. OUTCOME is an outcome name or ``-`` where the decision states none.
  A meeting whose metadata has ``decisions: annotated`` gets a ``decisions`` list on every
  item (empty where no mark is given); other meetings' items have no ``decisions`` field.
- Mark lines are removed from the text; everything else is kept exactly.

This module uses the standard library only, so an annotator can check a file with
``python src/referat/corpus_source.py FILE...`` before the package is installed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ENTITY_LABELS = ("PERSON", "PARTY", "PROGRAMME", "AMOUNT", "ORG")
META_KEYS = ("id", "municipality", "committee", "date", "kind", "style")

# a surface may hold one line break where the printed name does ("Center for Sundhed og" at a
# line's end, "Omsorg](ORG)" at the next line's start): the two lines are read as one
_ENTITY_MARK = re.compile(
    r"\[(?P<surface>[^\[\]\n]+(?:\n[^\[\]\n]+)?)\]\((?P<label>" + "|".join(ENTITY_LABELS)
    + r")(?:=(?P<value>[^()\n]*))?\)"
)
_OPEN_MARK = re.compile(r"\[[^\[\]\n]+\n\Z")
_CLOSING_MARK = re.compile(r"[^\[\]\n]+\]\((?:" + "|".join(ENTITY_LABELS) + r")\b")
_MARK_PREFIX = "#%"
_SIDES = ("for", "against", "abstain")
DECISIONS_KEY = "decisions"


class SourceError(ValueError):
    """A source file that cannot be compiled; the message names the file and line."""


def parse_decision_mark(content: str, where: str) -> dict:
    """``OUTCOME [amended] | body: X | for: A, F | against: V | abstain: I`` → a decision dict."""
    head, *fields = [field.strip() for field in content.split("|")]
    words = head.split()
    if not words or len(words) > 2 or (len(words) == 2 and words[1] != "amended"):
        raise SourceError(f"{where}: decision mark needs 'OUTCOME [amended]' first, got {head!r}")
    decision = {"outcome": None if words[0] == "-" else words[0], "amended": len(words) == 2,
                "body": None, "for": [], "against": [], "abstain": []}
    for field in fields:
        key, sep, value = (part.strip() for part in field.partition(":"))
        if not sep or key not in ("body", *_SIDES):
            raise SourceError(f"{where}: decision field {field!r} is not 'body: ...', 'for: ...', "
                              f"'against: ...' or 'abstain: ...'")
        if key == "body":
            decision["body"] = value or None
        else:
            decision[key] = [code.strip() for code in value.split(",") if code.strip()]
    return decision


def _value(label: str, raw: str | None, where: str):
    if raw is None:
        if label == "AMOUNT":
            raise SourceError(f"{where}: AMOUNT needs a value, e.g. [1,4 mio. kr.](AMOUNT=1400000)")
        return None
    raw = raw.strip()
    if label == "AMOUNT":
        if not re.fullmatch(r"-?\d+", raw):
            raise SourceError(f"{where}: AMOUNT value {raw!r} is not a whole number of kroner")
        return int(raw)
    return raw or None


def compile_source(source: str, name: str = "<source>") -> dict:
    """Turn one source file's content into a corpus record (see corpus/README.md)."""
    meta: dict[str, str] = {}
    lines = source.splitlines(keepends=True)
    body_start = None
    for number, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith(_MARK_PREFIX):
            raise SourceError(f"{name}:{number + 1}: metadata must end with '#% ---' before the text")
        content = stripped[len(_MARK_PREFIX):].strip()
        if content == "---":
            body_start = number + 1
            break
        key, sep, value = content.partition(":")
        if not sep:
            raise SourceError(f"{name}:{number + 1}: metadata line needs 'key: value'")
        meta[key.strip()] = value.strip()
    if body_start is None:
        raise SourceError(f"{name}: no '#% ---' line ends the metadata")
    missing = [key for key in META_KEYS if not meta.get(key)]
    if missing:
        raise SourceError(f"{name}: metadata lacks {', '.join(missing)}")
    flag = meta.pop(DECISIONS_KEY, None)
    if flag not in (None, "annotated"):
        raise SourceError(f"{name}: metadata 'decisions' can only be 'annotated', not {flag!r}")
    with_decisions = flag == "annotated"

    text_parts: list[str] = []
    entities: list[dict] = []
    items: list[dict] = []
    pending_item: dict | None = None
    offset = 0
    body = iter(enumerate(lines[body_start:], start=body_start + 1))
    for number, line in body:
        where = f"{name}:{number}"
        # (a mark line cannot close a name: its "[" stops _CLOSING_MARK before any "](")
        while _OPEN_MARK.search(line) and number < len(lines) and _CLOSING_MARK.match(lines[number]):
            number, following = next(body)
            line += following  # a name marked across a line break
        if line.lstrip().startswith(_MARK_PREFIX):
            content = line.strip()[len(_MARK_PREFIX):].strip()
            if content.startswith("decision ") or content == "decision":
                if not with_decisions:
                    raise SourceError(f"{where}: a decision mark needs '#% decisions: annotated' "
                                      f"in the metadata")
                if not items or pending_item is not None:
                    raise SourceError(f"{where}: a decision mark belongs inside an item, after its heading")
                items[-1]["decisions"].append(parse_decision_mark(content[len("decision"):], where))
                continue
            if not content.startswith("item "):
                raise SourceError(f"{where}: unknown mark {content!r}")
            fields = [field.strip() for field in content[len("item "):].split("|")]
            if len(fields) != 3 or not fields[0] or not fields[2]:
                raise SourceError(f"{where}: item mark needs 'LABEL | NUMBER | TITLE'")
            if pending_item is not None:
                raise SourceError(f"{where}: item mark follows another with no heading between")
            label, printed_number, title = fields
            pending_item = {
                "number": None if printed_number == "-" else printed_number,
                "title": _ENTITY_MARK.sub(lambda m: m.group("surface"), title),
                "label": label,
                "line": where,
                "decisions": [],
            }
            continue
        plain = []
        cursor = 0
        for match in _ENTITY_MARK.finditer(line):
            plain.append(line[cursor:match.start()])
            start = offset + sum(len(part) for part in plain)
            surface = match.group("surface")
            if surface != surface.strip():
                raise SourceError(f"{where}: entity {surface!r} has surrounding space")
            entities.append({
                "start": start,
                "end": start + len(surface),
                "label": match.group("label"),
                "value": _value(match.group("label"), match.group("value"), where),
            })
            plain.append(surface)
            cursor = match.end()
        plain.append(line[cursor:])
        plain_line = "".join(plain)
        if pending_item is not None and plain_line.strip():
            pending_item["start"] = offset + (len(plain_line) - len(plain_line.lstrip()))
            del pending_item["line"]
            items.append(pending_item)
            pending_item = None
        text_parts.append(plain_line)
        offset += len(plain_line)
    if pending_item is not None:
        raise SourceError(f"{pending_item['line']}: item mark with no heading after it")
    text = "".join(text_parts)
    for index, item in enumerate(items):
        item["end"] = items[index + 1]["start"] if index + 1 < len(items) else len(text)
    return {
        "id": meta["id"],
        "text": text,
        "meta": {key: meta[key] for key in META_KEYS if key != "id"}
        | {key: value for key, value in meta.items() if key not in META_KEYS},
        "items": [{k: item[k] for k in ("start", "end", "number", "title", "label")}
                  | ({"decisions": item["decisions"]} if with_decisions else {}) for item in items],
        "entities": entities,
    }


def compile_file(path: str | Path) -> dict:
    path = Path(path)
    return compile_source(path.read_text(encoding="utf-8"), name=str(path))


def main(argv: list[str]) -> int:
    """Check source files: compile each, print a one-line summary or the error."""
    from collections import Counter

    failed = 0
    for name in argv:
        try:
            record = compile_file(name)
        except (SourceError, OSError, UnicodeDecodeError) as error:
            failed += 1
            print(f"ERROR {error}")
            continue
        labels = Counter(item["label"] for item in record["items"])
        ents = Counter(entity["label"] for entity in record["entities"])
        decided = [d for item in record["items"] for d in item.get("decisions", ())]
        extra = f"; {len(decided)} decisions" if any("decisions" in i for i in record["items"]) else ""
        print(f"ok {name}: {len(record['items'])} items {dict(labels)}; entities {dict(ents)}{extra}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
