"""SubRip subtitles: times, numbering, title then call to action (pure)."""

from __future__ import annotations

from studio.clips.subtitles import scene_cues, timestamp, to_srt


def test_timestamp_format() -> None:
    assert timestamp(0) == "00:00:00,000"
    assert timestamp(3723.456) == "01:02:03,456"


def test_title_then_title_and_call_to_action() -> None:
    cues = scene_cues(
        [(0.0, 6.0, "Chả mực Hạ Long", "Bình luận B3 để chốt đơn"), (6.0, 8.5, "", "Chốt")]
    )
    text = to_srt(cues)
    assert text.splitlines()[:3] == ["1", "00:00:00,000 --> 00:00:03,000", "Chả mực Hạ Long"]
    assert "2\n00:00:03,000 --> 00:00:06,000\nChả mực Hạ Long\nBình luận B3 để chốt đơn\n" in text
    assert text.rstrip().endswith("3\n00:00:06,000 --> 00:00:08,500\nChốt")
