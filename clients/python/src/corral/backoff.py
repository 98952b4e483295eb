"""Delays between retries of a failing call: exponential, capped, with full jitter.

Full jitter (a uniform draw between 0 and the capped exponential) spreads the retries of many
clients that failed together, e.g. every worker of a server that restarted, so they do not
come back in step. A server's ``Retry-After`` is a floor.
"""

import random
from typing import Callable


class Backoff:
    """Counts consecutive failures; ``reset`` after a success. Not thread-safe."""

    def __init__(
        self,
        initial_s: float = 0.2,
        max_s: float = 10.0,
        multiplier: float = 2.0,
        unit_random: Callable[[], float] = random.random,
    ) -> None:
        self.initial_s = initial_s
        self.max_s = max_s
        self.multiplier = multiplier
        self.failures = 0
        self._unit_random = unit_random

    def next_delay(self, retry_after: float | None = None) -> float:
        """Records a failure and returns how long to wait before the next try."""
        self.failures += 1
        ceiling = min(self.initial_s * self.multiplier ** (self.failures - 1), self.max_s)
        delay = ceiling * self._unit_random()
        return max(delay, retry_after or 0.0)

    def reset(self) -> None:
        self.failures = 0
