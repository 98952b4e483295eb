"""The event-stream parser, fed the way a socket delivers: in pieces cut anywhere."""

from corral.sse import Message, SseParser

STREAM = (
    b"id: 7\n\n"
    b": keep-alive\n\n"
    b"id: 8\r\nevent: started\r\ndata: {\"kind\":\"started\",\r\ndata: \"note\":\"\xc3\xa9\"}\r\n\r\n"
    b"event: gap\rdata: {}\r\r"
)
EXPECTED = [
    Message(event="message", data=None, id="7"),
    Message(event="started", data='{"kind":"started",\n"note":"\u00e9"}', id="8"),
    Message(event="gap", data="{}", id=None),
]


def test_whole_stream() -> None:
    assert SseParser().feed(STREAM) == EXPECTED


def test_every_split_point_gives_the_same_messages() -> None:
    for cut in range(len(STREAM) + 1):
        parser = SseParser()
        assert parser.feed(STREAM[:cut]) + parser.feed(STREAM[cut:]) == EXPECTED, cut


def test_byte_by_byte() -> None:
    parser = SseParser()
    messages = []
    for i in range(len(STREAM)):
        messages += parser.feed(STREAM[i : i + 1])
    assert messages == EXPECTED


def test_an_unfinished_message_is_not_dispatched() -> None:
    assert SseParser().feed(b"event: completed\ndata: {}\n") == []
