"""The Worker against a real server: leases kept, reports seen, cancels heard, stops drained.

Handlers here block on threading.Events the test sets when it has seen what it waits for, so
no test depends on how fast anything runs.
"""

import json
import threading
import urllib.request
from datetime import datetime, timedelta
from typing import Any, Callable

import corral
from support import Server, wait_until

MakeWorker = Callable[..., corral.Worker]
HANDLER_LIMIT_S = 30  # a handler blocked longer than this means the test has failed anyway


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_a_returned_value_completes_the_job_with_it_as_result(
    client: corral.Client, make_worker: MakeWorker
) -> None:
    worker = make_worker()
    worker.handle("add", lambda ctx: {"sum": ctx.payload["a"] + ctx.payload["b"]})
    worker.start()
    job = client.enqueue("add", {"a": 2, "b": 3})
    done = client.wait_for_job(job["id"], timeout=30)
    assert done["status"] == "completed"
    assert done["result"] == {"sum": 5}
    assert done["attempts"][0]["worker_id"] == worker.worker_id


def test_heartbeats_keep_a_long_job_alive_past_its_lease(
    client: corral.Client, make_worker: MakeWorker
) -> None:
    lease_s = 2
    finish = threading.Event()
    worker = make_worker(lease_s=lease_s)

    @worker.handler("long")
    def long(ctx: corral.JobContext) -> str:
        assert finish.wait(HANDLER_LIMIT_S)
        return "done"

    worker.start()
    job = client.enqueue("long")

    def renewed_past_three_leases() -> bool:
        current = client.get_job(job["id"])
        outcomes = [a["outcome"] for a in current["attempts"]]
        assert outcomes in ([], ["running"]), f"the first attempt ended: {outcomes}"
        if current["status"] != "running":
            return False
        started = _at(current["started_at"])
        return _at(current["lease_expires_at"]) > started + timedelta(seconds=4 * lease_s)

    wait_until(renewed_past_three_leases, what="heartbeats past three lease lengths")
    finish.set()
    done = client.wait_for_job(job["id"], timeout=30)
    assert done["status"] == "completed"
    assert [a["outcome"] for a in done["attempts"]] == ["completed"]


def test_progress_and_checkpoint_are_visible_and_the_checkpoint_comes_back_next_attempt(
    client: corral.Client, make_worker: MakeWorker
) -> None:
    seen = threading.Event()
    checkpoints_seen: list[Any] = []
    worker = make_worker()

    @worker.handler("resumable")
    def resumable(ctx: corral.JobContext) -> str:
        checkpoints_seen.append(ctx.job["checkpoint"])
        if ctx.attempt == 1:
            ctx.checkpoint({"step": 1})
            ctx.progress(40, stage="render", message="halfway", current=2, total=5)
            assert seen.wait(HANDLER_LIMIT_S)
            # Set just before failing: the worker must save it before it reports the failure.
            ctx.checkpoint({"step": 2})
            raise RuntimeError("disk full")
        return "resumed"

    worker.start()
    job = client.enqueue("resumable", backoff={"initial_s": 0})

    def reported() -> bool:
        current = client.get_job(job["id"])
        return current["checkpoint"] == {"step": 1} and current["progress"] is not None

    wait_until(reported, what="the progress and checkpoint on the job")
    progress = client.get_job(job["id"])["progress"]
    assert progress == {"percent": 40, "stage": "render", "message": "halfway",
                        "current": 2, "total": 5}
    seen.set()

    done = client.wait_for_job(job["id"], timeout=30)
    assert done["status"] == "completed" and done["result"] == "resumed"
    assert checkpoints_seen == [None, {"step": 2}]
    first = done["attempts"][0]
    assert first["outcome"] == "failed"
    assert first["error"] == {"code": "RuntimeError", "message": "disk full", "retryable": True}


def test_a_checkpoint_survives_progress_the_server_refuses(
    client: corral.Client, make_worker: MakeWorker
) -> None:
    finish = threading.Event()
    worker = make_worker()

    @worker.handler("t")
    def handler(ctx: corral.JobContext) -> None:
        ctx.checkpoint({"row": 3})
        ctx.progress(150)  # out of range: 400 invalid_argument
        assert finish.wait(HANDLER_LIMIT_S)

    worker.start()
    job = client.enqueue("t")
    wait_until(lambda: bool(client.get_job(job["id"])["checkpoint"] == {"row": 3}),
               what="the checkpoint")
    assert client.get_job(job["id"])["progress"] is None
    finish.set()
    assert client.wait_for_job(job["id"], timeout=30)["status"] == "completed"


