"""Settings of the live server, read from arguments and ``LIVESTALL_*`` environment variables.

`Settings` is built once by the caller (the CLI, a test, the demo) and passed to `create_app`;
nothing reads the environment at import time.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything `create_app` needs to know.

    Tokens left empty are read from ``tokens.json`` under `data_dir`, or generated there on the
    first run (see `server.tokens.load_tokens`).
    """

    model_config = SettingsConfigDict(env_prefix="LIVESTALL_", extra="ignore")

    catalog_path: Path
    db_url: str = ""
    data_dir: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    host_token: SecretStr | None = None
    ingest_token: SecretStr | None = None
    allowed_origins: tuple[str, ...] = ()
    # Several server processes (docs/deploy.md): events go through Redis when a URL is given.
    redis_url: str = ""
    redis_channel: str = "livestall:events"
    # NORMAL (with WAL): a commit survives a crash of the server process, not a power cut;
    # FULL adds a disk sync per commit to survive power loss too (docs/live.md, "Durability").
    sqlite_synchronous: str = Field(default="NORMAL", pattern="^(FULL|NORMAL)$")
    # Moderation and limits (see docs/live.md, "Moderation").
    max_comment_chars: int = Field(default=500, ge=1)
    dedupe_window_s: float = Field(default=120.0, ge=0)
    limit_per_viewer: int | None = Field(default=None, ge=1)
    viewer_rate_per_s: float = Field(default=0.5, gt=0)
    viewer_burst: int = Field(default=3, ge=1)
    ingest_rate_per_s: float = Field(default=2.0, gt=0)
    ingest_burst: int = Field(default=10, ge=1)
    ip_rate_per_s: float = Field(default=5.0, gt=0)
    ip_burst: int = Field(default=20, ge=1)
    blocked_words: tuple[str, ...] = ()
    # `--hold 30m` (docs/live.md, "Hold with a deadline"): stored at start; "" keeps the console's.
    hold: str = ""
    # Websocket fan-out: events queued per client before chat is dropped for it.
    client_queue_size: int = Field(default=1024, ge=8)
    ws_max_message_bytes: int = Field(default=4096, ge=256)
    # Request bodies (server/body_guard.py): a JSON body of any route, unless the route raises it
    # (uploads, bank statements). 200 comments of 500 characters are ~150 KB.
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    # Web studio (`livestall studio`, docs/studio.md): mounted only when `is_studio` is set.
    is_studio: bool = False
    # `livestall studio --lan`: also listen on the LAN, for phones paired with a one-time code
    # (server/studio/pairing.py); without it the studio answers this computer only.
    studio_lan: bool = False
    studio_workers: int = Field(default=2, ge=1, le=16)
    studio_max_upload_bytes: int = Field(default=25 * 1024 * 1024, ge=1024)
    studio_max_files: int = Field(default=50, ge=1)
