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


@pytest.fixture(scope="session")
def trained(tmp_path_factory):
    """A pipeline retrained on a small corpus with a label set of its own (procedure, penge, info)."""
    import json
    import shutil

    from typer.testing import CliRunner

    from referat.cli.app import app
    from test_train import _meeting

    folder = tmp_path_factory.mktemp("retrain")
    corpus = folder / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps(_meeting(i), ensure_ascii=False) for i in range(8)) + "\n", encoding="utf-8")
    configs = folder / "configs"
    shutil.copytree(CONFIGS, configs)
    ner = (configs / "ner.cfg").read_text(encoding="utf-8")
    (configs / "ner.cfg").write_text(ner.replace("max_steps = 2500", "max_steps = 20")
                                     .replace("eval_frequency = 250", "eval_frequency = 10"), encoding="utf-8")
    output = folder / "model"
    result = CliRunner().invoke(app, ["train", "--corpus", str(corpus), "--output", str(output),
                                      "--config", str(configs), "--seed", "3"])
    assert result.exit_code == 0, result.output
    return output
