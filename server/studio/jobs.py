"""Long studio jobs (photo batches, clip renders, post kits) in a bounded worker pool.

A job is a row of ``studio_jobs``: the database, not the page, holds its state, so a reload finds
it again by id. Work runs on a `ThreadPoolExecutor` with ``Settings.studio_workers`` threads,
never on the event loop: the photo model (ONNX Runtime) and ffmpeg release the GIL, and a thread
can share the pipeline's own progress callbacks without pickling. A job beyond the pool's size
waits as ``queued``. Cancelling sets an event; the job's next progress report raises
`JobCancelled`, which unwinds the pipeline (its ``finally`` blocks close ffmpeg and temp files).
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Engine, insert, select, update

from server.store.tables import studio_jobs
from studio.errors import JobNotFound, LivestallError

logger = logging.getLogger(__name__)

JobStatus = Literal["queued", "running", "done", "failed", "cancelled"]
FINISHED: tuple[JobStatus, ...] = ("done", "failed", "cancelled")
JsonDict = dict[str, Any]


class JobCancelled(Exception):  # noqa: N818 - control flow, not an error a seller sees
    """Raised inside a job's progress report once the seller cancelled it."""


@dataclass(frozen=True, slots=True)
class JobView:
    """A job as stored: what it is, how far it got, what it made or why it failed."""

    id: str
    kind: str
    status: JobStatus
    done: int
    total: int
    message: str
    params: JsonDict
    result: JsonDict
    error: JsonDict | None
    created_at: float
    updated_at: float

    @property
    def is_finished(self) -> bool:
        """True once the job is done, failed or cancelled."""
        return self.status in FINISHED

    def to_dict(self) -> JsonDict:
        """The JSON sent to the pages (``GET /studio/api/jobs/{id}`` and the event stream)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "done": self.done,
            "total": self.total,
            "message": self.message,
            "params": self.params,
            "result": self.result,
            "error": self.error,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


class JobContext:
    """What a running job sees: its id, and a way to report progress (and notice a cancel)."""

    def __init__(self, runner: JobRunner, job_id: str, cancelled: threading.Event) -> None:
        self.job_id = job_id
        self._runner = runner
        self._cancelled = cancelled

    def progress(
        self, done: int, total: int, message: str = "", *, result: JsonDict | None = None
    ) -> None:
        """Store how far the job is (and a partial result), then stop if it was cancelled.

        Raises:
            JobCancelled: the seller cancelled the job.
        """
        self._runner._update(self.job_id, done=done, total=total, message=message, result=result)
        self.check()

    def check(self) -> None:
        """Raise `JobCancelled` if the seller cancelled the job."""
        if self._cancelled.is_set():
            raise JobCancelled(self.job_id)


JobWork = Callable[[JobContext], JsonDict]


class JobRunner:
    """Submit, follow and cancel jobs; state in the ``studio_jobs`` table.

    Args:
        engine: the server's database (the same one the live sale uses).
        max_workers: jobs running at once; more wait in the queue.
    """

    def __init__(self, engine: Engine, *, max_workers: int) -> None:
        self._engine = engine
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="studio-job")
        self._lock = threading.Lock()
        self._cancel: dict[str, threading.Event] = {}
        self._futures: dict[str, Future[None]] = {}
        self._result_lock = threading.Lock()

    def recover(self) -> int:
        """Mark jobs left queued or running by a stopped server as failed; return how many."""
        now = time.time()
        error = {"code": "studio.interrupted", "message": "the studio stopped during this job"}
        with self._engine.begin() as conn:
            result = conn.execute(
                update(studio_jobs)
                .where(studio_jobs.c.status.in_(("queued", "running")))
                .values(
                    status="failed",
                    error_json=json.dumps({**error, "hint": "start it again"}),
                    updated_at=now,
                )
            )
        return int(result.rowcount or 0)

    def submit(self, kind: str, params: JsonDict, work: JobWork) -> JobView:
        """Store a new queued job and hand `work` to the pool; return the stored job."""
        job_id = secrets.token_hex(8)
        now = time.time()
        with self._engine.begin() as conn:
            conn.execute(
                insert(studio_jobs).values(
                    id=job_id,
                    kind=kind,
                    status="queued",
                    done=0,
                    total=0,
                    message="",
                    params_json=json.dumps(params, ensure_ascii=False),
                    result_json="{}",
                    error_json=None,
                    created_at=now,
                    updated_at=now,
                )
            )
        cancelled = threading.Event()
        with self._lock:
            self._cancel[job_id] = cancelled
            self._futures[job_id] = self._pool.submit(self._run, job_id, work, cancelled)
        return self.get(job_id)

    def get(self, job_id: str) -> JobView:
        """Return one job.

        Raises:
            JobNotFound: no job has this id.
        """
        with self._engine.connect() as conn:
            row = conn.execute(select(studio_jobs).where(studio_jobs.c.id == job_id)).first()
        if row is None:
            raise JobNotFound(f"no studio job {job_id!r}", hint="start the job again")
        return _view(row._mapping)

    def recent(self, *, kind: str | None = None, limit: int = 20) -> list[JobView]:
        """Return the newest jobs first (of one kind, when given)."""
        query = select(studio_jobs).order_by(studio_jobs.c.created_at.desc()).limit(limit)
        if kind is not None:
            query = query.where(studio_jobs.c.kind == kind)
        with self._engine.connect() as conn:
            return [_view(row._mapping) for row in conn.execute(query)]

    def cancel(self, job_id: str) -> JobView:
        """Ask a job to stop: a queued job never starts, a running one stops at its next report.

        Raises:
            JobNotFound: no job has this id.
        """
        job = self.get(job_id)
        if job.is_finished:
            return job
        with self._lock:
            event = self._cancel.get(job_id)
            future = self._futures.get(job_id)
        if event is not None:
            event.set()
        if future is None or future.cancel():  # never started (or its server stopped)
            with self._lock:
                self._cancel.pop(job_id, None)
                self._futures.pop(job_id, None)
            self._finish(job_id, "cancelled", error=None)
        return self.get(job_id)

    def change_result(self, job_id: str, change: Callable[[JsonDict], JsonDict]) -> JobView:
        """Replace a job's result with `change(result)`, one change at a time (a re-export
        updating its batch).

        Raises:
            JobNotFound: no job has this id.
        """
        with self._result_lock:
            job = self.get(job_id)
            self._update(job_id, result=change(job.result))
        return self.get(job_id)

    def wait(self, job_id: str, timeout_s: float) -> JobView:
        """Block until the job finishes or `timeout_s` passes (for the CLI and tests)."""
        deadline = time.monotonic() + timeout_s
        job = self.get(job_id)
        while not job.is_finished and time.monotonic() < deadline:
            time.sleep(0.05)
            job = self.get(job_id)
        return job

    def close(self) -> None:
        """Cancel every job and stop the pool (waits for running jobs to unwind)."""
        with self._lock:
            events = list(self._cancel.values())
        for event in events:
            event.set()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self.recover()

    def _run(self, job_id: str, work: JobWork, cancelled: threading.Event) -> None:
        if cancelled.is_set():
            self._finish(job_id, "cancelled", error=None)
            return
        self._update(job_id, status="running")
        try:
            result = work(JobContext(self, job_id, cancelled))
        except JobCancelled:
            self._finish(job_id, "cancelled", error=None)
        except LivestallError as exc:
            self._finish(job_id, "failed", error=exc.to_dict())
        except Exception as exc:  # a bug: keep the server up, show it on the page, log it
            logger.exception("studio job %s failed", job_id)
            self._finish(
                job_id,
                "failed",
                error={"code": "error", "message": f"{type(exc).__name__}: {exc}", "hint": ""},
            )
        else:
            self._finish(job_id, "done", error=None, result=result)
        finally:
            with self._lock:
                self._cancel.pop(job_id, None)
                self._futures.pop(job_id, None)

    def _finish(
        self,
        job_id: str,
        status: JobStatus,
        *,
        error: JsonDict | None,
        result: JsonDict | None = None,
    ) -> None:
        values: JsonDict = {"status": status, "updated_at": time.time()}
        if error is not None:
            values["error_json"] = json.dumps(error, ensure_ascii=False)
        if result is not None:
            values["result_json"] = json.dumps(result, ensure_ascii=False)
        with self._engine.begin() as conn:
            conn.execute(update(studio_jobs).where(studio_jobs.c.id == job_id).values(**values))

    def _update(
        self,
        job_id: str,
        *,
        status: JobStatus | None = None,
        done: int | None = None,
        total: int | None = None,
        message: str | None = None,
        result: JsonDict | None = None,
    ) -> None:
        values: JsonDict = {"updated_at": time.time()}
        if status is not None:
            values["status"] = status
        if done is not None:
            values["done"] = done
        if total is not None:
            values["total"] = total
        if message is not None:
            values["message"] = message
        if result is not None:
            values["result_json"] = json.dumps(result, ensure_ascii=False)
        with self._engine.begin() as conn:
            conn.execute(update(studio_jobs).where(studio_jobs.c.id == job_id).values(**values))


def _view(row: Any) -> JobView:
    return JobView(
        id=row["id"],
        kind=row["kind"],
        status=row["status"],
        done=row["done"],
        total=row["total"],
        message=row["message"],
        params=json.loads(row["params_json"]),
        result=json.loads(row["result_json"]),
        error=json.loads(row["error_json"]) if row["error_json"] else None,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )
