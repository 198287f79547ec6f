"""HTML to PDF with the system's headless Chromium (``--print-to-pdf``).

Chromium lays out the print stylesheet exactly as the browser's print dialog does, shapes
Vietnamese and Arabic with HarfBuzz, and embeds the fonts. It runs with networking and updates
off, in a throw-away profile folder, and is killed after ``timeout_s``.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from studio.errors import OutputError, SystemDependencyMissing

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
HEADLESS_FLAGS = (  # offline, no updates, no first-run pages (the browser tests launch it so too)
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
)


def find_chromium() -> str:
    """Return the Chromium executable.

    Raises:
        SystemDependencyMissing: no Chromium on PATH.
    """
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise SystemDependencyMissing(
        "Chromium is needed to print packing slips to PDF and was not found",
        hint="install it (`sudo apt install chromium`) or print the HTML slips from a browser",
    )


def html_to_pdf(html_text: str, *, timeout_s: float = 60.0) -> bytes:
    """Print an HTML document to PDF and return the PDF bytes.

    Raises:
        SystemDependencyMissing: no Chromium.
        OutputError: Chromium failed or timed out.
    """
    chromium = find_chromium()
    with tempfile.TemporaryDirectory(prefix="livestall-slips-") as folder:
        root = Path(folder)
        page = root / "slips.html"
        out = root / "slips.pdf"
        page.write_text(html_text, encoding="utf-8")
        command = [
            chromium,
            *HEADLESS_FLAGS,
            "--no-pdf-header-footer",
            f"--user-data-dir={root / 'profile'}",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        try:
            result = subprocess.run(command, capture_output=True, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired as exc:
            raise OutputError(f"Chromium did not print the slips within {timeout_s:.0f} s") from exc
        if not out.is_file() or out.stat().st_size == 0:
            detail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
            raise OutputError(
                f"Chromium could not print the slips (exit {result.returncode}): {' '.join(detail)}",
                hint="print the HTML slips from a browser instead",
            )
        return out.read_bytes()
