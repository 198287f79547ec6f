"""The studio's HTTP API on a real server: upload checks, path traversal, local-only access,
products with field errors, CSV round trip, job cancel."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import httpx
import pytest
from PIL import Image
from studio_web_helpers import HOST_TOKEN, MAX_FILES, MAX_UPLOAD_BYTES, STUDIO_HEADERS

from server.serve import RunningServer
from server.studio.uploads import inside, safe_name
from studio.errors import UploadRejected
from studio.paths import sample_photos_dir

JPEG = (sample_photos_dir() / "coffee-cup.jpg").read_bytes()


def studio_root(server: RunningServer) -> Path:
    return Path(server.server.config.app.state.studio.root)


def upload(client: httpx.Client, *files: tuple[str, bytes]) -> httpx.Response:
    return client.post(
        "/studio/api/photos/uploads",
        files=[("files", (name, data, "image/jpeg")) for name, data in files],
    )


def tiny_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def test_a_photo_is_stored_with_its_size(client: httpx.Client) -> None:
    answer = upload(client, ("coffee cup.JPG", JPEG)).json()
    assert answer["files"][0]["name"] == "coffee-cup.jpg"
    assert (answer["files"][0]["width"], answer["files"][0]["height"]) == (600, 400)
    assert client.get(answer["files"][0]["url"]).content == JPEG


@pytest.mark.parametrize(
    ("name", "data", "code", "reason"),
    [
        ("notes.jpg", b"this is text, not a photo" * 10, "upload.not_photo", "not a photo"),
        ("fake.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "upload.damaged", "damaged"),
        ("script.jpg", b"<?php system($_GET['c']); ?>", "upload.not_photo", "not a photo"),
        ("empty.jpg", b"", "upload.empty", "empty"),
    ],
)
def test_wrong_content_is_refused_whatever_the_name(
    client: httpx.Client, name: str, data: bytes, code: str, reason: str
) -> None:
    answer = upload(client, (name, data)).json()
    assert answer["upload_id"] is None and answer["files"] == []
    assert [r["code"] for r in answer["rejected"]] == [code]
    assert reason in answer["rejected"][0]["message"]


def test_a_png_named_jpg_is_stored_as_png(client: httpx.Client) -> None:
    answer = upload(client, ("red.jpg", tiny_png())).json()
    assert answer["files"][0]["name"] == "red.png"


def test_a_file_over_the_limit_is_refused(client: httpx.Client) -> None:
    big = JPEG + b"\x00" * (MAX_UPLOAD_BYTES - len(JPEG) + 1)
    answer = upload(client, ("big.jpg", big), ("small.jpg", JPEG)).json()
    assert [f["name"] for f in answer["files"]] == ["small.jpg"]
    assert answer["rejected"][0]["code"] == "upload.rejected"
    assert "limit" in answer["rejected"][0]["message"]


def test_too_many_files_store_nothing(client: httpx.Client, studio_server: RunningServer) -> None:
    before = set((studio_root(studio_server) / "uploads").iterdir())
    response = upload(client, *[(f"p{i}.jpg", JPEG) for i in range(MAX_FILES + 1)])
    assert response.status_code == 413
    assert f"limit is {MAX_FILES}" in response.json()["message"]
    assert set((studio_root(studio_server) / "uploads").iterdir()) == before


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("../../evil.jpg", "evil.jpg"),
        ("..\\..\\windows\\evil.jpg", "evil.jpg"),
        ("/etc/passwd.jpg", "passwd.jpg"),
        ("....//....//x.jpg", "x.jpg"),
        (".hidden.jpg", "hidden.jpg"),
        ("Ảnh chụp đẹp.jpg", "Anh-chup-dep.jpg"),
        ("..", "file"),
    ],
)
def test_safe_name_keeps_files_in_their_folder(given: str, stored: str) -> None:
    assert safe_name(given) == stored


def test_traversal_names_are_stored_inside_the_upload_folder(
    client: httpx.Client, studio_server: RunningServer
) -> None:
    root = studio_root(studio_server)
    answer = upload(client, ("../../../evil.jpg", JPEG), ("..\\tokens.jpg", JPEG)).json()
    names = [f["name"] for f in answer["files"]]
    assert names == ["evil.jpg", "tokens.jpg"]
    folder = root / "uploads" / answer["upload_id"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)
    assert not (root.parent / "evil.jpg").exists() and not (root / "evil.jpg").exists()


@pytest.mark.parametrize(
    "path",
    [
        "%2e%2e/live.sqlite",
        "%2e%2e%2ftokens.json",
        "uploads/%2e%2e/%2e%2e/tokens.json",
        "%2Fetc%2Fpasswd",
        "..%5c..%5ctokens.json",
    ],
)
def test_files_outside_the_studio_folder_are_never_served(
    studio_server: RunningServer, path: str
) -> None:
    response = httpx.get(f"{studio_server.url}/studio/files/{path}")
    assert response.status_code in (404, 413)
    assert HOST_TOKEN not in response.text and "SQLite" not in response.text


def test_inside_refuses_what_resolves_outside(tmp_path: Path) -> None:
    (tmp_path / "root").mkdir()
    (tmp_path / "outside").symlink_to(tmp_path)
    assert inside(tmp_path / "root", "a/b.jpg") == (tmp_path / "root" / "a" / "b.jpg").resolve()
    for bad in ("../x", "/etc/passwd", "a/../../x", "."):
        with pytest.raises(UploadRejected):
            inside(tmp_path / "root", bad)


def test_other_hosts_and_sites_are_refused(studio_server: RunningServer) -> None:
    url = studio_server.url
    rebound = httpx.get(f"{url}/studio/api/products", headers={"Host": "evil.example"})
    assert rebound.status_code == 401
    no_header = httpx.post(f"{url}/studio/api/live/test")
    assert no_header.status_code == 401
    cross_site = httpx.post(
        f"{url}/studio/api/live/test",
        headers={**STUDIO_HEADERS, "Origin": "http://evil.example"},
    )
    assert cross_site.status_code == 401
    assert httpx.get(f"{url}/studio").status_code == 200


def test_product_field_errors_name_the_field(client: httpx.Client) -> None:
    row = {"sku": "C9", "name": "Trà", "price": "12x", "stock": "-1", "variants": "M"}
    checked = client.post("/studio/api/products/check", json=row).json()["fields"]
    assert set(checked) == {"price", "stock", "variants"}
    response = client.post("/studio/api/products", json=row)
    assert response.status_code == 422 and set(response.json()["fields"]) == set(checked)
    taken = client.post(
        "/studio/api/products/check",
        json={**row, "sku": "a12", "price": "1", "stock": "1", "variants": ""},
    )
    assert taken.json()["fields"] == {"sku": "A12 is already in the product list"}
    # The page's language (docs/errors.md): the same check from a Vietnamese page.
    vi = client.post(
        "/studio/api/products/check",
        json={**row, "price": "250k"},
        headers={"X-Livestall-Lang": "vi"},
    ).json()["fields"]
    assert vi["price"] == "“250k” không phải là số, hãy ghi bằng chữ số, ví dụ 159000"
    assert vi["variants"] == "“M”: ghi theo dạng size/màu:tồn kho, ví dụ M/đỏ:10"


def test_add_edit_delete_and_csv_round_trip(client: httpx.Client) -> None:
    row = {
        "sku": "t1",
        "name": "Trà sen",
        "price": "99.000",
        "sale_price": "",
        "stock": "0",
        "variants": "S/xanh:2; L:3",
    }
    added = client.post("/studio/api/products", json=row).json()
    assert (added["sku"], added["price"], added["stock"]) == ("T1", "99000", 5)
    assert added["variants"] == "S/xanh:2; L:3"
    edited = client.put("/studio/api/products/T1", json={**row, "sale_price": "79000"}).json()
    assert edited["sale_price"] == "79000"

    csv_text = client.get("/studio/api/products/export?format=csv").text
    assert csv_text.startswith("\ufeffsku,name,price")
    assert "T1,Trà sen,99000,79000,VND,2,S,xanh" in csv_text
    assert client.delete("/studio/api/products/T1").status_code == 204
    skus = [p["sku"] for p in client.get("/studio/api/products").json()["products"]]
    assert "T1" not in skus

    exported = {"file": ("shop.csv", csv_text.encode("utf-8"), "text/csv")}
    preview = client.post("/studio/api/products/import/preview", files=exported).json()
    assert [p["sku"] for p in preview["added"]] == ["T1"] and preview["changed"] == []
    imported = client.post(
        "/studio/api/products/import", params={"base": preview["base"]}, files=exported
    ).json()
    assert [p["sku"] for p in imported["products"]] == skus + ["T1"]
    client.delete("/studio/api/products/T1")


def test_a_bad_catalog_file_names_its_row(client: httpx.Client) -> None:
    bad = "sku,name,price\nA1,Áo,abc\n"
    response = client.post(
        "/studio/api/products/import/preview",
        files={"file": ("shop.csv", bad.encode(), "text/csv")},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "catalog.row" and "row 2" in response.json()["message"]
    binary = client.post(
        "/studio/api/products/import", files={"file": ("shop.csv", b"\x00\x01PK", "text/csv")}
    )
    assert binary.json()["code"] == "upload.rejected"


@pytest.mark.slow
def test_a_full_render_can_be_cancelled(client: httpx.Client) -> None:
    job = client.post("/studio/api/clips/jobs", json={"skus": ["A12"], "is_preview": False}).json()
    time.sleep(0.3)
    client.post(f"/studio/api/jobs/{job['id']}/cancel")
    deadline = time.monotonic() + 60
    while (state := client.get(f"/studio/api/jobs/{job['id']}").json())["status"] in (
        "queued",
        "running",
    ):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert state["status"] == "cancelled"
    assert state["done"] < 120  # stopped before the last of its 4 s x 30 fps frames


def test_a_wrong_clip_field_fails_before_queueing(client: httpx.Client) -> None:
    response = client.post("/studio/api/clips/jobs", json={"skus": ["NOPE"]})
    assert response.status_code == 404 and response.json()["code"] == "live.product_not_found"
    bad = client.post("/studio/api/clips/jobs", json={"skus": ["A12"], "template": "nope"})
    assert bad.json()["code"] == "clip.spec"


def test_job_events_stream_ends_with_the_finished_job(client: httpx.Client) -> None:
    job = client.post("/studio/api/clips/jobs", json={"skus": ["B3"], "is_preview": True}).json()
    seen: list[str] = []
    with client.stream("GET", f"/studio/api/jobs/{job['id']}/events") as stream:
        for line in stream.iter_lines():
            if line.startswith("data: "):
                seen.append(line)
    assert '"status": "done"' in seen[-1]
    assert client.get("/studio/api/jobs?kind=clips.preview").json()[0]["id"] == job["id"]


def wait_done(client: httpx.Client, job_id: str, timeout_s: float = 120) -> dict[str, object]:
    deadline = time.monotonic() + timeout_s
    while (state := client.get(f"/studio/api/jobs/{job_id}").json())["status"] in (
        "queued",
        "running",
    ):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert state["status"] == "done", state["error"]
    return dict(state)


@pytest.mark.slow
@pytest.mark.model
def test_post_kit_has_platform_photos_the_clip_and_captions(client: httpx.Client) -> None:
    clip = client.post(
        "/studio/api/clips/jobs", json={"skus": ["B3"], "is_preview": False, "duration_s": 1}
    ).json()
    wait_done(client, clip["id"])
    kit = client.post(
        "/studio/api/post/kits", json={"skus": ["B3"], "platforms": ["shopee", "tiktok"]}
    ).json()
    result = wait_done(client, kit["id"])["result"]
    assert isinstance(result, dict)
    archive = zipfile.ZipFile(io.BytesIO(client.get(str(result["zip_url"])).content))
    assert sorted(archive.namelist()) == [
        "B3/shopee/B3.mp4",
        "B3/shopee/caption.txt",
        "B3/shopee/coffee-cup.jpg",
        "B3/shopee/title.txt",
        "B3/tiktok/B3.mp4",
        "B3/tiktok/caption.txt",
        "B3/tiktok/coffee-cup.jpg",
    ]
    shopee = Image.open(io.BytesIO(archive.read("B3/shopee/coffee-cup.jpg")))
    tiktok = Image.open(io.BytesIO(archive.read("B3/tiktok/coffee-cup.jpg")))
    assert shopee.size == (1024, 1024) and tiktok.size == (1200, 1200)
    caption = archive.read("B3/tiktok/caption.txt").decode("utf-8")
    assert 'Bình luận "B3" để chốt đơn' in caption and "250.000" in caption
    assert archive.read("B3/shopee/title.txt").decode("utf-8") == "Chả mực Hạ Long 500g\n"
    assert archive.read("B3/shopee/B3.mp4")[4:8] == b"ftyp"


def test_a_body_larger_than_every_file_together_is_refused_unread(client: httpx.Client) -> None:
    huge = JPEG + b"\x00" * (MAX_FILES * MAX_UPLOAD_BYTES + 100_000)
    response = upload(client, ("huge.jpg", huge))
    assert response.status_code == 413 and "more than 3 files" in response.json()["message"]


def test_product_photo_is_checked_and_becomes_the_main_photo(client: httpx.Client) -> None:
    refused = client.post(
        "/studio/api/products/B3/photo", files={"file": ("x.jpg", b"GIF89a....", "image/jpeg")}
    )
    assert refused.json()["code"] == "upload.not_photo"
    changed = client.post(
        "/studio/api/products/B3/photo", files={"file": ("red.png", tiny_png(), "image/png")}
    ).json()
    assert changed["photo_url"].startswith("/studio/files/uploads/")
    assert Image.open(io.BytesIO(client.get(changed["photo_url"]).content)).size == (8, 8)
    two = client.post(
        "/studio/api/products/import",
        files=[("file", ("a.csv", b"sku,name,price\n", "text/csv"))] * 2,
    )
    assert two.json()["code"] == "upload.rejected"


def test_the_bare_address_opens_the_studio(client: httpx.Client) -> None:
    answer = client.get("/", follow_redirects=False)
    assert answer.status_code == 307 and answer.headers["location"] == "/studio"


def test_the_words_buyers_use_are_kept_through_edits_and_files(client: httpx.Client) -> None:
    row = {
        "sku": "ao5",
        "name": "Áo thun basic",
        "price": "159000",
        "variants": "S/trắng:2; M/trắng:3; L/đen:1",
        "aliases": "áo phông; áo cotton",
        "unit": "cái",
        "size_chart": "50:S; 58kg:M; 66,5:L",
    }
    added = client.post("/studio/api/products", json=row).json()
    assert (added["aliases"], added["unit"], added["size_chart"]) == (
        "áo phông; áo cotton",
        "cái",
        "50:S; 58:M; 66.5:L",
    )
    # an older page that does not send these fields keeps them
    older = {k: v for k, v in row.items() if k not in ("aliases", "unit", "size_chart")}
    edited = client.put("/studio/api/products/AO5", json={**older, "price": "149000"}).json()
    assert (edited["price"], edited["aliases"], edited["size_chart"]) == (
        "149000",
        "áo phông; áo cotton",
        "50:S; 58:M; 66.5:L",
    )
    bad = client.post(
        "/studio/api/products/check",
        json={**row, "size_chart": "50:S; to:M"},
        headers={"X-Livestall-Lang": "vi"},
    ).json()["fields"]
    assert bad == {
        "size_chart": "“to:M”: ghi theo dạng cân nặng tối đa:size, ví dụ 50:S; 58:M; 66:L"
    }

    csv_text = client.get("/studio/api/products/export?format=csv").text
    assert "áo phông; áo cotton,cái,50:S; 58:M; 66.5:L" in csv_text
    client.delete("/studio/api/products/AO5")
    exported = {"file": ("shop.csv", csv_text.encode("utf-8"), "text/csv")}
    preview = client.post("/studio/api/products/import/preview", files=exported).json()
    imported = client.post(
        "/studio/api/products/import", params={"base": preview["base"]}, files=exported
    ).json()
    back = next(p for p in imported["products"] if p["sku"] == "AO5")
    assert (back["aliases"], back["unit"], back["size_chart"]) == (
        "áo phông; áo cotton",
        "cái",
        "50:S; 58:M; 66.5:L",
    )
    client.delete("/studio/api/products/AO5")
