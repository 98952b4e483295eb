"""Client: every call of Corral's HTTP API (docs/api.md), taking and returning its JSON shapes.

Jobs are plain dicts, exactly as the server sends them, so a field the server adds later is
there without a new release of this package. Errors are raised as the ``CorralError``
subclass of their stable code (errors.py).

Thread-safe: one Client may be shared by every thread of a process, and should be, since it
keeps its connections alive for reuse.
"""

import time
import urllib.parse
from typing import Any, Iterable, Iterator, Mapping, Sequence, overload

from .backoff import Backoff
from .errors import CorralError, Unavailable, WaitTimeout
from .transport import Transport
from .watch import Event, watch_job

TERMINAL_STATUSES = frozenset({"completed", "failed", "cancelled"})

# The server answers a ?wait long-poll within 60 s at most; a longer wait is several polls.
_MAX_WAIT_S = 60.0


class Client:
    def __init__(self, url: str, token: str | None = None, *, timeout: float = 30.0) -> None:
        """``url`` is the server's base, e.g. ``http://127.0.0.1:7878``; ``token`` is sent as
        ``Authorization: Bearer``; ``timeout`` bounds each request that does not long-poll."""
        self.url = url
        self._transport = Transport(url, token, timeout)

    def close(self) -> None:
        """Closes the idle kept-alive connections. The client stays usable."""
        self._transport.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Producers --------------------------------------------------------------------------

    def enqueue(
        self,
        type: str,
        payload: Any = None,
        *,
        traceparent: str | None = None,
        **options: Any,
    ) -> dict[str, Any]:
        """Creates a job and returns it. ``options`` are the API's enqueue fields: ``queue``,
        ``priority``, ``run_at``, ``delay_s``, ``max_attempts``, ``timeout_s``, ``max_run_s``,
        ``backoff``, ``retryable``, ``idempotency_key``, ``owner``, ``metadata``,
        ``depends_on`` (ids of jobs that must end first: the job waits in ``waiting`` until
        they have) and ``on_parent_failure`` (``"cancel"``, the default, or ``"run"``). A known
        ``idempotency_key`` returns the existing job."""
        body = dict(options, type=type)
        if payload is not None:
            body["payload"] = payload
        return self._post("/api/v1/jobs", body, headers=_trace(traceparent))

    @overload
    def enqueue_batch(
        self,
        jobs: Iterable[Mapping[str, Any]],
        *,
        batch: None = None,
        traceparent: str | None = None,
    ) -> list[dict[str, Any]]: ...

    @overload
    def enqueue_batch(
        self,
        jobs: Iterable[Mapping[str, Any]],
        *,
        batch: Mapping[str, Any],
        traceparent: str | None = None,
    ) -> dict[str, Any]: ...

    def enqueue_batch(
        self,
        jobs: Iterable[Mapping[str, Any]],
        *,
        batch: Mapping[str, Any] | None = None,
        traceparent: str | None = None,
    ) -> list[dict[str, Any]] | dict[str, Any]:
        """Creates every job or none (each mapping is an enqueue body, with ``type``); returns
        them in order.

        ``batch`` names the batch and may carry jobs to run at its end: ``{"id"?: NAME,
        "on_success"?: BODY, "on_complete"?: BODY}`` (a name already taken raises ``Conflict``,
        code ``already_exists``). The reply is then the server's whole ``{"jobs": [...],
        "batch": {"id", "on_success": job | None, "on_complete": job | None}}``, so the batch's
        name and end jobs come back too."""
        body: dict[str, Any] = {"jobs": list(jobs)}
        if batch is not None:
            body["batch"] = dict(batch)
        reply = self._post("/api/v1/jobs/batch", body, headers=_trace(traceparent))
        return reply if batch is not None else list(reply["jobs"])

    def enqueue_batch_refs(
        self, jobs: Iterable[Mapping[str, Any]], *, traceparent: str | None = None
    ) -> list[dict[str, Any]]:
        """Creates every job or none, as ``enqueue_batch`` does, with ``Prefer: return=minimal``:
        returns each job as ``{"id", "status"}``, in order (a known ``idempotency_key``'s job as
        it is now). For a producer of many jobs: the reply is about a twentieth the size of the
        whole jobs', and read in a fraction of the time."""
        headers = {"Prefer": "return=minimal", **(_trace(traceparent) or {})}
        reply = self._post("/api/v1/jobs/batch", {"jobs": list(jobs)}, headers=headers)
        return list(reply["jobs"])

    def get_batch(self, id: str) -> dict[str, Any]:
        """A named batch: ``{"id", "state": "active" | "succeeded" | "failed", "total",
        "counts", "owner", "created_at", "on_success", "on_complete"}``, its own jobs counted by
        state. Raises ``NotFound`` for no such batch."""
        return self._get("/api/v1/batches/" + _quote(id))

    def get_job(self, id: str) -> dict[str, Any]:
        return self._get(_job_path(id))

    def wait_for_job(self, id: str, timeout: float = 60.0) -> dict[str, Any]:
        """Returns the job once it is completed, failed or cancelled.

        Holds the server's long-poll (``GET ?wait``) and asks again until the deadline, so the
        job's end is seen as soon as it is committed. Raises ``WaitTimeout`` (a
        ``TimeoutError``, with the last state seen as ``.job``) after ``timeout`` seconds, and
        retries ``Unavailable`` replies with backoff meanwhile.
        """
        deadline = time.monotonic() + timeout
        backoff = Backoff()
        job: dict[str, Any] | None = None
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WaitTimeout(f"job {id} did not end within {timeout} s", job)
            wait_s = min(remaining, _MAX_WAIT_S)
            asked_at = time.monotonic()
            try:
                job = self._wait(id, wait_s)
            except Unavailable as e:
                time.sleep(min(backoff.next_delay(e.retry_after), remaining))
                continue
            if job["status"] in TERMINAL_STATUSES:
                return job
            # A server shutting down answers every wait at once: do not spin on it meanwhile.
            if time.monotonic() - asked_at < wait_s / 2:
                time.sleep(min(backoff.next_delay(), max(deadline - time.monotonic(), 0)))
            else:
                backoff.reset()

    def list_jobs(self, **filters: Any) -> dict[str, Any]:
        """One page, newest first: ``{"jobs": [...], "next_cursor": ...}``. ``filters`` are
        the list's query parameters (``status``, ``queue``, ``type``, ``owner``, ``limit``,
        ``cursor``)."""
        return self._get("/api/v1/jobs", filters)

    def iter_jobs(self, **filters: Any) -> Iterator[dict[str, Any]]:
        """Every job that matches, page after page (``limit`` sets the page size)."""
        query = dict(filters)
        while True:
            page = self.list_jobs(**query)
            yield from page["jobs"]
            cursor = page.get("next_cursor")
            if not cursor:
                return
            query["cursor"] = cursor

    def cancel(self, id: str) -> dict[str, Any]:
        """Cancels a waiting job, or asks a running one's worker to stop; returns the job."""
        return self._post(_job_path(id) + "/cancel")

    def retry(self, id: str) -> dict[str, Any]:
        """Queues a failed or cancelled job again with a fresh attempt budget."""
        return self._post(_job_path(id) + "/retry")

    def delete_job(self, id: str) -> None:
        """Deletes a job that has ended, and frees its idempotency key."""
        self._call("DELETE", _job_path(id))

    def watch_job(
        self,
        id: str,
        timeout: float = 300.0,
        *,
        last_event_id: int | None = None,
        max_errors: int = 5,
    ) -> Iterator[Event]:
        """The job's events as they happen, ending after the one that ends the job.

        See ``corral.watch.watch_job`` for the messages, the reconnects and the fallback.
        """
        return watch_job(
            self._transport,
            id,
            timeout=timeout,
            last_event_id=last_event_id,
            max_errors=max_errors,
            wait=self._wait,
        )

    def list_queues(self) -> list[dict[str, Any]]:
        return list(self._get("/api/v1/queues")["queues"])

    def pause_queue(self, name: str) -> dict[str, Any]:
        return self._post(f"/api/v1/queues/{_quote(name)}/pause")

    def resume_queue(self, name: str) -> dict[str, Any]:
        return self._post(f"/api/v1/queues/{_quote(name)}/resume")

    # Workers (corral.Worker makes these calls for you) -------------------------------------

    def fetch(
        self,
        queues: list[str] | None = None,
        *,
        worker_id: str | None = None,
        count: int = 1,
        wait_s: float = 0,
        lease_s: float | None = None,
    ) -> list[dict[str, Any]]:
        """Leases up to ``count`` jobs, each with its ``lease_token``; waits up to ``wait_s``
        for one when none is ready."""
        body = _present(
            queues=queues, worker_id=worker_id, count=count, wait_s=wait_s, lease_s=lease_s
        )
        reply = self._post("/api/v1/fetch", body, timeout=wait_s + self._transport.timeout)
        return list(reply["jobs"])

    def heartbeat(
        self,
        id: str,
        lease_token: str,
        *,
        progress: Mapping[str, Any] | None = None,
        checkpoint: Any = None,
        extend_s: float | None = None,
    ) -> dict[str, Any]:
        """Extends the lease; the reply's ``cancel_requested`` says whether to stop."""
        body = _present(
            lease_token=lease_token, progress=progress, checkpoint=checkpoint, extend_s=extend_s
        )
        return self._post(_job_path(id) + "/heartbeat", body)

    def complete(
        self,
        id: str,
        lease_token: str,
        result: Any = None,
        *,
        progress: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        body = _present(lease_token=lease_token, result=result, progress=progress)
        return self._post(_job_path(id) + "/complete", body)

    def complete_batch(self, jobs: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Completes many leases in one commit: ``jobs`` of ``{"id", "lease_token", "result"?,
        "progress"?}``; one answer per item, in order: ``{"id", "status"}`` or ``{"id", "error"}``."""
        reply = self._post("/api/v1/complete", {"jobs": list(jobs)})
        return list(reply["results"])

    def fail(
        self,
        id: str,
        lease_token: str,
        *,
        code: str = "error",
        message: str = "",
        retryable: bool = True,
        retry_in_s: float | None = None,
    ) -> dict[str, Any]:
        error = {"code": code, "message": message, "retryable": retryable}
        body = _present(lease_token=lease_token, error=error, retry_in_s=retry_in_s)
        return self._post(_job_path(id) + "/fail", body)

    def release(self, id: str, lease_token: str, *, delay_s: float | None = None) -> dict[str, Any]:
        """Hands the job back without using up an attempt."""
        body = _present(lease_token=lease_token, delay_s=delay_s)
        return self._post(_job_path(id) + "/release", body)

    # ---------------------------------------------------------------------------------------

    def _wait(
        self, id: str, wait_s: float, progress: bool = False, updated_after: str | None = None
    ) -> dict[str, Any]:
        wait = f"{max(wait_s, 0):.3f}"
        query = {
            "wait": wait,
            "progress": "1" if progress else None,
            "updated_after": updated_after if progress else None,
        }
        timeout = wait_s + self._transport.timeout
        return self._call("GET", _job_path(id), query=query, timeout=timeout)

    def _get(self, path: str, query: Mapping[str, Any] | None = None) -> dict[str, Any]:
        return self._call("GET", path, query=query)

    def _post(
        self,
        path: str,
        body: Mapping[str, Any] | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        return self._call("POST", path, body, headers=headers, timeout=timeout)

    def _call(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None = None,
        **options: Any,
    ) -> dict[str, Any]:
        reply = self._transport.request(method, path, body, **options)
        if reply.body is None:
            return {}
        if not isinstance(reply.body, dict):
            raise CorralError(reply.status, "invalid_reply", f"{method} {path}: not a JSON object")
        return reply.body


def _job_path(id: str) -> str:
    return "/api/v1/jobs/" + _quote(id)


def _quote(segment: str) -> str:
    return urllib.parse.quote(segment, safe="")


def _trace(traceparent: str | None) -> dict[str, str] | None:
    return {"traceparent": traceparent} if traceparent else None


def _present(**fields: Any) -> dict[str, Any]:
    """The fields given; the server treats an absent field and a null alike, so send neither."""
    return {k: v for k, v in fields.items() if v is not None}
