"""Build the real-chatter sets of issue 23 from local copies of public review corpora.

The corpora (Vietnamese e-commerce reviews, English Shopee reviews, Arabic souq.com reviews) carry
no licence that allows redistribution, so the repository keeps only this recipe and
tests/data/chatter/README.md; the lines go to a git-ignored folder (default
tests/data/chatter/local/), where tests/server/orders/test_chatter.py finds them.

Each source is read from a local git copy of its public repository, at a pinned commit:
``<mirror>/<owner>+<name>/repo`` (bare or with a .git folder) or ``<mirror>/<owner>/<name>``.

    python scripts/fetch_chatter.py --mirror /work/.mirror

One comment a line: whitespace collapsed, links, e-mails, @handles and phone numbers masked
(phones keep their length and a valid-looking 09 prefix, so a phone-shaped comment stays one),
duplicates dropped (case-insensitive), then a fixed-seed sample.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "tests" / "data" / "chatter" / "local"
SEED = 23  # issue 23

csv.field_size_limit(1 << 24)


@dataclass(frozen=True)
class Source:
    """One public corpus file at a pinned commit and how many lines to draw from it."""

    repo: str  # owner/name on GitHub
    commit: str
    path: str  # file inside the repository
    members: tuple[str, ...]  # csv files inside a zip, or () when path is the text file itself
    reader: str  # "csv:<column>" or "fasttext"
    take: int


SOURCES: dict[str, tuple[Source, ...]] = {
    "vi": (
        # ViSpamReviews (Van Dinh, Luu & Nguyen, ACIIDS 2022): reviews from Vietnamese e-commerce
        # sites, spam and ads included, as buyers' chatter in a live chat mixes both.
        Source(
            "sonlam1102/vispamdetection",
            "e5ee5ef4d289fcee92e92109fee3de8310f05213",
            "dataset/vispamdetection_dataset.zip",
            ("dataset/train.csv", "dataset/dev.csv", "dataset/test.csv"),
            "csv:Comment",
            700,
        ),
        # UIT-ViSFD (Phan et al., KSEM 2021): buyers' comments and questions on smartphones from
        # a large Vietnamese e-commerce site.
        Source(
            "LuongPhan/UIT-ViSFD",
            "4b11ec2e4e97839600e6035b49d1645c79023354",
            "UIT-ViSFD.zip",
            ("Train.csv", "Dev.csv", "Test.csv"),
            "csv:comment",
            300,
        ),
    ),
    "en": (
        # Shopee Code League 2020, product review sentiment: Shopee buyers' reviews in English
        # (many machine-translated from Indonesian by the organisers), validation split.
        Source(
            "l3ouu4n9/Shopee-Code-League-2020",
            "1d5cd6d53de08fb7cbaeec6368d51a3e9f1176bc",
            "Competition6_Sentiment_analysis/fasttext/fasttext_val.txt",
            (),
            "fasttext",
            200,
        ),
    ),
    "ar": (
        # ElSahar & El-Beltagy, CICLing 2015: product reviews scraped from souq.com.
        Source(
            "hadyelsahar/large-arabic-sentiment-analysis-resouces",
            "2a99dc508c0203eb8ef733fa29228fba2aa61682",
            "datasets/PROD.csv",
            (),
            "csv:text",
            100,
        ),
    ),
}

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w@])@[\w.]{2,}")
# 0xx xxx xxxx, +84 / 84 prefixes, dots / spaces / dashes between groups; 9 to 12 digits
_PHONE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[ .-]?\d){8,11}(?!\d)")
_LABEL = re.compile(r"\s*__label__\S+\s*$")


def _fake_phone(match: re.Match[str]) -> str:
    """Same shape (separators kept), digits replaced by 09 then zeros: no real number survives."""
    fake = iter("09" + "0" * 20)
    return "".join(next(fake) if ch.isdigit() else ch for ch in match.group(0).lstrip("+"))


def clean(text: str) -> str:
    """One line, personal data masked; the words and numbers buyers typed otherwise kept."""
    line = " ".join(text.replace("\ufffd", " ").split())
    line = _URL.sub("[link]", line)
    line = _EMAIL.sub("[email]", line)
    line = _HANDLE.sub("@[name]", line)
    return _PHONE.sub(_fake_phone, line)


def git_blob(mirror: Path, repo: str, commit: str, path: str) -> bytes:
    owner, name = repo.split("/")
    candidates = [mirror / f"{owner}+{name}" / "repo", mirror / owner / name]
    for base in candidates:
        for git_dir in (base / ".git", base):
            if (git_dir / "HEAD").is_file():
                done = subprocess.run(
                    ["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"],
                    capture_output=True,
                    check=False,
                )
                if done.returncode == 0:
                    return done.stdout
                sys.exit(f"{repo}: {commit}:{path} not readable in {git_dir}: {done.stderr!r}")
    sys.exit(f"{repo}: no local copy under {mirror} (tried {', '.join(map(str, candidates))})")


def _rows(source: Source, blob: bytes) -> Iterator[str]:
    texts: list[bytes]
    if source.members:
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            texts = [archive.read(member) for member in source.members]
    else:
        texts = [blob]
    kind, _, column = source.reader.partition(":")
    for raw in texts:
        text = raw.decode("utf-8-sig")
        if kind == "csv":
            for row in csv.DictReader(io.StringIO(text)):
                yield row[column] or ""
        else:  # fasttext: "<quoted text> __label__N"
            for line in text.splitlines():
                yield _LABEL.sub("", line).strip().strip('"')


def sample(source: Source, blob: bytes, seen: set[str], rng: random.Random) -> list[str]:
    unique: list[str] = []
    for text in _rows(source, blob):
        line = clean(text)
        key = line.casefold()
        if line and key not in seen:
            seen.add(key)
            unique.append(line)
    if len(unique) < source.take:
        sys.exit(f"{source.repo}: only {len(unique)} distinct lines, {source.take} wanted")
    return rng.sample(unique, source.take)


def build(mirror: Path, out: Path, blob: Callable[[Path, str, str, str], bytes] = git_blob) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for lang, sources in SOURCES.items():
        rng = random.Random(SEED)
        seen: set[str] = set()
        lines: list[str] = []
        for source in sources:
            data = blob(mirror, source.repo, source.commit, source.path)
            lines += sample(source, data, seen, rng)
        target = out / f"{lang}_reviews.txt"
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{target}: {len(lines)} lines")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    build(args.mirror, args.out)


if __name__ == "__main__":
    main()
