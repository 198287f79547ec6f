"""The `livestall` front door: `import livestall` is light and names the few entry points a
script needs; `python -m livestall` is the command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import json, sys
import livestall
light = sorted({"fastapi", "onnxruntime", "sqlalchemy", "uvicorn", "moviepy"} & set(sys.modules))
catalog = livestall.load_catalog("tests/data/vocab/catalog.yaml")
parsed = livestall.parse_comment("lấy 2 hộp chả mực nha", livestall.CatalogView.from_catalog(catalog),
                                 pinned=None)
print(json.dumps({"heavy_on_import": light, "version": livestall.__version__,
                  "items": [[line.sku, line.qty] for line in parsed.items],
                  "all": sorted(livestall.__all__)}))
"""


def test_import_livestall_is_light_and_its_entry_points_work() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, check=True, capture_output=True, text=True
    )
    probe = json.loads(result.stdout)
    assert probe["heavy_on_import"] == []  # a script that parses comments loads no web server
    assert probe["items"] == [["15", 2]]
    assert {"load_catalog", "parse_comment", "run_batch", "render_clip"} <= set(probe["all"])


def test_python_m_livestall_is_the_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "livestall", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "live" in result.stdout and "photos" in result.stdout
