"""The README's examples, run as written against a real server.

The worker example runs as its own process and is stopped with SIGTERM, as a deployment would.
The web back end is imported with a stand-in for the `fastapi` module whose decorators leave the
route functions as they are, so the test calls them directly: what is checked is their use of
corral, not FastAPI.
"""

import importlib.util
import os
import re
import signal
import subprocess
import sys
import types
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

import corral
from support import Server

PACKAGE = Path(__file__).resolve().parent.parent
EXAMPLES = PACKAGE / "examples"


class HTTPException(Exception):
    def __init__(self, status_code: int, detail: Any = None) -> None:
        super().__init__(status_code, detail)
        self.status_code = status_code


class FastAPI:
    def _route(self, path: str, **options: Any) -> Callable[[Any], Any]:
        return lambda fn: fn

    get = post = _route


@pytest.fixture
def web_backend(server: Server, monkeypatch: pytest.MonkeyPatch) -> Any:
    fastapi = types.ModuleType("fastapi")
    setattr(fastapi, "FastAPI", FastAPI)
    setattr(fastapi, "HTTPException", HTTPException)
    monkeypatch.setitem(sys.modules, "fastapi", fastapi)
    monkeypatch.setenv("CORRAL_URL", server.url)
    spec = importlib.util.spec_from_file_location("web_backend", EXAMPLES / "web_backend.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module
    module.jobs.close()


@pytest.fixture
def worker_process(server: Server, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = dict(os.environ, CORRAL_URL=server.url, PYTHONPATH=str(PACKAGE / "src"))
    with open(tmp_path / "worker.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, str(EXAMPLES / "worker.py")], env=env, stdout=log,
            stderr=subprocess.STDOUT,
        )
        yield process
        if process.poll() is None:
            process.kill()
            process.wait()


def test_the_readme_shows_each_example_as_it_is() -> None:
    readme = (PACKAGE / "README.md").read_text()
    for example in ("worker.py", "web_backend.py"):
        assert (EXAMPLES / example).read_text() in readme, example


def test_the_web_back_end_and_the_worker_example_build_a_report(
    web_backend: Any, worker_process: subprocess.Popen[bytes], client: corral.Client
) -> None:
    started = web_backend.start_report(7)
    assert web_backend.start_report(7)["job_id"] == started["job_id"]  # the idempotency key

    status = web_backend.job_status(started["job_id"], wait=30)
    assert status["status"] == "completed"
    assert status["result"] == {"url": "/reports/7.pdf", "pages": 10}
    assert status["progress"]["percent"] == 100

    with pytest.raises(HTTPException) as ended:
        web_backend.cancel_job(started["job_id"])
    assert ended.value.status_code == 409
    with pytest.raises(HTTPException) as unknown:
        web_backend.job_status("job_nope")
    assert unknown.value.status_code == 404

    bad = client.enqueue("report.build", {"report": "seven"}, queue="reports", max_attempts=3)
    failed = client.wait_for_job(bad["id"], timeout=30)
    assert (failed["status"], failed["attempt"]) == ("failed", 1)
    assert failed["error"]["code"] == "bad_report"

    os.kill(worker_process.pid, signal.SIGTERM)
    assert worker_process.wait(timeout=60) == 0


def test_the_web_back_end_answers_with_the_state_so_far_when_the_wait_runs_out(
    web_backend: Any,
) -> None:
    started = web_backend.start_report(8)  # no worker runs: the job stays queued
    assert web_backend.job_status(started["job_id"], wait=0.2)["status"] == "queued"
    assert web_backend.cancel_job(started["job_id"]) == {"status": "cancelled",
                                                        "cancel_requested": False}


def test_the_readmes_client_snippets_run_in_order(
    server: Server, client: corral.Client, make_worker: Callable[..., corral.Worker]
) -> None:
    worker = make_worker(queues=["reports"])
    worker.handle("report.build", lambda ctx: {"url": f"/reports/{ctx.payload['report']}.pdf"})
    worker.start()
    blocks = re.findall(r"```python\n(.*?)```", (PACKAGE / "README.md").read_text(), re.S)
    examples = [(EXAMPLES / name).read_text() for name in ("worker.py", "web_backend.py")]
    snippets = [b for b in blocks if b not in examples and "worker.run()" not in b]
    assert len(snippets) == 5
    namespace: dict[str, Any] = {}
    for snippet in snippets:
        exec(snippet.replace("http://127.0.0.1:7878", server.url), namespace)
    assert namespace["done"]["result"] == {"url": "/reports/42.pdf"}
    assert namespace["event"].kind == "job"  # the job had ended: the stream is just the job
    # The dependencies and batches snippet: what its comments say it prints.
    assert (namespace["merge"]["status"], namespace["merge"]["parents_left"]) == ("waiting", 2)
    assert (namespace["counted"]["state"], namespace["counted"]["total"]) == ("active", 2)
    namespace["client"].close()
