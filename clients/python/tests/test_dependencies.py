"""Dependencies and named batches against a real server: a child waits for its parents and is
given their results, a cancelled parent cancels it, and a named batch's end jobs wait for it."""

from typing import Any

import pytest

import corral


def work(client: corral.Client, queue: str, result: Any) -> dict[str, Any]:
    """Fetches the one ready job of ``queue`` (waiting on the server) and completes it."""
    [leased] = client.fetch([queue], worker_id="w1", wait_s=5)
    client.complete(leased["id"], leased["lease_token"], result)
    return leased


def test_a_child_waits_for_its_parents_and_is_given_how_each_ended(client: corral.Client) -> None:
    a, b = client.enqueue_batch([{"type": "extract", "queue": "parts"} for _ in range(2)])
    child = client.enqueue("load", queue="loads", depends_on=[a["id"], b["id"]])
    assert child["status"] == "waiting"
    assert (child["depends_on"], child["on_parent_failure"]) == ([a["id"], b["id"]], "cancel")
    assert (child["parents_left"], child["parents"], child["batch"]) == (2, [], None)

    work(client, "parts", {"rows": 1})
    between = client.get_job(child["id"])
    assert (between["status"], between["parents_left"]) == ("waiting", 1)

    last = work(client, "parts", {"rows": 2})
    ready = client.get_job(child["id"])
    assert (ready["status"], ready["parents_left"]) == ("queued", 0)
    by_id = {p["id"]: p for p in ready["parents"]}
    assert by_id[last["id"]] == {"id": last["id"], "status": "completed", "result": {"rows": 2}}
    assert {p["status"] for p in ready["parents"]} == {"completed"}
    loads = next(q for q in client.list_queues() if q["name"] == "loads")
    assert loads["counts"]["queued"] == 1 and loads["counts"]["waiting"] == 0


def test_a_cancelled_parent_cancels_its_child_unless_it_asked_to_run(client: corral.Client) -> None:
    parent = client.enqueue("extract")
    child = client.enqueue("load", depends_on=[parent["id"]])
    runs = client.enqueue("cleanup", depends_on=[parent["id"]], on_parent_failure="run")

    client.cancel(parent["id"])
    cancelled = client.get_job(child["id"])
    assert cancelled["status"] == "cancelled"
    assert cancelled["error"]["code"] == "parent_failed"
    ran = client.get_job(runs["id"])
    assert ran["status"] == "queued"
    assert ran["parents"] == [{"id": parent["id"], "status": "cancelled", "result": None}]


def test_a_named_batch_returns_its_end_jobs_which_wait_for_every_job(client: corral.Client) -> None:
    reply = client.enqueue_batch(
        [{"type": "row.import", "queue": "rows", "payload": {"row": n}} for n in (1, 2)],
        batch={
            "id": "import-42",
            "on_success": {"type": "import.report", "queue": "after"},
            "on_complete": {"type": "import.cleanup", "queue": "after"},
        },
    )
    jobs, batch = reply["jobs"], reply["batch"]
    assert batch["id"] == "import-42"
    assert [j["batch"] for j in jobs] == ["import-42", "import-42"]
    on_success = batch["on_success"]
    assert on_success["status"] == "waiting"
    assert sorted(on_success["depends_on"]) == sorted(j["id"] for j in jobs)

    info = client.get_batch("import-42")
    assert (info["state"], info["total"], info["counts"]["queued"]) == ("active", 2, 2)
    assert info["counts"]["waiting"] == 0
    assert (info["on_success"], info["on_complete"]) == (on_success["id"], batch["on_complete"]["id"])

    work(client, "rows", "ok")
    work(client, "rows", "ok")
    info = client.get_batch("import-42")
    assert (info["state"], info["counts"]["completed"]) == ("succeeded", 2)
    assert client.get_job(on_success["id"])["status"] == "queued"


def test_a_taken_batch_name_is_a_conflict_and_an_unknown_one_not_found(client: corral.Client) -> None:
    client.enqueue_batch([{"type": "row.import"}], batch={"id": "nightly"})
    with pytest.raises(corral.Conflict) as taken:
        client.enqueue_batch([{"type": "row.import"}], batch={"id": "nightly"})
    assert taken.value.code == "already_exists"
    with pytest.raises(corral.NotFound):
        client.get_batch("no-such-batch")


def test_enqueue_batch_without_a_batch_still_returns_the_jobs_alone(client: corral.Client) -> None:
    [job] = client.enqueue_batch([{"type": "row.import"}])
    assert job["batch"] is None
