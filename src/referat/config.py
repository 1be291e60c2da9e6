"""Reading referat's TOML configuration: a given file, or the copy the package ships.

The editable sources are in configs/; the package ships copies in referat/data/ so that an
installed referat works without the repository (tests keep the two identical).
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path


def shipped_bytes(name: str) -> bytes:
    """A file shipped in referat/data/ ("structure.toml", "patterns/context.toml")."""
    return resources.files("referat").joinpath("data", *name.split("/")).read_bytes()


def read_toml(path: str | Path | None, shipped: str) -> dict:
    """The TOML at `path`, or with no path the shipped file `shipped`."""
    if path is None:
        return tomllib.loads(shipped_bytes(shipped).decode("utf-8"))
    with open(path, "rb") as handle:
        return tomllib.load(handle)
