"""Completions that are ready together go together.

While one thread's completion is in flight, the completions other threads hand in wait, and
the thread sending sends them next, all in one ``POST /api/v1/complete`` (one commit, one fsync
on the server), so a worker running several jobs at once gets the speed of batched reports
without its handlers knowing. A completion alone goes to ``POST /jobs/{id}/complete`` as it
always did, at once: none waits for company.

Each completion is answered on its own: a stale lease raises only in that job's thread. A batch
the server refuses whole (a result nested as deeply as ``json_max_depth`` allows is too deep
inside the batch's two extra levels; a body over ``max_body_bytes``) is sent again one
completion per request. A transient failure of the call raises ``Unavailable`` in every thread
whose completion it carried, and each resends its own, as it would a single one.
"""

import json
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Mapping

from .client import Client
from .errors import CorralError, error_from_reply

# The server takes up to max_batch_jobs (1000 by default) per call.
_MAX_PER_CALL = 1000


@dataclass
class _Pending:
    item: dict[str, Any]
    answer: "Future[None]" = field(default_factory=Future)


class CompletionBatcher:
    def __init__(self, client: Client) -> None:
        self._client = client
        self._lock = threading.Lock()
        self._queued: list[_Pending] = []
        self._sending = False

    def complete(
        self, id: str, lease_token: str, result: Any = None, *, progress: Mapping[str, Any] | None = None
    ) -> None:
        """Completes the job, in a batch with others when some are ready; raises its own error."""
        item: dict[str, Any] = {"id": id, "lease_token": lease_token, "result": result}
        if progress:
            item["progress"] = dict(progress)
        pending = _Pending(item)
        with self._lock:
            self._queued.append(pending)
            send_here = not self._sending
            self._sending = True
        if send_here:
            self._send_all()
        pending.answer.result()

    def _send_all(self) -> None:
        while True:
            with self._lock:
                batch = self._queued[:_MAX_PER_CALL]
                del self._queued[:_MAX_PER_CALL]
                if not batch:
                    self._sending = False
                    return
            self._send(batch)

    def _send(self, batch: list[_Pending]) -> None:
        if len(batch) > 1:
            try:
                answers = self._client.complete_batch([p.item for p in batch])
            except Exception as e:
                if not (isinstance(e, CorralError) and 400 <= e.status < 500):
                    for p in batch:
                        p.answer.set_exception(e)
                    return
            else:
                for i, p in enumerate(batch):
                    answer = answers[i] if i < len(answers) else {}
                    if "status" in answer:
                        p.answer.set_result(None)
                    else:
                        error = answer.get("error") or {"code": "unexpected_response", "message": "no answer"}
                        p.answer.set_exception(error_from_reply(200, json.dumps({"error": error}).encode()))
                return
        for p in batch:
            try:
                item = dict(p.item)
                self._client.complete(
                    item.pop("id"), item.pop("lease_token"), item.pop("result"), progress=item.get("progress")
                )
                p.answer.set_result(None)
            except Exception as e:
                p.answer.set_exception(e)
