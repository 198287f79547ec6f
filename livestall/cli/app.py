"""The `livestall` command: groups `photos`, `clip`, `live`, `models` and `demo`.

`main` is the one place where errors become an exit code and a one-line reason.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from typing import Annotated

import typer

# Typer >= 0.24 vendors Click; its usage errors are this class, not `click.ClickException`.
from typer._click.exceptions import ClickException

from livestall.cli import catalog, clip, demo, live, models, pay, photos, studio
from livestall.cli.output import err_console
from studio import __version__
from studio.error_texts import env_lang, error_text
from studio.errors import LivestallError

app = typer.Typer(
    name="livestall",
    help="Livestall: product photos, promo clips and live-sale orders, on your own laptop.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(photos.app, name="photos")
app.add_typer(clip.app, name="clip")
app.add_typer(live.app, name="live")
app.add_typer(models.app, name="models")
app.add_typer(pay.app, name="pay")
app.add_typer(catalog.app, name="catalog")
app.command("demo")(demo.demo)
app.command("studio")(studio.studio)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"livestall {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version."),
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log details.")] = False,
) -> None:
    """Livestall: product photos, promo clips and live-sale orders, on your own laptop."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (0 ok, 1 failure, 2 bad input, 3 missing system tool)."""
    command = typer.main.get_command(app)
    try:
        # without standalone mode, click returns a `typer.Exit(code)` as the value, not raising
        result = command.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except LivestallError as exc:
        err_console.print(
            f"[bold red]error[/] [dim]{exc.code}[/] {error_line(exc)}",
            soft_wrap=True,
            markup=True,
            highlight=False,
        )
        return exc.exit_code
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except ClickException as exc:
        exc.show()
        return exc.exit_code
    except typer.Abort:
        err_console.print("[red]aborted[/]")
        return 130
    except KeyboardInterrupt:
        err_console.print("[red]interrupted[/]")
        return 130
    return result if isinstance(result, int) else 0


def error_line(exc: LivestallError) -> str:
    """The reason a seller reads, in the command line's language (`env_lang`, docs/errors.md):
    the error's own English message and hint, or the catalogue's words in vi or ar."""
    lang = env_lang(os.environ)
    if lang == "en":
        return str(exc)
    problem = error_text(exc.code, lang, message=exc.message, hint=exc.hint, params=exc.params)
    return f"{problem['message']} — {problem['hint']}"


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
