"""What every command module of the CLI shares: the consoles, the failure exit and options."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

console = Console()
errors = Console(stderr=True)

ModelOption = Annotated[Optional[Path], typer.Option("--model", "-m", help="Pipeline folder (default: the one installed with referat).")]


def fail(message: str, code: int = 1) -> None:
    """Print an error a person can act on (no traceback) and exit with `code`."""
    from rich.markup import escape

    errors.print(f"[red]error:[/red] {escape(message)}")
    raise typer.Exit(code)
