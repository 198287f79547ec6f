"""The job runner on a real SQLite database: bounded pool, progress rows, cancel, recovery."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from server.store import migrate, open_engine
from server.studio.jobs import JobContext, JobRunner
from studio.errors import InputError, JobNotFound


@pytest.fixture
def runner(tmp_path: Path) -> JobRunner:
    engine = open_engine(f"sqlite:///{tmp_path / 'jobs.sqlite'}")
    migrate(engine)
    return JobRunner(engine, max_workers=1)


def test_progress_and_result_are_stored(runner: JobRunner) -> None:
    def work(ctx: JobContext) -> dict[str, object]:
        for done in range(1, 4):
            ctx.progress(done, 3, f"step {done}", result={"partial": done})
        return {"answer": 42}

    job = runner.submit("demo", {"n": 3}, work)
    finished = runner.wait(job.id, 10)
    assert (finished.status, finished.done, finished.total) == ("done", 3, 3)
    assert finished.result == {"answer": 42} and finished.params == {"n": 3}
    runner.close()


def test_one_worker_queues_the_second_job_and_cancel_stops_both(runner: JobRunner) -> None:
    started, release = threading.Event(), threading.Event()

    def slow(ctx: JobContext) -> dict[str, object]:
        started.set()
        while not release.wait(0.02):
            ctx.check()
        return {}

    first = runner.submit("demo", {}, slow)
    assert started.wait(5)
    second = runner.submit("demo", {}, slow)
    assert runner.get(second.id).status == "queued"
    assert runner.cancel(second.id).status == "cancelled"
    runner.cancel(first.id)
    assert runner.wait(first.id, 5).status == "cancelled"
    runner.close()


def test_a_seller_error_fails_the_job_with_its_code(runner: JobRunner) -> None:
    def bad(ctx: JobContext) -> dict[str, object]:
        raise InputError("photo.jpg is wrong", hint="try another")

    job = runner.wait(runner.submit("demo", {}, bad).id, 5)
    assert job.status == "failed"
    assert job.error == {
        "code": "input.invalid",
        "message": "photo.jpg is wrong",
        "hint": "try another",
    }
    runner.close()


def test_jobs_left_running_by_a_stopped_server_are_marked_failed(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'jobs.sqlite'}")
    migrate(engine)
    first = JobRunner(engine, max_workers=1)
    hold = threading.Event()
    job = first.submit("demo", {}, lambda ctx: {} if hold.wait(5) else {})
    first._pool.shutdown(wait=False)  # the process "dies": nothing updates the row any more
    second = JobRunner(engine, max_workers=1)
    assert second.recover() == 1
    recovered = second.get(job.id)
    assert recovered.status == "failed" and recovered.error is not None
    assert recovered.error["code"] == "studio.interrupted"
    hold.set()
    with pytest.raises(JobNotFound):
        second.get("0123456789abcdef")
