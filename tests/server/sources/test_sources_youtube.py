"""A YouTube live read by the server itself from the chat frame and InnerTube (no library): the
recorded real messages come in, new ones follow, YouTube fails for a while and the source resumes
from its last continuation, so what was written meanwhile arrives once (zero lost, zero doubled)."""

from __future__ import annotations

from conftest import SourceServer, wait_until
from fakes import YT_VIDEO, FakeYouTube, Served

RECORDED = 9  # text messages with an id in the recorded frame (../shared/data/chat/README.md)


def test_a_youtube_live_resumes_from_its_continuation_after_an_outage(
    source_server: SourceServer, youtube: tuple[FakeYouTube, Served]
) -> None:
    fake, _ = youtube
    added = source_server.http.post(
        "/api/sources", json={"spec": f"youtube:https://www.youtube.com/watch?v={YT_VIDEO}"}
    )
    assert added.status_code == 201, added.text
    source_id = added.json()["id"]
    wait_until(lambda: source_server.source(source_id)["comments"] == RECORDED, "recorded chat")
    fake.write("Lan", "chốt SP01")
    fake.write("Huong", "chốt B3")
    wait_until(lambda: source_server.source(source_id)["comments"] == RECORDED + 2, "2 more")
    fake.is_down = True
    wait_until(lambda: source_server.source(source_id)["state"] == "reconnecting", "the outage")
    missed = [fake.write(f"Gap{n}", "chốt SP01") for n in range(3)]
    fake.is_down = False
    health = wait_until(
        lambda: (s := source_server.source(source_id))["comments"] == RECORDED + 5 and s,
        "the comments written during the outage",
    )
    assert health["state"] == "live" and health["backfilled"] == 3
    assert health["gaps"][-1]["is_refilled"] and health["gaps_unfilled"] == 0
    assert fake.frames == 1  # resumed from the continuation, never started over
    rows = source_server.rows("SELECT comment_id FROM comments WHERE platform = 'youtube'")
    ids = [r[0] for r in rows]
    assert len(ids) == len(set(ids)) == RECORDED + 5
    assert {m["id"] for m in missed} <= set(ids)
    orders = source_server.rows(
        "SELECT o.sku FROM orders o JOIN comments c ON c.id = o.comment_ref "
        "WHERE c.platform = 'youtube' ORDER BY o.id"
    )
    assert [sku for (sku,) in orders] == ["SP01", "B3", "SP01", "SP01", "SP01"]
