"""Where things lie: the pipeline that ships with the package, and the configs/ of a source tree.

The pipeline is package data (`referat/models/referat_da`), so it is installed with the
package by `pip install` (editable or not, or from a wheel) and found wherever the package
is. The runtime reads only this folder; configs/ is what `referat train` builds it from.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

MODEL_NAME = "referat_da"
#: configs/ of a source tree: what `referat train` assembles a pipeline from (never read at
#: run time; absent in an installed package)
CONFIGS = Path(__file__).resolve().parents[2] / "configs"


def shipped_model_path() -> Path:
    """The folder of the shipped pipeline inside the installed package."""
    return Path(str(resources.files("referat").joinpath("models", MODEL_NAME)))


def shipped_component_data(component: str, name: str) -> dict:
    """A JSON data file a component of the shipped pipeline saved ("referat_structure", "styles.json")."""
    path = shipped_model_path() / component / name
    if not path.is_file():
        from referat.errors import ModelError

        raise ModelError(f"the shipped pipeline has no {component}/{name} at {path}: reinstall referat "
                         "(python -m pip install referat) or give a pipeline made by `referat train`")
    return json.loads(path.read_text(encoding="utf-8"))
