"""Corral's Python client: enqueue and follow jobs (Client), and run them (Worker).

Standard library only. See README.md for the calls, and docs/api.md of the server for the
JSON they exchange.
"""

from .client import TERMINAL_STATUSES, Client
from .context import UNSET, JobCancelled, JobContext
from .errors import (
    Conflict,
    CorralError,
    Internal,
    InvalidArgument,
    JobError,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    PermanentError,
    RateLimited,
    RunTimeExceeded,
    StaleLease,
    TransportError,
    Unavailable,
    UnsupportedMediaType,
    WaitTimeout,
    WrongState,
)
from .watch import Event
from .worker import Worker

__all__ = [
    "TERMINAL_STATUSES",
    "UNSET",
    "Client",
    "Conflict",
    "CorralError",
    "Event",
    "Internal",
    "InvalidArgument",
    "JobCancelled",
    "JobContext",
    "JobError",
    "MethodNotAllowed",
    "NotFound",
    "PayloadTooLarge",
    "PermanentError",
    "RateLimited",
    "RunTimeExceeded",
    "StaleLease",
    "TransportError",
    "Unavailable",
    "UnsupportedMediaType",
    "WaitTimeout",
    "Worker",
    "WrongState",
]
