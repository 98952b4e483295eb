"""The producer's calls against a real server: what they send and what they return."""

import http.server
import threading

import pytest

import corral
from support import Server


def test_enqueue_get_list_cancel_retry_round_trip(client: corral.Client) -> None:
    job = client.enqueue(
        "report.build", {"report": 42}, queue="reports", priority="high", owner="billing",
        metadata={"source": "test"},
    )
    assert job["status"] == "queued"
    assert (job["type"], job["queue"], job["priority"]) == ("report.build", "reports", 10)
    assert job["payload"] == {"report": 42}

    # GET adds not_ready (why the job is not running yet): the rest is the job as enqueued.
    got = client.get_job(job["id"])
    assert got.pop("not_ready") is None
    assert got == job

    page = client.list_jobs(queue="reports", owner="billing")
    assert [j["id"] for j in page["jobs"]] == [job["id"]]

    cancelled = client.cancel(job["id"])
    assert cancelled["status"] == "cancelled"
    assert client.list_jobs(status="cancelled")["jobs"][0]["id"] == job["id"]

    retried = client.retry(job["id"])
    assert retried["status"] == "queued"
    assert retried["attempt"] == 0


def test_enqueue_without_payload_stores_an_empty_object(client: corral.Client) -> None:
    assert client.enqueue("ping")["payload"] == {}


def test_an_idempotency_key_returns_the_existing_job(client: corral.Client) -> None:
    first = client.enqueue("email.send", {"to": "ana"}, idempotency_key="welcome-ana")
    again = client.enqueue("email.send", {"to": "someone else"}, idempotency_key="welcome-ana")
    assert again["id"] == first["id"]
    assert again["payload"] == {"to": "ana"}


def test_a_traceparent_gives_the_job_its_trace_id(client: corral.Client) -> None:
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    job = client.enqueue("t", traceparent=f"00-{trace_id}-00f067aa0ba902b7-01")
    assert job["trace_id"] == trace_id


def test_enqueue_batch_returns_the_jobs_in_order(client: corral.Client) -> None:
    jobs = client.enqueue_batch(
        [{"type": "thumb.make", "payload": {"image": name}} for name in ("a", "b", "c")]
    )
    assert [j["payload"]["image"] for j in jobs] == ["a", "b", "c"]
    assert all(j["status"] == "queued" for j in jobs)


def test_enqueue_batch_refs_returns_each_jobs_id_and_status_only(client: corral.Client) -> None:
    known = client.enqueue("thumb.make", idempotency_key="refs-known")
    refs = client.enqueue_batch_refs(
        [
            {"type": "thumb.make", "payload": {"image": "a"}},
            {"type": "thumb.make", "delay_s": 3600},
            {"type": "thumb.make", "idempotency_key": "refs-known"},
        ]
    )
    assert [sorted(r) for r in refs] == [["id", "status"]] * 3
    assert [r["status"] for r in refs] == ["queued", "scheduled", "queued"]
    assert refs[2]["id"] == known["id"]
    assert client.get_job(refs[0]["id"])["payload"] == {"image": "a"}


def test_iter_jobs_follows_every_page(client: corral.Client) -> None:
    ids = [client.enqueue("t", {"n": n}, queue="paged")["id"] for n in range(7)]
    first = client.list_jobs(queue="paged", limit=3)
    assert len(first["jobs"]) == 3 and first["next_cursor"]
    assert [j["id"] for j in client.iter_jobs(queue="paged", limit=3)] == ids[::-1]


def test_delete_job_frees_its_idempotency_key(client: corral.Client) -> None:
    job = client.enqueue("t", idempotency_key="once")
    client.cancel(job["id"])
    client.delete_job(job["id"])
    with pytest.raises(corral.NotFound):
        client.get_job(job["id"])
    assert client.enqueue("t", idempotency_key="once")["id"] != job["id"]


def test_queues_can_be_listed_paused_and_resumed(client: corral.Client) -> None:
    client.enqueue("t", queue="mail")
    assert client.pause_queue("mail")["paused"] is True
    assert [q["name"] for q in client.list_queues()] == ["mail"]
    assert client.resume_queue("mail")["paused"] is False


def test_fetch_heartbeat_complete_by_hand(client: corral.Client) -> None:
    job = client.enqueue("t")
    [leased] = client.fetch(["default"], worker_id="w1", lease_s=30)
    assert leased["id"] == job["id"] and leased["lease_token"]
    beat = client.heartbeat(job["id"], leased["lease_token"], progress={"percent": 40},
                            checkpoint={"step": 2})
    assert beat["progress"]["percent"] == 40 and beat["checkpoint"] == {"step": 2}
    done = client.complete(job["id"], leased["lease_token"], {"ok": True})
    assert done["status"] == "completed" and done["result"] == {"ok": True}
    assert client.fetch(["default"], wait_s=0) == []


def test_a_kept_alive_connection_the_server_closed_is_replaced(
    server: Server, client: corral.Client
) -> None:
    job = client.enqueue("t")
    server.restart()  # every connection the client kept is now closed
    assert client.get_job(job["id"])["id"] == job["id"]
    assert client.cancel(job["id"])["status"] == "cancelled"


def test_the_token_is_sent_as_a_bearer_authorization() -> None:
    seen: list[str | None] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Authorization"))
            body = b'{"queues":[]}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder) as endpoint:
        thread = threading.Thread(target=endpoint.serve_forever)
        thread.start()
        try:
            with corral.Client(f"http://127.0.0.1:{endpoint.server_port}", "s3cret") as c:
                assert c.list_queues() == []
        finally:
            endpoint.shutdown()
            thread.join()
    assert seen == ["Bearer s3cret"]
