"""The real `corral server` for the boto3 and AWS CLI tests: 127.0.0.1, port 0 (read from its
"listening on" line), a temporary SQLite database, stopped by PID with a clean exit checked.
CORRAL_BINARY names the binary under test (tests/CMakeLists.txt sets it). With
CORRAL_TEST_BACKEND=postgres the server gets a fresh database of the PostgreSQL that
CORRAL_TEST_PG_URL names, dropped afterwards, as the JavaScript clients' support.mjs does."""
import os
import re
import secrets
import subprocess
import tempfile
import threading
import time
import urllib.parse

import boto3
import pytest


def psql(sql: str) -> None:
    out = subprocess.run(["psql", os.environ["CORRAL_TEST_PG_URL"], "-v", "ON_ERROR_STOP=1", "-qc", sql],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, f"psql {sql}: {out.stderr}"


class Corral:
    def __init__(self, directory: str, *args: str) -> None:
        self.pg_name = None
        self.proc = subprocess.Popen(
            [os.environ["CORRAL_BINARY"], "server", "--listen", "127.0.0.1:0", "--db", self.database(directory), *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.log: list[str] = []
        found = threading.Event()
        self.port = 0

        def read() -> None:
            assert self.proc.stdout is not None
            for line in self.proc.stdout:
                self.log.append(line)
                m = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
                if m and not found.is_set():
                    self.port = int(m.group(1))
                    found.set()

        threading.Thread(target=read, daemon=True).start()
        if not found.wait(10):
            self.proc.kill()
            raise RuntimeError("corral did not listen in time:\n" + "".join(self.log))
        self.url = f"http://127.0.0.1:{self.port}"

    def database(self, directory: str) -> str:
        if os.environ.get("CORRAL_TEST_BACKEND") != "postgres":
            return f"sqlite:{directory}/corral.db"
        assert os.environ.get("CORRAL_TEST_PG_URL"), "CORRAL_TEST_PG_URL is not set: run the tests with scripts/test.sh"
        self.pg_name = f"corral_sqs_py_{secrets.token_hex(6)}"
        psql(f"CREATE DATABASE {self.pg_name}")
        return urllib.parse.urlparse(os.environ["CORRAL_TEST_PG_URL"])._replace(path=f"/{self.pg_name}").geturl()

    def stop(self) -> int:
        self.proc.terminate()
        code = self.proc.wait(30)
        if self.pg_name:
            psql(f"DROP DATABASE {self.pg_name} WITH (FORCE)")
        return code


@pytest.fixture(scope="session")
def corral():
    with tempfile.TemporaryDirectory(prefix="corral-sqs-py-") as directory:
        server = Corral(directory)
        try:
            yield server
        finally:
            assert server.stop() == 0, "a clean shutdown"


@pytest.fixture(scope="session")
def sqs(corral):
    return boto3.client("sqs", endpoint_url=corral.url, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test")


def wait_until(check, what: str, seconds: float = 10):
    """check()'s first truthy value; fails after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)
