// The event-stream reader on its own, fed byte streams cut at awkward places: the parts of the
// HTML standard's format that a proxy or another server may produce even if Corral does not.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { readSse, type SseMessage } from "#internal/sse";

// A stream that delivers `text` in the given pieces.
function streamOf(...pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
}

async function read(...pieces: string[]): Promise<SseMessage[]> {
  const messages: SseMessage[] = [];
  for await (const m of readSse(streamOf(...pieces))) messages.push(m);
  return messages;
}

describe("readSse", () => {
  test("reads id, event and data, and a message with an id only", async () => {
    assert.deepEqual(await read("id: 7\n\nid: 8\nevent: started\ndata: {\"a\":1}\n\n"), [
      { id: "7", event: "message", data: undefined },
      { id: "8", event: "started", data: '{"a":1}' },
    ]);
  });

  test("joins data lines, skips comments and unknown fields, and keeps a value's inner colons", async () => {
    assert.deepEqual(await read(": keep-alive\n\nretry: 5\ndata: a: b\ndata:c\nfoo: x\n\n"), [
      { id: undefined, event: "message", data: "a: b\nc" },
    ]);
  });

  test("accepts CRLF and CR line ends, even with a CRLF split between two chunks", async () => {
    assert.deepEqual(await read("event: x\r", "\ndata: 1\r\n\r", "\nevent: y\rdata: 2\r\r"), [
      { id: undefined, event: "x", data: "1" },
      { id: undefined, event: "y", data: "2" },
    ]);
  });

  test("decodes a character split between two chunks, and drops a message the stream cut short", async () => {
    const bytes = new TextEncoder().encode("data: é\n\ndata: lost");
    const split = bytes.indexOf(0xa9); // the second byte of é
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, split));
        controller.enqueue(bytes.slice(split));
        controller.close();
      },
    });
    const messages: SseMessage[] = [];
    for await (const m of readSse(stream)) messages.push(m);
    assert.deepEqual(messages, [{ id: undefined, event: "message", data: "é" }]);
  });
});
