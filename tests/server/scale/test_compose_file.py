"""docker-compose.yml (not run here) stays in step with the server's options and docs/deploy.md."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from typer.testing import CliRunner

from livestall.cli.app import app

ROOT = Path(__file__).resolve().parents[3]


def test_compose_file_runs_replicas_on_postgres_and_redis_behind_a_balancer() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "live", "balancer"}
    live = services["live"]
    assert live["deploy"]["replicas"] >= 2
    assert live["environment"]["LIVESTALL_DB_URL"].startswith("postgresql+psycopg://")
    assert live["environment"]["LIVESTALL_REDIS_URL"] == "redis://redis:6379/0"
    assert services["balancer"]["ports"] == ["127.0.0.1:8000:8000"]
    nginx = compose["configs"]["nginx"]["content"]
    assert "proxy_set_header Upgrade $$http_upgrade;" in nginx
    assert "server live:8000" in nginx

    command = live["command"]
    assert command[:3] == ["livestall", "live", "serve"]
    help_text = CliRunner().invoke(app, ["live", "serve", "--help"], terminal_width=200).output
    for option in (word for word in command if word.startswith("--")):
        assert re.search(rf"{option}\b", help_text), option
    for option in ("--db", "--redis", "--workers"):
        assert option in help_text
