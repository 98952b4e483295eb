from pathlib import Path
from typing import Callable, Iterator

import pytest

import corral
from support import Server


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = Server(tmp_path)
    yield s
    assert s.stop() == 0, s.log()


@pytest.fixture
def client(server: Server) -> Iterator[corral.Client]:
    with corral.Client(server.url) as c:
        yield c


@pytest.fixture
def make_worker(client: corral.Client) -> Iterator[Callable[..., corral.Worker]]:
    """Workers made here are stopped (running jobs released at once) after the test."""
    workers: list[corral.Worker] = []

    def make(**options: object) -> corral.Worker:
        options.setdefault("wait_s", 1)
        worker = corral.Worker(client, **options)  # type: ignore[arg-type]
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        worker.stop(grace=0)
