"""The table of house styles (configs/structure.toml), loaded and compiled once."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path



@dataclass(frozen=True)
class HeadingStyle:
    """One way of printing an item heading: a one-line pattern with named groups."""

    name: str
    pattern: re.Pattern
    weight: int = 1
    title_on_next_line: bool = False


@dataclass
class StyleTable:
    """Everything the structure parser knows about house styles, compiled."""

    headings: list[HeadingStyle]
    sections: dict[str, tuple[str, ...]]          # canonical name -> exact headings
    section_prefixes: dict[str, tuple[str, ...]]  # canonical name -> heading prefixes
    section_patterns: dict[str, re.Pattern] = field(default_factory=dict)  # name -> whole-heading pattern
    item: dict = field(default_factory=dict)
    header: dict = field(default_factory=dict)
    exact: dict[str, str] = field(default_factory=dict)       # heading -> canonical name

    @classmethod
    def from_dict(cls, data: dict) -> "StyleTable":
        headings = [
            HeadingStyle(
                name=row["name"],
                pattern=re.compile(row["pattern"]),
                weight=int(row.get("weight", 1)),
                title_on_next_line=bool(row.get("title_on_next_line", False)),
            )
            for row in data["heading"]
        ]
        sections = {row["name"]: tuple(h.lower() for h in row["headings"]) for row in data["section"]}
        prefixes = {row["name"]: tuple(p.lower() for p in row.get("prefix", ())) for row in data["section"]}
        patterns = {row["name"]: re.compile("|".join(f"(?:{p})" for p in row["patterns"]))
                    for row in data["section"] if row.get("patterns")}
        item = dict(data.get("item", {}))
        for key in ("case_number", "closed", "open", "title_prefix", "title_suffix", "title_tag", "toc_line",
                    "toc_heading", "number_line", "status_line"):
            item[key] = re.compile(item[key])
        if "title_number" in item:  # pipelines saved before it have none
            item["title_number"] = re.compile(item["title_number"])
        exact = {heading: name for name, names in sections.items() for heading in names}
        return cls(headings=headings, sections=sections, section_prefixes=prefixes,
                   section_patterns=patterns, item=item, header=dict(data.get("header", {})), exact=exact)

    def section_name(self, heading: str) -> str | None:
        """The canonical section name for a printed heading, or None if it is not one."""
        key = heading.strip().rstrip(":").strip().lower()
        if not key or len(key) > 120:
            return None
        name = self.exact.get(" ".join(key.split()))
        if name:
            return name
        for name, prefixes in self.section_prefixes.items():
            if any(key.startswith(prefix) for prefix in prefixes):
                return name
        heading = " ".join(heading.strip().rstrip(":").split())
        for name, pattern in self.section_patterns.items():
            if pattern.fullmatch(heading):
                return name
        return None


COMPONENT, FILE = "referat_structure", "styles.json"


def load_styles(path: str | Path | None = None) -> StyleTable:
    """A style table from a structure.toml (configs/structure.toml is the source); with no path,
    the one the shipped pipeline carries (read once)."""
    if path is None:
        return _shipped_styles()
    with open(path, "rb") as handle:
        return StyleTable.from_dict(tomllib.load(handle))


@lru_cache(maxsize=1)
def _shipped_styles() -> StyleTable:
    from referat.resources import shipped_component_data

    return StyleTable.from_dict(shipped_component_data(COMPONENT, FILE))
