"""The `referat` command line: parses arguments and calls the modules, nothing more."""

from __future__ import annotations

from typing import Annotated

import typer

from referat.cli import analysis, archive, report, training
from referat.cli.corpus import app as corpus_app
from referat.cli.review import app as review_app

app = typer.Typer(help="Structured data from Danish municipal committee minutes.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        import referat

        try:
            installed = version("referat")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            installed = referat.__version__
        typer.echo(f"referat {installed}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                    help="Print the version and exit.")] = False,
) -> None:
    """Structured data from Danish municipal committee minutes."""


for module in (analysis, training, archive, report):
    app.registered_commands.extend(module.app.registered_commands)
app.add_typer(corpus_app, name="corpus", help="Validate, inspect, build and import annotated corpora.")
app.add_typer(review_app, name="review", help="Export predictions for review in Label Studio or doccano.")


if __name__ == "__main__":  # pragma: no cover
    app()
