"""Platform bridges: comments from YouTube, TikTok, Facebook, Social Stream Ninja and Twitch into
a live server's ``POST /api/comments`` (docs/bridges.md).

Each adapter module (`youtube`, `tiktok`, `facebook`, `ssn`, `twitch`, `jsonl`) turns its
platform's events into `CommentBody` values with pure functions and has one ``listen`` loop for
the live connection; `client` delivers, `sources` reconnects, `replay` feeds recordings.
"""

from server.bridges.body import ChatEvent, CommentBody
from server.bridges.client import ClientOptions, IngestClient
from server.bridges.formats import FORMATS, detect_format, read_recording
from server.bridges.outbox import Outbox
from server.bridges.replay import ReplayReport, feed, schedule
from server.bridges.sources import Source, SourceOptions, parse_source, run_source

__all__ = [
    "FORMATS",
    "ChatEvent",
    "ClientOptions",
    "CommentBody",
    "IngestClient",
    "Outbox",
    "ReplayReport",
    "Source",
    "SourceOptions",
    "detect_format",
    "parse_source",
    "read_recording",
    "feed",
    "run_source",
    "schedule",
]
