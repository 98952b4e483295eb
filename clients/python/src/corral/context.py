"""JobContext: what a handler gets for one attempt of one job.

The handler reads the job (``ctx.job``, with ``checkpoint`` as the previous attempt left it),
reports with ``progress`` and ``checkpoint``, and watches ``cancelled``. Reports do not make
the handler wait for the server: they are kept as pending and the job's heartbeat thread
(heartbeat.py) sends them, coalesced, with its next beat; it is woken for them at once and sends
at most one report per ``min_report_s``.

Thread-safe: the handler's thread writes reports while the heartbeat thread takes them, and the
worker may end the attempt from a third thread (a stop that releases it).
"""

import threading
import time
from typing import Any, Final

from .errors import JobError


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()
"""A progress field left out keeps its value; one set to None clears it (docs/api.md)."""


class JobCancelled(JobError):
    """Raised by ``raise_if_cancelled``; the attempt fails and the server makes the job cancelled."""

    def __init__(self) -> None:
        super().__init__("the job was cancelled", code="cancelled")


class JobContext:
    def __init__(self, job: dict[str, Any], lease_s: float, worker_id: str) -> None:
        self.job = job
        self.worker_id = worker_id
        self.lease_s = lease_s
        self.cancelled = threading.Event()
        """Set when a heartbeat's reply says a cancel was requested, or the lease was lost."""
        self.lease_lost = threading.Event()
        """Set when the server says the lease is no longer this worker's; reports are dropped."""
        self._lock = threading.Lock()
        self._progress: dict[str, Any] = {}  # guarded by _lock
        self._checkpoint: Any = UNSET  # guarded by _lock
        self._ended = False  # guarded by _lock
        self.wake = threading.Event()
        self.lease_deadline = time.monotonic() + lease_s

    @property
    def id(self) -> str:
        return str(self.job["id"])

    @property
    def payload(self) -> Any:
        return self.job.get("payload")

    @property
    def attempt(self) -> int:
        return int(self.job["attempt"])

    @property
    def lease_token(self) -> str:
        return str(self.job["lease_token"])

    def progress(
        self,
        percent: float | None | _Unset = UNSET,
        *,
        stage: str | None | _Unset = UNSET,
        message: str | None | _Unset = UNSET,
        current: float | None | _Unset = UNSET,
        total: float | None | _Unset = UNSET,
    ) -> None:
        """Reports progress; fields left out keep their stored value, None clears one."""
        fields = {"percent": percent, "stage": stage, "message": message,
                  "current": current, "total": total}
        with self._lock:
            self._progress.update({k: v for k, v in fields.items() if v is not UNSET})
        self.wake.set()

    def checkpoint(self, value: Any) -> None:
        """Saves a JSON value the next attempt finds as ``ctx.job["checkpoint"]``.

        It reaches the server with the next heartbeat (soon), and before the attempt fails or
        is released, so a retry resumes from the last one set. None is not a checkpoint: the
        server would keep the previous one.
        """
        with self._lock:
            self._checkpoint = value
        self.wake.set()

    def raise_if_cancelled(self) -> None:
        if self.cancelled.is_set():
            raise JobCancelled()

    # For the worker ------------------------------------------------------------------------

    def take_reports(self) -> tuple[dict[str, Any], Any]:
        """The pending progress and checkpoint (UNSET if none), which are no longer pending."""
        with self._lock:
            progress, checkpoint = self._progress, self._checkpoint
            self._progress, self._checkpoint = {}, UNSET
        return progress, checkpoint

    def put_back(self, progress: dict[str, Any], checkpoint: Any) -> None:
        """Makes reports that failed to send pending again, under any newer ones."""
        with self._lock:
            self._progress = dict(progress, **self._progress)
            if self._checkpoint is UNSET:
                self._checkpoint = checkpoint

    def has_reports(self) -> bool:
        with self._lock:
            return bool(self._progress) or self._checkpoint is not UNSET

    def claim_end(self) -> bool:
        """True for the one caller that gets to end the attempt (the handler's thread, or a stop)."""
        with self._lock:
            ended, self._ended = self._ended, True
        return not ended
