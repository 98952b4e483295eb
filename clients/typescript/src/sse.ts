// A Server-Sent Events reader over a fetch body, as the HTML standard's "interpret an event
// stream" says (https://html.spec.whatwg.org/multipage/server-sent-events.html). EventSource is
// not used because it cannot send an Authorization header, and is not in Node 18.

export interface SseMessage {
  /** The `id:` field, when the message had one. */
  id: string | undefined;
  /** The `event:` field; "message" when absent. */
  event: string;
  /** The `data:` lines joined by newlines; undefined for a message without data (an id only). */
  data: string | undefined;
}

/**
 * Yields each message of the stream as it completes; ends when the body does. `onBytes` hears of
 * every chunk read, comments (the server's keep-alives) included, so that a caller can tell a
 * quiet stream from a dead one.
 */
export async function* readSse(body: ReadableStream<Uint8Array>, onBytes?: () => void): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let id: string | undefined;
  let event = "";
  let data: string[] = [];
  let fields = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      onBytes?.();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let start = 0;
      for (;;) {
        const end = lineEnd(buffer, start, done);
        if (end === undefined) break;
        const line = buffer.slice(start, end.at);
        start = end.next;
        if (line === "") {
          if (fields > 0) yield { id, event: event || "message", data: data.length ? data.join("\n") : undefined };
          id = undefined;
          event = "";
          data = [];
          fields = 0;
          continue;
        }
        if (line.startsWith(":")) continue; // a comment: the server's keep-alive
        const colon = line.indexOf(":");
        const name = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? "" : line.slice(colon + 1);
        if (value.startsWith(" ")) value = value.slice(1);
        if (name === "data") data.push(value);
        else if (name === "event") event = value;
        else if (name === "id" && !value.includes("\0")) id = value;
        else continue; // `retry:` and unknown fields: the reconnect policy is the caller's
        fields += 1;
      }
      buffer = buffer.slice(start);
      if (done) return;
    }
  } finally {
    // Ends the request too when the consumer stops early.
    reader.cancel().catch(() => {});
  }
}

// The end of the line that begins at `start`: CRLF, LF or CR. A CR at the very end of the
// buffer may be the first half of a CRLF, so it waits for more input unless the stream is done.
function lineEnd(buffer: string, start: number, done: boolean): { at: number; next: number } | undefined {
  for (let i = start; i < buffer.length; i++) {
    const c = buffer.charCodeAt(i);
    if (c === 10) return { at: i, next: i + 1 };
    if (c === 13) {
      if (i + 1 < buffer.length) return { at: i, next: buffer.charCodeAt(i + 1) === 10 ? i + 2 : i + 1 };
      return done ? { at: i, next: i + 1 } : undefined;
    }
  }
  return undefined;
}
