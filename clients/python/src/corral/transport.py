"""HTTP/1.1 to one Corral server over kept-alive connections (http.client, no dependency).

A worker makes calls from several threads at once (a fetch long-polls while heartbeats go
out), so one shared connection would queue heartbeats behind a 30-second poll. The
transport keeps a small pool instead: a request takes an idle connection or opens one, and
gives it back when the reply has been read. Event streams take a connection of their own and
never give it back.

A kept-alive connection the server has closed since (``idle_timeout_s``) is found before use
when it has become readable, and a request that fails on a reused connection before any byte
of a reply is sent once more on a fresh one: the server closes only idle connections, so it
never saw that request.
"""

import http.client
import json
import select
import socket
import threading
import urllib.parse
from typing import Any, Mapping

from .errors import CorralError, TransportError, error_from_reply

_MAX_IDLE = 8


class Reply:
    """A complete reply: status, headers and the decoded JSON body (None when empty)."""

    def __init__(self, status: int, headers: http.client.HTTPMessage, body: Any) -> None:
        self.status = status
        self.headers = headers
        self.body = body


class Stream:
    """A streaming reply on a connection of its own; ``sock`` sets its read timeout."""

    def __init__(
        self, conn: http.client.HTTPConnection, sock: socket.socket, response: http.client.HTTPResponse
    ) -> None:
        self.sock = sock
        self.response = response
        self._conn = conn

    def close(self) -> None:
        self.response.close()
        self._conn.close()
        self.sock.close()


class Transport:
    """Thread-safe: any thread may call ``request`` and ``open_stream`` at any time."""

    def __init__(self, url: str, token: str | None, timeout: float) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"url must be http://HOST[:PORT] or https://HOST[:PORT], not {url!r}")
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._prefix = parts.path.rstrip("/")
        self._headers = {"Accept": "application/json"}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        self.timeout = timeout
        self._idle: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()  # guards _idle

    def request(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None = None,
        *,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> Reply:
        """Sends one request and returns its 2xx reply; raises the CorralError of any other."""
        target = self._target(path, query)
        data = None if body is None else json.dumps(body, separators=(",", ":")).encode()
        all_headers = dict(self._headers, **(headers or {}))
        if data is not None:
            all_headers["Content-Type"] = "application/json"
        read_timeout = self.timeout if timeout is None else timeout
        for attempt in range(2):
            conn, reused = self._take(read_timeout)
            try:
                conn.request(method, target, body=data, headers=all_headers)
                response = conn.getresponse()
                raw = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as e:
                conn.close()
                if reused and attempt == 0:
                    continue
                raise TransportError(f"{method} {target}: {e!r}") from e
            except (OSError, http.client.HTTPException) as e:
                conn.close()
                raise TransportError(f"{method} {target}: {e!r}") from e
            if response.will_close:
                conn.close()
            else:
                self._give_back(conn)
            return self._reply(response, raw)
        raise AssertionError("unreachable")

    def open_stream(self, path: str, *, headers: Mapping[str, str], timeout: float) -> Stream:
        """Opens a streaming GET on a connection of its own; the caller closes the stream."""
        conn = self._connect(timeout)
        target = self._target(path, None)
        try:
            conn.request("GET", target, headers=dict(self._headers, **headers))
            # Held apart from conn, which lets go of its socket when the reply will close.
            sock = conn.sock
            response = conn.getresponse()
        except (OSError, http.client.HTTPException) as e:
            conn.close()
            raise TransportError(f"GET {target}: {e!r}") from e
        if response.status != 200:
            raw = response.read()
            conn.close()
            self._reply(response, raw)
            raise TransportError(f"GET {target}: status {response.status}")
        assert sock is not None
        return Stream(conn, sock, response)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def _reply(self, response: http.client.HTTPResponse, raw: bytes) -> Reply:
        if 200 <= response.status < 300:
            try:
                body = json.loads(raw) if raw.strip() else None
            except ValueError as e:  # a proxy's page, say: not the server's JSON
                raise CorralError(response.status, "invalid_reply", f"not JSON: {e}") from e
            return Reply(response.status, response.headers, body)
        raise error_from_reply(
            response.status,
            raw,
            request_id=response.getheader("X-Request-Id"),
            retry_after=response.getheader("Retry-After"),
        )

    def _target(self, path: str, query: Mapping[str, Any] | None) -> str:
        target = self._prefix + path
        if query:
            pairs = [(k, _query_value(v)) for k, v in query.items() if v is not None]
            if pairs:
                target += "?" + urllib.parse.urlencode(pairs)
        return target

    def _take(self, timeout: float) -> tuple[http.client.HTTPConnection, bool]:
        while True:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None:
                return self._connect(timeout), False
            if conn.sock is None or _dropped(conn.sock):
                conn.close()
                continue
            conn.sock.settimeout(timeout)
            conn.timeout = timeout
            return conn, True

    def _give_back(self, conn: http.client.HTTPConnection) -> None:
        with self._lock:
            if len(self._idle) < _MAX_IDLE:
                self._idle.append(conn)
                return
        conn.close()

    def _connect(self, timeout: float) -> http.client.HTTPConnection:
        if self._https:
            return http.client.HTTPSConnection(self._host, self._port, timeout=timeout)
        return http.client.HTTPConnection(self._host, self._port, timeout=timeout)


def _dropped(sock: socket.socket) -> bool:
    """An idle kept-alive connection that is readable has been closed by the server."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)
