"""The wheel built from the checkout installs and works outside it, assets included."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json, livestall, studio, overlays, server
from studio.paths import assets_dir, fonts_dir, sample_catalog_path
from studio.catalog import load_catalog
from studio.error_texts import error_text
catalog = load_catalog(sample_catalog_path())
print(json.dumps({
    "studio": studio.__file__,
    "assets": str(assets_dir()),
    "fonts": sorted(p.name for p in fonts_dir().glob("*.ttf")),
    "photo_ok": all(catalog.photo_path(p).is_file() for p in catalog.products),
    "error_vi": error_text("live.auth", "vi")["message"],
    "front_door": livestall.__file__,
    "parsed": livestall.parse_comment(
        "chốt A12", livestall.CatalogView.from_catalog(catalog), pinned=None
    ).intent,
}))
"""


@pytest.mark.slow
def test_wheel_installs_into_fresh_venv_with_assets(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("livestall-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "studio/assets/fonts/NotoSans-Regular.ttf" in names
    assert "studio/assets/catalog/catalog.yaml" in names
    assert not [n for n in names if n.endswith((".onnx", ".mp4"))]

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    # Dependencies come from the dev venv's site-packages, added as a plain path (its .pth files,
    # among them the editable install of this checkout, are not processed).
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    result = subprocess.run(
        [python, "-c", PROBE], cwd=tmp_path, check=True, capture_output=True, text=True
    )
    probe = json.loads(result.stdout)
    assert probe["studio"].startswith(str(site))
    assert probe["assets"] == str(site / "studio" / "assets")
    assert "NotoSansArabic-Regular.ttf" in probe["fonts"]
    assert probe["photo_ok"] is True
    assert probe["error_vi"] == "Mã truy cập bị thiếu hoặc không đúng."  # error_texts.json shipped
    assert probe["front_door"].startswith(str(site))  # `import livestall` works where installed
    assert probe["parsed"] == "order"
