"""watch_job: follow one job through its event stream, surviving disconnects.

It reads ``GET /api/v1/jobs/{id}/events`` and yields each message as an ``Event``:
- ``job``: the job as it is when the stream starts (``data`` is the job object);
- each event of the job, ``kind`` being the event's (``started``, ``progress``, ``completed``,
  ...) and ``data`` the event object of docs/api.md;
- ``gap``: events were lost to the server's window (a ``job`` message with the job as it is
  now follows).
It ends after the event that ends the job (``completed``, ``failed``, ``cancelled``,
``deleted``, ``pruned``), or after the ``job`` message of a job that had already ended.

When the stream breaks it reconnects with ``Last-Event-ID``, so no event is skipped or seen
twice. Failures are retried after an exponential delay with full jitter. After
``_FALLBACK_AFTER`` failures in a row it stops streaming (a proxy that buffers or drops
streams, ``too_many_streams``) and long-polls ``GET /api/v1/jobs/{id}?wait=S&progress=1``
instead, yielding a ``job`` message whenever the job changed. ``max_errors`` failures in a
row raise the last one; a reply that retrying cannot change (404, 400) is raised at once. At
``timeout`` seconds it raises ``WaitTimeout``.
"""

import http.client
import json
import socket
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from .backoff import Backoff
from .errors import TransportError, Unavailable, WaitTimeout
from .sse import SseParser
from .transport import Transport

ENDING_KINDS = frozenset({"completed", "failed", "cancelled", "deleted", "pruned"})
_TERMINAL_STATUSES = frozenset({"completed", "failed", "cancelled"})
_FALLBACK_AFTER = 2
# The server sends a keep-alive comment after 15 s of silence by default; a stream silent for
# much longer than that is dead even if its socket is not closed.
_IDLE_S = 45.0
_POLL_S = 30.0


@dataclass(frozen=True)
class Event:
    kind: str
    id: int | None
    data: dict[str, Any]


WaitFn = Callable[[str, float, bool], dict[str, Any]]


def watch_job(
    transport: Transport,
    id: str,
    *,
    timeout: float,
    last_event_id: int | None,
    max_errors: int,
    wait: WaitFn,
) -> Iterator[Event]:
    deadline = time.monotonic() + timeout
    backoff = Backoff()
    errors = 0
    streaming = True
    last_id = last_event_id
    last_job: dict[str, Any] | None = None
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise WaitTimeout(f"job {id} did not end within {timeout} s", last_job)
        try:
            if streaming:
                for event in _stream(transport, id, last_id, deadline):
                    errors = 0
                    backoff.reset()
                    last_id = event.id if event.id is not None else last_id
                    if event.kind == "job":
                        last_job = event.data
                    if event.kind != "_id":
                        yield event
                    if _ends(event):
                        return
                if time.monotonic() < deadline:
                    raise TransportError(f"the event stream of job {id} ended before the job")
            else:
                job = wait(id, min(remaining, _POLL_S) if last_job else 0, last_job is not None)
                errors = 0
                backoff.reset()
                if job != last_job:
                    last_job = job
                    yield Event("job", None, job)
                if job["status"] in _TERMINAL_STATUSES:
                    return
        except Unavailable as e:
            errors += 1
            if errors >= max_errors:
                raise
            if errors >= _FALLBACK_AFTER:
                streaming = False
            time.sleep(min(backoff.next_delay(e.retry_after), max(deadline - time.monotonic(), 0)))


def _ends(event: Event) -> bool:
    if event.kind == "job":
        return event.data.get("status") in _TERMINAL_STATUSES
    return event.kind in ENDING_KINDS


def _stream(
    transport: Transport, id: str, last_id: int | None, deadline: float
) -> Iterator[Event]:
    """One connection's messages, until it ends or the deadline; ``_id`` marks an id-only one."""
    headers = {"Accept": "text/event-stream"}
    if last_id is not None:
        headers["Last-Event-ID"] = str(last_id)
    path = "/api/v1/jobs/" + urllib.parse.quote(id, safe="") + "/events"
    stream = transport.open_stream(path, headers=headers, timeout=_read_timeout(deadline))
    try:
        parser = SseParser()
        while time.monotonic() < deadline:
            stream.sock.settimeout(_read_timeout(deadline))
            try:
                chunk = stream.response.read1(65536)
            except (TimeoutError, socket.timeout):
                if time.monotonic() >= deadline:
                    return
                raise TransportError(f"the event stream of job {id} was silent for {_IDLE_S} s")
            except (OSError, http.client.HTTPException) as e:
                raise TransportError(f"the event stream of job {id} broke: {e!r}") from e
            if not chunk:
                return
            for message in parser.feed(chunk):
                event_id = int(message.id) if message.id and message.id.isdigit() else None
                if message.data is None:
                    yield Event("_id", event_id, {})
                    continue
                yield Event(message.event, event_id, json.loads(message.data))
    finally:
        stream.close()


def _read_timeout(deadline: float) -> float:
    return max(min(deadline - time.monotonic(), _IDLE_S), 0.001)
