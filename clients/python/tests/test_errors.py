"""Refusals arrive as the CorralError subclass of the server's stable code."""

import socket
from pathlib import Path

import pytest

import corral
from support import Server


def test_an_unknown_job_is_not_found(client: corral.Client) -> None:
    with pytest.raises(corral.NotFound) as caught:
        client.get_job("job_nope")
    assert (caught.value.status, caught.value.code) == (404, "not_found")
    assert "job_nope" in caught.value.message


def test_a_bad_field_is_an_invalid_argument_naming_it(client: corral.Client) -> None:
    with pytest.raises(corral.InvalidArgument) as caught:
        client.enqueue("t", priorty=5)
    assert (caught.value.status, caught.value.code) == (400, "invalid_argument")
    assert "priorty" in caught.value.message


def test_cancelling_an_ended_job_is_a_wrong_state_conflict(client: corral.Client) -> None:
    job = client.enqueue("t")
    client.cancel(job["id"])
    with pytest.raises(corral.WrongState) as caught:
        client.cancel(job["id"])
    assert isinstance(caught.value, corral.Conflict)
    assert (caught.value.status, caught.value.code) == (409, "wrong_state")


def test_a_report_with_a_token_not_the_live_one_is_a_stale_lease(client: corral.Client) -> None:
    job = client.enqueue("t")
    client.fetch(["default"])
    with pytest.raises(corral.StaleLease) as caught:
        client.heartbeat(job["id"], "0" * 32)
    assert (caught.value.status, caught.value.code) == (409, "stale_lease")


def test_every_refusal_carries_the_request_id(client: corral.Client) -> None:
    with pytest.raises(corral.CorralError) as caught:
        client.retry("job_nope")
    assert caught.value.request_id


def test_a_server_that_does_not_answer_is_a_transport_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound but not listening: connections are refused
        with corral.Client(f"http://127.0.0.1:{port}") as client:
            with pytest.raises(corral.TransportError) as caught:
                client.get_job("job_x")
    assert isinstance(caught.value, corral.Unavailable)
    assert caught.value.code == "transport_error"


def test_a_url_that_is_not_http_is_refused_at_once() -> None:
    with pytest.raises(ValueError):
        corral.Client("ftp://127.0.0.1")


def test_a_key_over_its_rate_limit_is_rate_limited_and_retried_as_unavailable(tmp_path: Path) -> None:
    key = "python-admin-key-0123456789abcdef"
    server = Server(tmp_path, "--admin-key", key, "--key-rate-limit-per-s", "1", "--key-rate-limit-burst", "2")
    try:
        with corral.Client(server.url, key) as client:
            refused = None
            for _ in range(10):
                try:
                    client.get_job("job_x")
                except corral.RateLimited as e:
                    refused = e
                    break
                except corral.NotFound:
                    continue
        assert refused is not None, "the key's burst of 2 ran out within 10 calls"
        assert isinstance(refused, corral.Unavailable), "callers retry it as they retry a 503"
        assert (refused.status, refused.code) == (429, "rate_limited")
        assert refused.retry_after is not None and refused.retry_after >= 1
    finally:
        assert server.stop() == 0, server.log()
