"""The errors a Corral call can raise.

Every error reply of the server has the body ``{"error": {"code", "message"}}`` and the
``code`` is the stable part (docs/api.md, "Errors"). ``error_from_reply`` turns a reply into
the subclass for its code, falling back on the HTTP status for a code this package does not
know yet, so a newer server's codes still land in the right family (``except Conflict``
catches them).

``JobError`` and ``PermanentError`` are the other direction: a worker's handler raises them
to choose how its attempt fails.
"""

import json
from typing import Any


class CorralError(Exception):
    """A request the server refused, or one that did not reach it (``TransportError``)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.retry_after = retry_after


class InvalidArgument(CorralError):
    """400: a field or parameter is missing, of the wrong type, out of range or unknown."""


class NotFound(CorralError):
    """404: no job with that id (or no route for the path)."""


class MethodNotAllowed(CorralError):
    """405: the path exists but not with this method."""


class Conflict(CorralError):
    """409: the job's state or lease does not allow the operation."""


class WrongState(Conflict):
    """409 ``wrong_state``: e.g. cancelling a job that has ended, retrying one that has not."""


class StaleLease(Conflict):
    """409 ``stale_lease``: the lease is no longer this worker's; the report changed nothing."""


class RunTimeExceeded(StaleLease):
    """409 ``run_time_exceeded``: the attempt ran past ``max_run_s`` and was ended.

    A subclass of ``StaleLease`` because, to a worker, both mean the same thing: stop, the
    job is not yours any more.
    """


class PayloadTooLarge(CorralError):
    """413: the body is over the server's ``max_body_bytes``."""


class UnsupportedMediaType(CorralError):
    """415: a body without ``Content-Type: application/json``."""


class Internal(CorralError):
    """500: a bug in the server; the message carries the request id to find it in the log."""


class Unavailable(CorralError):
    """503: try again later (``retry_after`` seconds, when the server said)."""


class RateLimited(Unavailable):
    """429 ``rate_limited``: this API key sent more requests than its rate limit allows.

    Nothing was done. A subclass of ``Unavailable`` because callers retry both the same way:
    after ``retry_after`` seconds.
    """


class TransportError(Unavailable):
    """The request did not get an HTTP reply: connection refused, reset, or timed out.

    A subclass of ``Unavailable`` because callers retry both the same way. ``status`` is 0.
    """

    def __init__(self, message: str) -> None:
        super().__init__(0, "transport_error", message)


_BY_CODE: dict[str, type[CorralError]] = {
    "invalid_argument": InvalidArgument,
    "invalid_json": InvalidArgument,
    "not_found": NotFound,
    "method_not_allowed": MethodNotAllowed,
    "wrong_state": WrongState,
    "stale_lease": StaleLease,
    "run_time_exceeded": RunTimeExceeded,
    "payload_too_large": PayloadTooLarge,
    "unsupported_media_type": UnsupportedMediaType,
    "internal": Internal,
    "rate_limited": RateLimited,
}

_BY_STATUS: dict[int, type[CorralError]] = {
    400: InvalidArgument,
    404: NotFound,
    405: MethodNotAllowed,
    409: Conflict,
    413: PayloadTooLarge,
    415: UnsupportedMediaType,
    429: RateLimited,
    431: InvalidArgument,
    500: Internal,
    502: Unavailable,
    503: Unavailable,
    504: Unavailable,
}


def error_from_reply(
    status: int, body: bytes, *, request_id: str | None = None, retry_after: str | None = None
) -> CorralError:
    """The exception for an error reply; a body that is not Corral's error shape keeps its text."""
    code, message = "http_error", body.decode("utf-8", "replace")[:500]
    try:
        error: Any = json.loads(body)["error"]
        code, message = str(error["code"]), str(error["message"])
    except (ValueError, KeyError, TypeError):
        pass
    cls = _BY_CODE.get(code) or _BY_STATUS.get(status) or CorralError
    if cls is CorralError and status >= 500:
        cls = Unavailable
    return cls(
        status, code, message, request_id=request_id, retry_after=_seconds(retry_after)
    )


def _seconds(header: str | None) -> float | None:
    try:
        return float(header) if header is not None else None
    except ValueError:
        return None  # an HTTP date: Corral sends seconds, a proxy in between might not


class WaitTimeout(TimeoutError):
    """``wait_for_job`` or ``watch_job`` reached its deadline; ``job`` is the last state seen."""

    def __init__(self, message: str, job: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.job = job


class JobError(Exception):
    """Raised by a handler to fail its attempt with a chosen code, and optionally a retry delay.

    Any other exception fails the attempt too, retryably, with the exception's class name as
    the code.
    """

    retryable = True

    def __init__(
        self, message: str, *, code: str = "error", retry_in_s: float | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.retry_in_s = retry_in_s


class PermanentError(JobError):
    """Raised by a handler to fail the job for good: no further attempts."""

    retryable = False

    def __init__(self, message: str, *, code: str = "permanent") -> None:
        super().__init__(message, code=code)
