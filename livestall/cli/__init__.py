"""The `livestall` command line (Typer + Rich). The only place in `studio` that prints."""
