"""A real `corral server` for the tests, and waiting on conditions with a deadline."""

import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")

_LISTENING = re.compile(rb"listening on 127\.0\.0\.1:(\d+)")


def wait_until(condition: Callable[[], T], timeout: float = 20.0, what: str = "condition") -> T:
    """Polls ``condition`` until it returns something true, failing the test at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


class Server:
    """`corral server` on 127.0.0.1, a port of its own choosing and a fresh SQLite file."""

    def __init__(self, directory: Path, *args: str) -> None:
        binary = os.environ.get("CORRAL_BIN")
        if not binary:
            raise RuntimeError("CORRAL_BIN must name the corral binary (run_tests.sh sets it)")
        self._command = [binary, "server", "--db", f"sqlite:{directory / 'corral.db'}", *args]
        self.log_path = directory / "server.log"
        self._start("127.0.0.1:0")

    def restart(self) -> None:
        """Stops the server and starts it again on the same port and database."""
        assert self.stop() == 0, self.log()
        self._start(self.url.removeprefix("http://"))

    def _start(self, listen: str) -> None:
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [*self._command, "--listen", listen], stdout=self._log, stderr=subprocess.STDOUT
        )
        port = wait_until(self._port, what="the server's listening line")
        self.url = f"http://127.0.0.1:{port}"
        wait_until(self._ready, what="/readyz")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> int:
        """SIGTERM to its PID; returns the exit status."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
        try:
            return self.process.wait(timeout=30)
        finally:
            self._log.close()

    def _port(self) -> str | None:
        if self.process.poll() is not None:
            raise AssertionError(f"the server exited with {self.process.returncode}:\n{self.log()}")
        match = _LISTENING.search(self.log_path.read_bytes())
        return match.group(1).decode() if match else None

    def _ready(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/readyz", timeout=5) as reply:
                return bool(reply.status == 200)
        except (urllib.error.URLError, ConnectionError):
            return False
