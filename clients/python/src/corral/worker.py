"""Worker: fetches jobs of its queues and runs each with the handler of its type.

One fetcher thread long-polls ``POST /api/v1/fetch`` for as many jobs as there are free slots
(``concurrency``) and starts each job on a thread of its own, with a heartbeat thread beside it
(attempt.py, heartbeat.py). Completions ready together go in one request (completions.py).
A fetch that fails for a while (server restarting, 503) is retried
with backoff and jitter; one the server refuses outright (a bad queue name) stops the worker,
and ``run`` raises it.

``stop(grace)`` stops fetching, lets the running jobs finish for up to ``grace`` seconds, then
releases those still running with their last checkpoint, so another worker picks them up at the
same attempt. The fetch in flight, if any, is let finish (it ends within ``wait_s``) rather
than cut, since a cut reply could hold a lease this worker would never see; what it brings is
released at once.
"""

import logging
import os
import signal
import socket
import threading
import time
import uuid
from types import FrameType
from typing import Any, Callable, Iterable

from .attempt import Attempt, Handler
from .backoff import Backoff
from .client import Client
from .completions import CompletionBatcher
from .context import JobContext
from .errors import CorralError, Unavailable
from .heartbeat import Heartbeat

log = logging.getLogger("corral.worker")


class Worker:
    """Thread-safe: ``stop`` may be called from any thread, or from ``run``'s signal handler."""

    def __init__(
        self,
        client: Client,
        queues: Iterable[str] = ("default",),
        *,
        concurrency: int = 1,
        worker_id: str | None = None,
        lease_s: float | None = None,
        wait_s: float = 5.0,
        heartbeat_fraction: float = 1 / 3,
        min_report_s: float = 0.2,
        grace: float = 30.0,
    ) -> None:
        """``lease_s``: the lease each fetch asks for (default: each job's ``timeout_s``).
        ``wait_s``: how long one fetch waits for work, and so the longest a ``stop`` waits for
        the fetch in flight. ``grace``: what ``run`` gives running jobs when it is signalled."""
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.client = client
        self._completions = CompletionBatcher(client)
        # A lone name is one queue, not one queue per character.
        self.queues = [queues] if isinstance(queues, str) else list(queues)
        self.concurrency = concurrency
        self.worker_id = worker_id or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.lease_s = lease_s
        self.wait_s = wait_s
        self.heartbeat_fraction = heartbeat_fraction
        self.min_report_s = min_report_s
        self.grace = grace
        self._handlers: dict[str, Handler] = {}
        self._cond = threading.Condition()
        self._running: dict[str, Attempt] = {}  # guarded by _cond
        self._stopping = False  # guarded by _cond
        self._stop_requested = threading.Event()
        self._stop_lock = threading.Lock()
        self._stopped = False  # guarded by _stop_lock
        self._fetcher: threading.Thread | None = None
        self._fatal: CorralError | None = None

    def handler(self, type: str) -> Callable[[Handler], Handler]:
        """Decorator: ``@worker.handler("report.build")`` registers the function for the type."""

        def register(fn: Handler) -> Handler:
            self.handle(type, fn)
            return fn

        return register

    def handle(self, type: str, fn: Handler) -> None:
        self._handlers[type] = fn

    @property
    def running(self) -> list[JobContext]:
        """The contexts of the jobs running now."""
        with self._cond:
            return [attempt.ctx for attempt in self._running.values()]

    @property
    def stopping(self) -> bool:
        """True once a stop was asked for (``stop``, a signal, or a fetch the server refused)."""
        return self._stop_requested.is_set()

    def start(self) -> None:
        """Starts fetching on a background thread and returns."""
        if self._fetcher is not None:
            raise RuntimeError("the worker has been started already")
        self._fetcher = threading.Thread(target=self._fetch_loop, name="corral-fetch", daemon=True)
        self._fetcher.start()

    def run(self, *, handle_signals: bool = True) -> None:
        """Runs until ``stop`` (from another thread), SIGTERM or SIGINT, then stops with
        ``grace`` and returns; raises the error that stopped fetching, if one did."""
        restore = self._install_signals() if handle_signals else None
        try:
            self.start()
            # A timed wait keeps the main thread responsive to signals on every platform.
            while not self._stop_requested.wait(1.0):
                pass
            self.stop(self.grace)
        finally:
            if restore:
                restore()
        if self._fatal is not None:
            raise self._fatal

    def stop(self, grace: float | None = None) -> None:
        """Stops fetching, waits up to ``grace`` seconds for the running jobs, releases the rest.

        Returns once every lease this worker held is reported: completed, failed or released.
        A second call waits for the first.
        """
        grace = self.grace if grace is None else grace
        with self._stop_lock:
            if self._stopped:
                return
            deadline = time.monotonic() + grace
            with self._cond:
                self._stopping = True
                self._stop_requested.set()
                self._cond.notify_all()
                while self._running and (remaining := deadline - time.monotonic()) > 0:
                    self._cond.wait(remaining)
                left = list(self._running.values())
            for attempt in left:
                log.info("job %s: still running after the grace period; releasing it", attempt.ctx.id)
                attempt.release()
            if self._fetcher is not None and self._fetcher is not threading.current_thread():
                self._fetcher.join()
            self._stopped = True

    def _fetch_loop(self) -> None:
        backoff = Backoff()
        while True:
            with self._cond:
                while len(self._running) >= self.concurrency and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
                free = self.concurrency - len(self._running)
            try:
                jobs = self.client.fetch(
                    self.queues,
                    worker_id=self.worker_id,
                    count=free,
                    wait_s=self.wait_s,
                    lease_s=self.lease_s,
                )
                backoff.reset()
            except Unavailable as e:
                delay = backoff.next_delay(e.retry_after)
                log.warning("fetch failed, trying again in %.1f s: %s", delay, e)
                self._stop_requested.wait(delay)
                continue
            except CorralError as e:
                log.error("fetch refused, the worker stops: %s", e)
                self._fatal = e
                self._stop_requested.set()
                return
            for job in jobs:
                self._start(job)

    def _start(self, job: dict[str, Any]) -> None:
        ctx = JobContext(job, self.lease_s or float(job["timeout_s"]), self.worker_id)
        heartbeat = Heartbeat(self.client, ctx, self.heartbeat_fraction, self.min_report_s)
        attempt = Attempt(
            self.client,
            ctx,
            self._handlers.get(job["type"]),
            heartbeat,
            self._finished,
            self._completions.complete,
        )
        with self._cond:
            # Decided under the lock that stop takes, so a job is either running when stop
            # looks, or released here.
            stopping = self._stopping
            if not stopping:
                self._running[ctx.id] = attempt
        if stopping:
            attempt.release()
        else:
            attempt.start()

    def _finished(self, attempt: Attempt) -> None:
        with self._cond:
            self._running.pop(attempt.ctx.id, None)
            self._cond.notify_all()

    def _install_signals(self) -> Callable[[], None] | None:
        if threading.current_thread() is not threading.main_thread():
            return None

        def on_signal(signum: int, frame: FrameType | None) -> None:
            log.info("signal %d: stopping; a second one ends the process at once", signum)
            restore()
            self._stop_requested.set()

        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}

        def restore() -> None:
            for s, handler in previous.items():
                signal.signal(s, handler)

        return restore
