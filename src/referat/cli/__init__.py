"""The `referat` command line (typer): `app` holds the commands, each group in its own module."""
