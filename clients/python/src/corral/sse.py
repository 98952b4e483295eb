"""An incremental Server-Sent Events parser, as the HTML standard's "event stream" section reads it.

Fed bytes as they arrive (chunk boundaries anywhere, even inside a UTF-8 sequence or a CR LF),
it returns the messages completed so far. A message with no data but an ``id:`` (Corral's first
message on a stream) is returned too, with ``data`` None, so the reader can keep the id for a
reconnect; comments (``: keep-alive``) are dropped. A message's ``id`` is its own ``id:`` field
or None: the reader keeps the last one, as the standard's "last event ID buffer" does.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    event: str
    data: str | None
    id: str | None


class SseParser:
    """Not thread-safe: one parser per stream."""

    def __init__(self) -> None:
        self._buffer = b""
        self._event = ""
        self._data: list[str] = []
        self._id: str | None = None
        self._skip_lf = False

    def feed(self, chunk: bytes) -> list[Message]:
        if chunk and self._skip_lf:
            self._skip_lf = False
            if chunk.startswith(b"\n"):
                chunk = chunk[1:]
        self._buffer += chunk
        messages: list[Message] = []
        while True:
            line, found = self._next_line()
            if not found:
                return messages
            message = self._line(line)
            if message is not None:
                messages.append(message)

    def _next_line(self) -> tuple[str, bool]:
        cr, lf = self._buffer.find(b"\r"), self._buffer.find(b"\n")
        ends = [i for i in (cr, lf) if i >= 0]
        if not ends:
            return "", False
        end = min(ends)
        line = self._buffer[:end]
        width = 1
        if self._buffer[end : end + 1] == b"\r":
            if end + 1 == len(self._buffer):
                self._skip_lf = True  # a CR LF split between two chunks
            elif self._buffer[end + 1 : end + 2] == b"\n":
                width = 2
        self._buffer = self._buffer[end + width :]
        return line.decode("utf-8", "replace"), True

    def _line(self, line: str) -> Message | None:
        if line == "":
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        elif name == "id" and "\0" not in value:
            self._id = value
        return None

    def _dispatch(self) -> Message | None:
        data = "\n".join(self._data) if self._data else None
        message = None
        if data is not None or self._id is not None:
            message = Message(event=self._event or "message", data=data, id=self._id)
        self._event, self._data, self._id = "", [], None
        return message
