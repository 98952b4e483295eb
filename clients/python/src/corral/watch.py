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
streams, ``too_many_streams``) and long-polls instead, ``GET /api/v1/jobs/{id}?wait=S`` with
``progress=1&updated_after=T``, yielding a ``job`` message whenever the job changed.
``max_errors`` failures in a row raise the last one; a reply that retrying cannot change (404,
400) is raised at once. At ``timeout`` seconds it raises ``WaitTimeout``.
"""

import contextlib
import http.client
import json
import socket
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any, Callable, Generator, Iterator

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


WaitFn = Callable[[str, float, bool, str | None], dict[str, Any]]


def watch_job(
    transport: Transport,
    id: str,
    *,
    timeout: float,
    last_event_id: int | None,
    max_errors: int,
    wait: WaitFn,
) -> Iterator[Event]:
    return _Watch(transport, id, timeout, last_event_id, wait).run(max_errors)


class _Watch:
    """One watch's position: the last event id for a reconnect, the last job for a poll."""

    def __init__(
        self, transport: Transport, id: str, timeout: float, last_id: int | None, wait: WaitFn
    ) -> None:
        self._transport = transport
        self._id = id
        self._timeout = timeout
        self._deadline = time.monotonic() + timeout
        self._last_id = last_id
        self._last_job: dict[str, Any] | None = None
        self._wait = wait
        self._errors = 0
        self._ended = False

    def run(self, max_errors: int) -> Iterator[Event]:
        backoff = Backoff()
        streaming = True
        while not self._ended:
            if time.monotonic() >= self._deadline:
                message = f"job {self._id} did not end within {self._timeout} s"
                raise WaitTimeout(message, self._last_job)
            try:
                yield from self._stream() if streaming else self._poll()
                backoff.reset()
            except Unavailable as e:
                self._errors += 1
                if self._errors >= max_errors:
                    raise
                if self._errors >= _FALLBACK_AFTER:
                    streaming = False
                remaining = max(self._deadline - time.monotonic(), 0)
                time.sleep(min(backoff.next_delay(e.retry_after), remaining))

    def _stream(self) -> Iterator[Event]:
        # closing(): a consumer that stops early closes the connection at once.
        with contextlib.closing(
            _read_stream(self._transport, self._id, self._last_id, self._deadline)
        ) as events:
            for event in events:
                self._errors = 0
                self._last_id = event.id if event.id is not None else self._last_id
                if event.kind == "job":
                    self._last_job = event.data
                if event.kind != "_id":
                    yield event
                if _ends(event):
                    self._ended = True
                    return
        if time.monotonic() < self._deadline:
            raise TransportError(f"the event stream of job {self._id} ended before the job")

    def _poll(self) -> Iterator[Event]:
        remaining = self._deadline - time.monotonic()
        # The first poll takes the job as it is; later ones wait for a change after the job in
        # hand, so a report that lands between two polls answers the next one at once.
        last = self._last_job
        wait_s = min(remaining, _POLL_S) if last is not None else 0
        job = self._wait(self._id, wait_s, last is not None, last["updated_at"] if last else None)
        self._errors = 0
        if job != self._last_job:
            self._last_job = job
            yield Event("job", None, job)
        self._ended = job["status"] in _TERMINAL_STATUSES


def _ends(event: Event) -> bool:
    if event.kind == "job":
        return event.data.get("status") in _TERMINAL_STATUSES
    return event.kind in ENDING_KINDS


def _read_stream(
    transport: Transport, id: str, last_id: int | None, deadline: float
) -> Generator[Event, None, None]:
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
