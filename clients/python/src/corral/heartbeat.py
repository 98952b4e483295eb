"""The heartbeat thread of one running job: keeps its lease alive without the handler's help.

A beat goes out every ``fraction`` of the lease, so two can be lost before the lease runs out,
and sooner when the handler has reported progress or a checkpoint (at most one report per
``min_report_s``, coalescing everything reported meanwhile). A beat's reply carries
``cancel_requested``, which sets ``ctx.cancelled``. A reply saying the lease is gone
(``stale_lease``, ``run_time_exceeded``, ``not_found``) sets ``ctx.lease_lost`` and
``ctx.cancelled`` and ends the thread: the job is someone else's now. A beat the server could
not take (``Unavailable``) is tried again sooner, with backoff, and its reports stay pending.

``send`` is also what the worker uses to save the last checkpoint before it fails or releases
an attempt; a lock keeps the reports of one job in order.
"""

import logging
import threading
import time

from .backoff import Backoff
from .client import Client
from .context import UNSET, JobContext
from .errors import CorralError, NotFound, StaleLease, Unavailable

log = logging.getLogger("corral.worker")


class Heartbeat:
    def __init__(
        self, client: Client, ctx: JobContext, fraction: float, min_report_s: float
    ) -> None:
        self._client = client
        self._ctx = ctx
        self._interval = ctx.lease_s * fraction
        self._min_report_s = min_report_s
        self._send_lock = threading.Lock()
        self._stopped = False
        self._thread = threading.Thread(
            target=self._loop, name=f"corral-heartbeat-{ctx.id}", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Ends the thread, after any beat it is sending; no beat goes out after this returns."""
        self._stopped = True
        self._ctx.wake.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()

    def send(self) -> bool:
        """Sends one beat with the pending reports; False if the lease is gone or it failed."""
        ctx = self._ctx
        with self._send_lock:
            if ctx.lease_lost.is_set():
                return False
            progress, checkpoint = ctx.take_reports()
            try:
                job = self._client.heartbeat(
                    ctx.id,
                    ctx.lease_token,
                    progress=progress or None,
                    checkpoint=None if checkpoint is UNSET else checkpoint,
                )
            except (StaleLease, NotFound) as e:
                log.warning("job %s: lease lost (%s); the handler should stop", ctx.id, e.code)
                ctx.lease_lost.set()
                ctx.cancelled.set()
                return False
            except Unavailable:
                ctx.put_back(progress, checkpoint)
                raise
            except CorralError as e:
                # A report the server refuses (say percent 120) would be refused again: drop it,
                # but give a checkpoint that went with refused progress a try on its own.
                if progress and checkpoint is not UNSET:
                    ctx.put_back({}, checkpoint)
                log.error("job %s: heartbeat refused, its progress dropped: %s", ctx.id, e)
                return False
            ctx.lease_deadline = time.monotonic() + ctx.lease_s
            if job.get("cancel_requested"):
                ctx.cancelled.set()
            return True

    def _loop(self) -> None:
        ctx = self._ctx
        backoff = Backoff(initial_s=self._interval / 4, max_s=self._interval)
        next_beat = time.monotonic() + self._interval
        last_sent = 0.0
        while not self._stopped and not ctx.lease_lost.is_set():
            due = next_beat
            if ctx.has_reports():
                due = min(due, last_sent + self._min_report_s)
            delay = due - time.monotonic()
            if delay > 0:
                ctx.wake.wait(delay)
                ctx.wake.clear()
                continue
            last_sent = time.monotonic()
            try:
                self.send()
                backoff.reset()
                next_beat = time.monotonic() + self._interval
            except Unavailable as e:
                log.warning("job %s: heartbeat failed, trying again: %s", ctx.id, e)
                next_beat = time.monotonic() + backoff.next_delay(e.retry_after)
