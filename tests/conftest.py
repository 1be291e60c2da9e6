"""Shared fixtures: the configs/ tables the tests build pipelines and parsers from."""

from __future__ import annotations

from pathlib import Path

import pytest

CONFIGS = Path(__file__).resolve().parents[1] / "configs"


@pytest.fixture(scope="session")
def configs() -> Path:
    return CONFIGS


@pytest.fixture(scope="session")
def lexicon():
    from referat.lexicon import Lexicon

    return Lexicon.from_folder(CONFIGS)


@pytest.fixture(scope="session")
def styles():
    from referat.structure import load_styles

    return load_styles(CONFIGS / "structure.toml")


@pytest.fixture(scope="session")
def context_rules(lexicon):
    import tomllib

    from referat.entities.rules import ContextRules

    with open(CONFIGS / "patterns" / "context.toml", "rb") as handle:
        return ContextRules.from_dict(tomllib.load(handle), lexicon)
