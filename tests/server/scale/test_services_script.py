"""scripts/services.sh: idempotent, two URL lines on stdout, both services answer on loopback."""

from __future__ import annotations

import subprocess

import psycopg
import redis
from scale_helpers import SERVICES


def test_services_script_prints_two_working_urls_and_can_run_again(
    services: dict[str, str],  # skips loudly where nothing can be installed
) -> None:
    outputs = [
        subprocess.run([str(SERVICES)], capture_output=True, text=True, timeout=600, check=True)
        for _ in range(2)
    ]
    assert outputs[0].stdout == outputs[1].stdout
    assert services["LIVESTALL_DB_URL"] in outputs[0].stdout
    lines = outputs[0].stdout.splitlines()
    assert [line.split("=", 1)[0] for line in lines] == ["LIVESTALL_DB_URL", "LIVESTALL_REDIS_URL"]
    db_url, redis_url = (line.split("=", 1)[1] for line in lines)
    assert "@127.0.0.1:" in db_url
    assert redis_url.startswith("redis://127.0.0.1:")
    with psycopg.connect(db_url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    client = redis.Redis.from_url(redis_url)
    try:
        assert client.ping() is True
    finally:
        client.close()