def test_cancellation_reaches_the_handler(
    client: corral.Client, make_worker: MakeWorker
) -> None:
    started = threading.Event()
    heard = threading.Event()
    worker = make_worker(lease_s=2)

    @worker.handler("cancellable")
    def cancellable(ctx: corral.JobContext) -> None:
        started.set()
        if ctx.cancelled.wait(HANDLER_LIMIT_S):
            heard.set()
        ctx.raise_if_cancelled()

    worker.start()
    job = client.enqueue("cancellable")
    assert started.wait(HANDLER_LIMIT_S)
    assert client.cancel(job["id"])["cancel_requested"] is True

    done = client.wait_for_job(job["id"], timeout=30)
    assert heard.is_set()
    assert done["status"] == "cancelled"
    assert done["attempts"][0]["error"]["code"] == "cancelled"


def test_a_permanent_error_skips_the_remaining_attempts(
    client: corral.Client, make_worker: MakeWorker
) -> None:
    worker = make_worker()

    @worker.handler("bad.input")
    def bad_input(ctx: corral.JobContext) -> None:
        raise corral.PermanentError("no such customer", code="unknown_customer")

    worker.start()
    job = client.enqueue("bad.input", max_attempts=5)
    done = client.wait_for_job(job["id"], timeout=30)
    assert done["status"] == "failed"
    assert done["attempt"] == 1
    assert done["error"] == {"code": "unknown_customer", "message": "no such customer",
                             "retryable": False}


def test_a_job_error_chooses_its_code_and_retry_delay(
    client: corral.Client, make_worker: MakeWorker
) -> None:
    worker = make_worker()

    @worker.handler("flaky")
    def flaky(ctx: corral.JobContext) -> str:
        if ctx.attempt == 1:
            raise corral.JobError("upstream busy", code="upstream_busy", retry_in_s=0)
        return "ok"

    worker.start()
    job = client.enqueue("flaky", backoff={"initial_s": 3600})  # only retry_in_s can bring it back
    done = client.wait_for_job(job["id"], timeout=30)
    assert done["status"] == "completed"
    assert done["attempts"][0]["error"]["code"] == "upstream_busy"


def test_stop_lets_jobs_finish_within_the_grace_and_releases_the_rest_with_their_checkpoint(
    client: corral.Client, make_worker: MakeWorker
) -> None:
    running = threading.Semaphore(0)
    finish_quick = threading.Event()
    worker = make_worker(concurrency=2)

    @worker.handler("quick")
    def quick(ctx: corral.JobContext) -> str:
        running.release()
        assert finish_quick.wait(HANDLER_LIMIT_S)
        return "finished"

    @worker.handler("stuck")
    def stuck(ctx: corral.JobContext) -> None:
        ctx.checkpoint({"row": 7})
        running.release()
        ctx.cancelled.wait(HANDLER_LIMIT_S)  # set when the worker releases the job

    worker.start()
    quick_job = client.enqueue("quick")
    stuck_job = client.enqueue("stuck")
    assert running.acquire(timeout=HANDLER_LIMIT_S) and running.acquire(timeout=HANDLER_LIMIT_S)

    stopper = threading.Thread(target=worker.stop, kwargs={"grace": 5})
    stopper.start()
    # Once stopping, the worker fetches nothing more: this job stays queued.
    wait_until(lambda: worker.stopping, what="the stop to begin")
    later = client.enqueue("quick")
    finish_quick.set()
    stopper.join(HANDLER_LIMIT_S)
    assert not stopper.is_alive()

    assert client.get_job(quick_job["id"])["status"] == "completed"
    released = client.get_job(stuck_job["id"])
    assert released["status"] == "queued"
    assert released["attempt"] == 0
    assert released["checkpoint"] == {"row": 7}
    assert released["attempts"][-1]["outcome"] == "released"
    assert client.get_job(later["id"])["status"] == "queued"


