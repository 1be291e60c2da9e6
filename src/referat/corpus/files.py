"""Writing corpus files (stable key order) and compiling the source folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from referat.errors import CorpusError
from referat.corpus.schema import (ENTITY_FIELDS, ITEM_FIELDS, META_FIELDS)

def ordered_record(record: dict) -> dict:
    """A copy of the record with the stable key order used in files."""
    meta = record.get("meta") or {}
    return {
        "id": record.get("id"),
        "text": record.get("text"),
        "meta": {**{k: meta[k] for k in META_FIELDS if k in meta},
                 **{k: meta[k] for k in sorted(meta) if k not in META_FIELDS}},
        "items": [{**{k: item[k] for k in ITEM_FIELDS if k in item},
                   **{k: item[k] for k in sorted(item) if k not in ITEM_FIELDS}}
                  for item in record.get("items") or []],
        "entities": [{**{k: e[k] for k in ENTITY_FIELDS if k in e},
                      **{k: e[k] for k in sorted(e) if k not in ENTITY_FIELDS}}
                     for e in record.get("entities") or []],
    }


def write_jsonl(records: Iterable[dict], path: str | Path) -> Path:
    """Write records as UTF-8 JSON Lines (ensure_ascii=False), one per line, stable key order."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for record in records:
            handle.write(json.dumps(ordered_record(record), ensure_ascii=False) + "\n")
    return path


def compile_sources(folder: str | Path, parties=None) -> list[dict]:
    """Compile every corpus source file (``*.txt``) directly in `folder`, sorted by id.

    A PARTY without a written value gets its party's name from `parties` (a PartyTable;
    default: configs/parties.toml of the source tree, else the shipped pipeline's table).

    All files are tried; if any fails, CorpusError lists every failure (``file:line:
    message``), and its ``errors`` attribute holds them one by one.
    """
    from referat.corpus.source import SourceError, compile_file

    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusError(f"{folder}: no such folder")
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise CorpusError(f"{folder}: holds no *.txt corpus source files")
    parties = parties or default_parties()

    records, failures = [], []
    for file in files:
        try:
            record = compile_file(file)
            for entity in record["entities"]:
                # a PARTY's value is its party's name; a local list's letter stands for itself
                if entity["label"] == "PARTY" and entity["value"] is None:
                    surface = record["text"][entity["start"]:entity["end"]]
                    entity["value"] = parties.name(surface) or surface
            records.append(record)
        except SourceError as error:
            failures.append(str(error))
        except (OSError, UnicodeDecodeError) as error:
            failures.append(f"{file}: cannot be read ({error})")
    if failures:
        error = CorpusError(f"{len(failures)} source file(s) failed:\n" + "\n".join(failures))
        error.errors = failures
        raise error
    return sorted(records, key=lambda r: r["id"])


def default_parties():
    """The party table corpus tools use: configs/parties.toml of the source tree, else the
    shipped pipeline's."""
    from referat.entities.parties import PartyTable
    from referat.lexicon import Lexicon
    from referat.resources import CONFIGS

    source = CONFIGS / "parties.toml"
    return PartyTable.load(source) if source.is_file() else Lexicon.shipped().parties
