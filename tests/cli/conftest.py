"""Every CLI test reads the English error line, whatever the machine's locale (a seller's laptop
set to vi_VN would otherwise answer in Vietnamese: studio.error_texts.env_lang)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def english_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVESTALL_LANG", "en")
