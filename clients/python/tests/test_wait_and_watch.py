"""Following a job: wait_for_job's long-poll and watch_job's event stream, and its fallback."""

import threading
from pathlib import Path
from typing import Callable, Iterator

import pytest

import corral
from support import Server

MakeWorker = Callable[..., corral.Worker]
HANDLER_LIMIT_S = 30


def test_wait_for_job_returns_once_a_worker_completes_it(
    client: corral.Client, make_worker: MakeWorker
) -> None:
    job = client.enqueue("t", {"n": 1})
    waited: list[dict[str, object]] = []
    waiter = threading.Thread(target=lambda: waited.append(client.wait_for_job(job["id"], 60)))
    waiter.start()
    worker = make_worker()
    worker.handle("t", lambda ctx: {"double": ctx.payload["n"] * 2})
    worker.start()
    waiter.join(HANDLER_LIMIT_S)
    assert not waiter.is_alive()
    assert waited[0]["status"] == "completed"
    assert waited[0]["result"] == {"double": 2}


def test_wait_for_job_times_out_with_the_last_state_seen(client: corral.Client) -> None:
    job = client.enqueue("t")
    with pytest.raises(corral.WaitTimeout) as caught:
        client.wait_for_job(job["id"], timeout=0.5)
    assert isinstance(caught.value, TimeoutError)
    assert caught.value.job is not None and caught.value.job["status"] == "queued"


def test_wait_for_job_of_an_unknown_job_raises_not_found(client: corral.Client) -> None:
    with pytest.raises(corral.NotFound):
        client.wait_for_job("job_nope", timeout=5)


def _progress_job(worker: corral.Worker, saw_progress: threading.Event) -> None:
    @worker.handler("render")
    def render(ctx: corral.JobContext) -> dict[str, str]:
        ctx.progress(50, stage="half")
        assert saw_progress.wait(HANDLER_LIMIT_S)
        return {"url": "/out.png"}


def test_watch_job_resumes_after_the_server_restarts_without_losing_or_repeating_events(
    server: Server, client: corral.Client, make_worker: MakeWorker
) -> None:
    go = threading.Event()
    worker = make_worker()

    @worker.handler("t")
    def handler(ctx: corral.JobContext) -> str:
        assert go.wait(HANDLER_LIMIT_S)
        return "after the restart"

    job = client.enqueue("t")
    events = []
    for event in client.watch_job(job["id"], timeout=60, last_event_id=0):
        events.append(event)
        if event.kind == "enqueued":
            worker.start()
        if event.kind == "started":
            server.restart()  # ends the stream; the watch reconnects with Last-Event-ID
            go.set()
    assert [e.kind for e in events] == ["enqueued", "started", "completed"]
    assert events[-1].data["result"] == "after the restart"
    ids = [e.id or 0 for e in events]
    assert ids == sorted(set(ids))


def test_watch_job_yields_enqueued_started_progress_completed_in_order(
    client: corral.Client, make_worker: MakeWorker
) -> None:
    saw_progress = threading.Event()
    worker = make_worker()
    _progress_job(worker, saw_progress)
    job = client.enqueue("render")
    worker.start()

    events = []
    for event in client.watch_job(job["id"], timeout=60, last_event_id=0):
        events.append(event)
        if event.kind == "progress":
            saw_progress.set()
    kinds = [e.kind for e in events if e.kind != "heartbeat"]
    assert kinds == ["enqueued", "started", "progress", "completed"]
    assert events[2].data["progress"]["percent"] == 50
    assert events[-1].data["result"] == {"url": "/out.png"}
    ids = [e.id or 0 for e in events]
    assert ids == sorted(ids) and all(ids)


def test_watch_job_starts_with_the_job_and_ends_at_once_for_an_ended_job(
    client: corral.Client,
) -> None:
    job = client.enqueue("t")
    client.cancel(job["id"])
    events = list(client.watch_job(job["id"], timeout=30))
    assert [e.kind for e in events] == ["job"]
    assert events[0].data["status"] == "cancelled"


def test_watch_job_of_an_unknown_job_raises_not_found(client: corral.Client) -> None:
    with pytest.raises(corral.NotFound):
        next(iter(client.watch_job("job_nope", timeout=5)))


def test_watch_job_times_out(client: corral.Client) -> None:
    job = client.enqueue("t")
    seen = []
    with pytest.raises(corral.WaitTimeout) as caught:
        for event in client.watch_job(job["id"], timeout=0.5):
            seen.append(event.kind)
    assert seen == ["job"]
    assert caught.value.job is not None and caught.value.job["status"] == "queued"


@pytest.fixture
def streamless_client(tmp_path: Path) -> Iterator[corral.Client]:
    """A server that refuses every event stream (503 too_many_streams)."""
    server = Server(tmp_path, "--max-streams", "0")
    with corral.Client(server.url) as client:
        yield client
    assert server.stop() == 0, server.log()


def test_watch_job_falls_back_to_long_polling_when_streams_are_refused(
    streamless_client: corral.Client,
) -> None:
    client = streamless_client
    saw_progress = threading.Event()
    worker = corral.Worker(client, wait_s=1)
    _progress_job(worker, saw_progress)
    job = client.enqueue("render")
    worker.start()
    try:
        statuses = []
        for event in client.watch_job(job["id"], timeout=60):
            assert event.kind == "job"
            statuses.append(event.data["status"])
            if (event.data["progress"] or {}).get("percent") == 50:
                saw_progress.set()
    finally:
        worker.stop(grace=0)
    assert saw_progress.is_set()
    assert statuses[-1] == "completed"


def test_watch_job_gives_up_after_max_errors(tmp_path: Path) -> None:
    server = Server(tmp_path, "--max-streams", "0", "--max-long-polls", "0")
    try:
        with corral.Client(server.url) as client:
            job = client.enqueue("t")
            with pytest.raises(corral.Unavailable) as caught:
                list(client.watch_job(job["id"], timeout=60, max_errors=3))
    finally:
        assert server.stop() == 0, server.log()
    assert caught.value.code == "too_many_long_polls"