def test_a_released_job_is_picked_up_by_the_next_worker_with_its_checkpoint(
    client: corral.Client, make_worker: MakeWorker
) -> None:
    started = threading.Event()
    first = make_worker()

    @first.handler("migrate")
    def interrupted(ctx: corral.JobContext) -> None:
        ctx.checkpoint({"done": 500})
        started.set()
        ctx.cancelled.wait(HANDLER_LIMIT_S)

    first.start()
    job = client.enqueue("migrate")
    assert started.wait(HANDLER_LIMIT_S)
    first.stop(grace=0)

    second = make_worker()
    second.handle("migrate", lambda ctx: {"resumed_from": ctx.job["checkpoint"]})
    second.start()
    done = client.wait_for_job(job["id"], timeout=30)
    assert done["result"] == {"resumed_from": {"done": 500}}
    assert done["attempt"] == 1


def test_jobs_ending_together_each_complete_with_their_own_result_the_deepest_allowed_too(
    client: corral.Client, make_worker: MakeWorker
) -> None:
    # Nested as deeply as json_max_depth (64) allows a complete body: too deep inside a batch's
    # two extra levels, so those go one per request after the batch is refused.
    deep: Any = {}
    for _ in range(62):
        deep = {"a": deep}
    release = threading.Event()

    def render(ctx: corral.JobContext) -> Any:
        assert release.wait(HANDLER_LIMIT_S)
        return deep if ctx.payload.get("deep") else {"page": ctx.payload["page"]}

    worker = make_worker(queues="together", concurrency=8)
    worker.handle("render", render)
    worker.start()
    pages = [client.enqueue("render", {"page": page}, queue="together") for page in range(1, 7)]
    deeper = [client.enqueue("render", {"deep": True}, queue="together") for _ in range(2)]
    wait_until(
        lambda: len(client.list_jobs(queue="together", status="running")["jobs"]) == 8,
        what="all eight jobs to run",
    )
    release.set()
    for page, job in enumerate(pages, start=1):
        done = client.wait_for_job(job["id"], timeout=30)
        assert done["status"] == "completed"
        assert done["result"] == {"page": page}
    for job in deeper:
        done = client.wait_for_job(job["id"], timeout=30)
        assert done["status"] == "completed"
        assert done["result"] == deep


def test_a_job_of_a_type_without_a_handler_fails_retryably(
    client: corral.Client, make_worker: MakeWorker
) -> None:
    make_worker().start()
    job = client.enqueue("unknown.type", max_attempts=1)
    done = client.wait_for_job(job["id"], timeout=30)
    assert done["status"] == "failed"
    assert done["error"]["code"] == "no_handler"
    assert done["error"]["retryable"] is True


def test_run_returns_after_stop_from_another_thread(
    client: corral.Client, make_worker: MakeWorker
) -> None:
    worker = make_worker()
    worker.handle("t", lambda ctx: None)
    runner = threading.Thread(target=worker.run, kwargs={"handle_signals": False})
    runner.start()
    job = client.enqueue("t")
    assert client.wait_for_job(job["id"], timeout=30)["status"] == "completed"
    worker.stop(grace=5)
    runner.join(HANDLER_LIMIT_S)
    assert not runner.is_alive()


def test_run_raises_what_stopped_fetching(client: corral.Client, make_worker: MakeWorker) -> None:
    worker = make_worker(queues=["not a queue name"])
    try:
        worker.run(handle_signals=False)
    except corral.InvalidArgument as e:
        assert "queues" in e.message
    else:
        raise AssertionError("run returned without raising")


def test_a_job_the_fetch_in_flight_brings_during_a_stop_is_released(
    server: Server, client: corral.Client, make_worker: MakeWorker
) -> None:
    ran = threading.Event()
    worker = make_worker(wait_s=30)
    worker.handle("t", lambda ctx: ran.set())
    worker.start()

    def parked_fetches() -> int:
        with urllib.request.urlopen(server.url + "/readyz", timeout=5) as reply:
            return int(json.load(reply)["backend"]["long_polls_parked"])

    wait_until(lambda: parked_fetches() >= 1, what="the worker's fetch to wait on the server")
    stopper = threading.Thread(target=worker.stop, kwargs={"grace": 5})
    stopper.start()
    wait_until(lambda: worker.stopping, what="the stop to begin")
    job = client.enqueue("t")  # handed to the waiting fetch
    stopper.join(HANDLER_LIMIT_S)
    assert not stopper.is_alive()

    released = client.get_job(job["id"])
    assert not ran.is_set()
    assert (released["status"], released["attempt"]) == ("queued", 0)
    assert [a["outcome"] for a in released["attempts"]] == ["released"]
