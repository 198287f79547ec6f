"""The clips tab's server side and page: brand kit, template thumbnails, length, music, cut-outs.

A real studio server on 127.0.0.1 renders real clips; they are read back with ffprobe and their
frames; the page is driven in headless Chromium and its grid of thumbnails checked as loaded.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import numpy as np
import pytest
from PIL import Image
from shots import shots_dir
from studio_web_helpers import BrowserThread

from server.serve import RunningServer
from tests.studio.clips.media import ffprobe, frame_at

pytestmark = [pytest.mark.slow, pytest.mark.model]
MAGENTA = (230, 0, 200)


def wait_done(client: httpx.Client, job_id: str, timeout_s: float = 180) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while (state := client.get(f"/studio/api/jobs/{job_id}").json())["status"] in (
        "queued",
        "running",
    ):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert state["status"] == "done", state["error"]
    return dict(state["result"])


def studio_root(server: RunningServer) -> Path:
    return Path(server.server.config.app.state.studio.root)


def test_templates_tracks_and_thumbnails(client: httpx.Client) -> None:
    info = client.get("/studio/api/clips/templates/info").json()
    assert len(info) >= 6 and {"classic", "bold", "spotlight"} <= {t["name"] for t in info}
    tracks = client.get("/studio/api/clips/tracks").json()
    assert {t["name"] for t in tracks} == {"upbeat", "chill", "hype"}
    assert all(t["licence"].startswith("CC0") for t in tracks)
    for aspect, size in (("9:16", (270, 480)), ("1:1", (270, 270)), ("16:9", (480, 270))):
        thumb = client.get("/studio/api/clips/templates/bold/thumb.jpg", params={"aspect": aspect})
        assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
        assert Image.open(io.BytesIO(thumb.content)).size == size
    started = time.monotonic()
    again = client.get("/studio/api/clips/templates/bold/thumb.jpg", params={"aspect": "9:16"})
    assert again.status_code == 200 and time.monotonic() - started < 2.0  # drawn once, kept
    assert client.get("/studio/api/clips/templates/nope/thumb.jpg").json()["code"] == "clip.spec"


def test_brand_kit_logo_length_music_and_cut_out_in_the_clip(
    client: httpx.Client, studio_server: RunningServer, tmp_path: Path
) -> None:
    saved = client.put(
        "/studio/api/clips/brand",
        json={"shop_name": "Mực Cô Tô Shop", "page_handle": "@mucoto", "primary": "#0057B8"},
    ).json()
    assert saved["shop_name"] == "Mực Cô Tô Shop" and saved["logo_url"] is None
    logo = io.BytesIO()
    Image.new("RGBA", (300, 300), (*MAGENTA, 255)).save(logo, "PNG")
    with_logo = client.put(
        "/studio/api/clips/brand/logo", files={"logo": ("logo.png", logo.getvalue(), "image/png")}
    ).json()
    assert with_logo["logo_url"].startswith("/studio/files/brand/logo.png")
    not_image = client.put(
        "/studio/api/clips/brand/logo", files={"logo": ("logo.png", b"hello", "image/png")}
    )
    assert not_image.status_code >= 400

    job = client.post(
        "/studio/api/clips/jobs",
        json={"skus": ["B3", "A12"], "template": "showcase", "length_s": 15, "music": "chill",
              "live_time": "20:00", "is_preview": True},
    ).json()  # fmt: skip
    result = wait_done(client, job["id"])
    video = studio_root(studio_server) / result["video_url"].removeprefix("/studio/files/")
    info = ffprobe(video)
    assert abs(float(info["format"]["duration"]) - 15.0) <= 0.1
    assert [s["codec_type"] for s in info["streams"]] == ["video", "audio"]
    sidecar = json.loads(video.with_suffix(".json").read_text(encoding="utf-8"))
    width, height = sidecar["width"], sidecar["height"]
    scenes = sidecar["scenes"]
    assert [s["kind"] for s in scenes] == ["product", "product", "closing"]
    assert all(s["source"] == "cleaned" for s in scenes)
    product = next(e for e in scenes[0]["elements"] if e["kind"] == "product")
    assert product["box"][3] >= 0.45 * height
    cta = next(e for e in scenes[-1]["elements"] if e["kind"] == "cta")
    assert "B3" in " ".join(cta["lines"]) and "A12" in " ".join(cta["lines"])
    x, y, w, h = sidecar["logo"]["box"]
    frame = frame_at(video, 3.0, (width, height)).astype(int)
    centre = frame[y + h // 4 : y + 3 * h // 4, x + w // 4 : x + 3 * w // 4]
    assert np.abs(centre - MAGENTA).sum(axis=2).mean() < 60  # the shop's logo, not the LS mark
    assert video.with_suffix(".srt").is_file()

    raw = client.post(
        "/studio/api/clips/jobs", json={"skus": ["A12"], "is_raw": True, "music": "none"}
    ).json()
    raw_url = str(wait_done(client, raw["id"])["video_url"])
    raw_video = studio_root(studio_server) / raw_url.removeprefix("/studio/files/")
    raw_sidecar = json.loads(raw_video.with_suffix(".json").read_text(encoding="utf-8"))
    assert {s["source"] for s in raw_sidecar["scenes"]} == {"raw"}
    assert raw_sidecar["has_audio"] is False


@pytest.fixture(scope="module")
def page_context(browser_thread: BrowserThread) -> Iterator[tuple[Any, list[str]]]:
    outside: list[str] = []

    def route(route: Any) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    def make() -> Any:
        ctx = browser_thread.browser.new_context(viewport={"width": 1100, "height": 900})
        ctx.route("**/*", route)
        return ctx

    ctx = browser_thread.run(make)
    yield ctx, outside
    browser_thread.run(ctx.close)


@pytest.mark.browser
def test_the_clips_tab_shows_a_grid_of_template_thumbnails(
    browser_thread: BrowserThread,
    page_context: tuple[Any, list[str]],
    studio_server: RunningServer,
    tmp_path: Path,
) -> None:
    def work() -> None:
        ctx, outside = page_context
        page = ctx.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{studio_server.url}/studio?lang=vi#clips")
        page.wait_for_selector("body[data-ready=true]")
        page.wait_for_function(
            "() => [...document.querySelectorAll('#clip-template-grid img')].length >= 6 && "
            "[...document.querySelectorAll('#clip-template-grid img')]"
            ".every((i) => i.complete && i.naturalWidth > 0)",
            timeout=180_000,
        )
        widths = page.eval_on_selector_all(
            "#clip-template-grid img", "(images) => images.map((i) => i.naturalWidth)"
        )
        assert all(w == 270 for w in widths)
        page.click("#clip-template-grid [data-template=spotlight]")
        assert page.input_value("#clip-template") == "spotlight"
        assert page.get_attribute("[data-template=spotlight]", "aria-checked") == "true"
        assert page.get_attribute("[data-template=classic]", "aria-checked") == "false"
        assert page.locator("#clip-music option").count() == 5  # template's, 3 loops, none
        shots = shots_dir("studio")  # docs/img/studio with `make screenshots`
        shots.mkdir(parents=True, exist_ok=True)
        page.locator("#panel-clips").screenshot(path=str(shots / "clips-templates.png"))
        page.select_option("#clip-aspect", "1:1")
        page.wait_for_function(
            "() => [...document.querySelectorAll('#clip-template-grid img')]"
            ".every((i) => i.complete && i.naturalWidth === 270 && i.naturalHeight === 270)",
            timeout=180_000,
        )
        assert outside == [] and errors == []
        page.close()

    browser_thread.run(work)


def test_a_three_second_look_of_a_template(
    client: httpx.Client, studio_server: RunningServer
) -> None:
    job = client.post(
        "/studio/api/clips/jobs",
        json={"skus": ["A12", "B3"], "template": "flash", "is_sample": True, "is_preview": False},
    ).json()
    assert job["kind"] == "clips.preview"
    url = str(wait_done(client, job["id"])["video_url"])
    video = studio_root(studio_server) / url.removeprefix("/studio/files/")
    assert abs(float(ffprobe(video)["format"]["duration"]) - 3.0) <= 0.1
    sidecar = json.loads(video.with_suffix(".json").read_text(encoding="utf-8"))
    assert [s["sku"] for s in sidecar["scenes"]] == ["A12"] and sidecar["width"] == 360
