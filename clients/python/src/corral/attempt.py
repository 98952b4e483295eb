"""One attempt of one leased job: runs the handler on a thread of its own and reports its end.

The handler's return value completes the job with it as the result. ``PermanentError`` fails
the job for good; any other exception fails the attempt retryably (the server retries after
its backoff while attempts remain), ``JobError`` choosing the code and the delay. Before a
failure is reported, the last checkpoint is saved, so the next attempt resumes from it.

Exactly one end is reported per attempt: the handler's, or a release by a stopping worker
whose grace period ran out (``release``), whichever comes first. Reports the server cannot
take (``Unavailable``) are retried with backoff until the lease would have run out.
"""

import json
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from .backoff import Backoff
from .client import Client
from .context import JobContext
from .errors import CorralError, JobError, NotFound, StaleLease, Unavailable
from .heartbeat import Heartbeat

log = logging.getLogger("corral.worker")

Handler = Callable[[JobContext], Any]


@dataclass(frozen=True)
class _Complete:
    result: Any


@dataclass(frozen=True)
class _Fail:
    code: str
    message: str
    retryable: bool
    retry_in_s: float | None = None


class Attempt:
    def __init__(
        self,
        client: Client,
        ctx: JobContext,
        handler: Handler | None,
        heartbeat: Heartbeat,
        on_done: Callable[["Attempt"], None],
        complete: Callable[..., None] | None = None,
    ) -> None:
        self.ctx = ctx
        self._client = client
        # The worker's CompletionBatcher.complete, which sends this completion with others ready
        # at the same time; the client's own complete otherwise.
        self._complete: Callable[..., Any] = complete or client.complete
        self._handler = handler
        self._heartbeat = heartbeat
        self._on_done = on_done
        self._thread = threading.Thread(target=self._run, name=f"corral-job-{ctx.id}", daemon=True)

    def start(self) -> None:
        self._heartbeat.start()
        self._thread.start()

    def release(self) -> None:
        """Hands the job back with its last checkpoint, unless the handler has ended it first.

        The handler's thread cannot be stopped from outside; it sees ``ctx.cancelled``, and
        whatever it reports later is dropped.
        """
        if not self.ctx.claim_end():
            return
        self.ctx.cancelled.set()
        self._heartbeat.stop()
        self._save_reports()
        ctx = self.ctx
        self._report("release", lambda: self._client.release(ctx.id, ctx.lease_token))

    def _run(self) -> None:
        try:
            outcome = self._call_handler()
            if self.ctx.claim_end():
                self._heartbeat.stop()
                self._end(outcome)
        except Exception:
            log.exception("job %s: reporting the attempt's end failed", self.ctx.id)
        finally:
            self._on_done(self)

    def _call_handler(self) -> _Complete | _Fail:
        ctx = self.ctx
        if self._handler is None:
            message = f"worker {ctx.worker_id} has no handler for type {ctx.job['type']}"
            return _Fail("no_handler", message, True)
        try:
            return _Complete(self._handler(ctx))
        except JobError as e:
            return _Fail(e.code, e.message, e.retryable, e.retry_in_s)
        except Exception as e:
            log.warning("job %s: the handler raised %r", ctx.id, e, exc_info=True)
            return _Fail(type(e).__name__, str(e) or repr(e), True)

    def _end(self, outcome: _Complete | _Fail) -> None:
        ctx, client = self.ctx, self._client
        if isinstance(outcome, _Complete):
            try:
                json.dumps(outcome.result)
            except (TypeError, ValueError) as e:
                outcome = _Fail("invalid_result", f"the handler's result is not JSON: {e}", False)
        if isinstance(outcome, _Complete):
            progress, _ = ctx.take_reports()
            result = outcome.result
            self._report(
                "complete",
                lambda: self._complete(ctx.id, ctx.lease_token, result, progress=progress or None),
            )
            return
        self._save_reports()
        fail = outcome
        self._report(
            "fail",
            lambda: client.fail(
                ctx.id,
                ctx.lease_token,
                code=fail.code,
                message=fail.message,
                retryable=fail.retryable,
                retry_in_s=fail.retry_in_s,
            ),
        )

    def _save_reports(self) -> None:
        if self.ctx.has_reports():
            self._retry(self._heartbeat.send)

    def _report(self, what: str, call: Callable[[], Any]) -> None:
        if self.ctx.lease_lost.is_set():
            log.warning("job %s: not sending %s, the lease was lost", self.ctx.id, what)
            return
        try:
            self._retry(call)
        except (StaleLease, NotFound) as e:
            log.warning("job %s: %s came too late (%s)", self.ctx.id, what, e.code)
        except CorralError as e:
            log.error("job %s: %s failed: %s", self.ctx.id, what, e)

    def _retry(self, call: Callable[[], Any]) -> None:
        """Calls until it is not Unavailable, or until the lease would have run out."""
        backoff = Backoff()
        while True:
            try:
                call()
                return
            except Unavailable as e:
                delay = backoff.next_delay(e.retry_after)
                if time.monotonic() + delay >= self.ctx.lease_deadline:
                    raise
                time.sleep(delay)
