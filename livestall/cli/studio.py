"""`livestall studio`: the seller's web studio in the browser (products, photos, clips, live)."""

from __future__ import annotations

import webbrowser
from pathlib import Path
from typing import Annotated, Literal

import typer

from livestall.cli.output import console, err_console
from server.app import build_studio_app
from server.serve import serve as run_server
from server.studio.pairing import lan_address
from studio.error_texts import error_text
from studio.errors import LivestallError
from studio.paths import data_dir, sample_catalog_path

Language = Literal["vi", "en", "ar"]


def studio_catalog(catalog: Path | None, folder: Path) -> Path:
    """The catalog to open: the one given, else the studio's own, else the bundled sample."""
    if catalog is not None:
        return catalog
    own = folder / "studio" / "catalog.yaml"
    return own if own.is_file() else sample_catalog_path()


def studio_url(host: str, port: int, lang: str) -> str:
    """The address a browser opens (a wildcard host is shown as loopback)."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    return f"http://{shown}:{port}/studio?lang={lang}"


def studio(
    host: Annotated[
        str, typer.Option("--host", help="Loopback address to listen on (this computer only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open a browser window.")
    ] = False,
    lang: Annotated[
        Language, typer.Option("--lang", help="Language of the pages: vi, en or ar.")
    ] = "vi",
    catalog: Annotated[
        Path | None,
        typer.Option("--catalog", help="Catalog to start from (default: the studio's own)."),
    ] = None,
    lan: Annotated[
        bool,
        typer.Option(
            "--lan",
            help="Also listen on the local network, for phones paired with a one-time QR code.",
        ),
    ] = False,
) -> None:
    """Open the web studio: products, photos, clips, post kits and go-live, in a browser."""
    folder = data_dir()
    try:
        app = build_studio_app(studio_catalog(catalog, folder), host=host, port=port, lan=lan)
    except LivestallError as exc:
        # The seller chose a language for the pages: say why the studio did not start in it too.
        problem = error_text(exc.code, lang, message=exc.message, hint=exc.hint)
        err_console.print(
            f"[bold red]error[/] [dim]{exc.code}[/] {problem['message']} — {problem['hint']}",
            soft_wrap=True,
        )
        raise typer.Exit(exc.exit_code) from None
    url = studio_url(host, port, lang)
    console.print(f"[bold]Livestall studio[/] — open {url}")
    console.print(f"  data folder   {folder / 'studio'}")
    if lan:
        address = lan_address()
        shown = f"http://{address}:{port}" if address else "(no network found)"
        console.print(f"  phones        {shown}: press “Dùng trên điện thoại” in the studio")
    console.print("  stop with Ctrl-C")
    if not no_browser:
        webbrowser.open(url)
    # --lan: every interface, but only this computer and paired phones are served (by peer)
    run_server(app, host="0.0.0.0" if lan else host, port=port)
