"""Run Python code in a child process whose file writes fail past a size, as on a full disk.

The limit (RLIMIT_FSIZE) is set only in the child: set in the test process it would also hit
pytest's own output when that goes to a file (as on CI), and every thread's writes.
"""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys
from typing import Any


def _limit_writes(limit_bytes: int) -> None:
    # An ignored SIGXFSZ stays ignored across exec: writes then fail with EFBIG instead.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, hard))


def run_with_file_limit(script: str, *, limit_bytes: int = 4096) -> Any:
    """Run `script` (which prints one JSON document) with writes capped; return the document."""
    done = subprocess.run(
        [sys.executable, "-c", script],
        preexec_fn=lambda: _limit_writes(limit_bytes),
        capture_output=True,
        text=True,
        timeout=240,  # a busy 2-core machine: the child imports the photo pipeline and runs it
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
