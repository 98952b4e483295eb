// One HTTP exchange with the server: the URL, the bearer token, JSON in and out, and every
// failure turned into a CorralError. Only the platform's fetch is used, so the same code runs in
// Node 18+ and in browsers.

import { CorralError, errorFor, UnavailableError } from "./errors.js";
import { linkSignals } from "./timing.js";

export interface TransportOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:7878`; `""` means the page's own origin. */
  url: string;
  /** Sent as `Authorization: Bearer TOKEN` on every request. */
  token?: string | undefined;
  /** Headers sent on every request (a `traceparent`, a proxy's key). */
  headers?: Record<string, string> | undefined;
  /** A fetch to use instead of the global one (a test double, a fetch with a proxy agent). */
  fetch?: typeof fetch | undefined;
  /**
   * How long a request may take before it fails with `network_error` (default 30000 ms), on
   * top of the time a long-poll asks the server to wait; event streams have their own idle limit.
   */
  timeoutMs?: number | undefined;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query | undefined;
  body?: unknown;
  headers?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
  /** How long the server may hold the request on purpose (a long-poll's wait), in ms. */
  waitMs?: number | undefined;
}

export class Transport {
  readonly base: string;
  private readonly token: string | undefined;
  private readonly headers: Record<string, string>;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;

  constructor(options: TransportOptions) {
    this.base = options.url.replace(/\/+$/, "");
    this.token = options.token;
    this.headers = options.headers ?? {};
    // Bound, because a browser's fetch throws "Illegal invocation" when called as a method.
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  url(path: string, query?: Query): string {
    let url = this.base + path;
    if (query) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) {
        if (value !== undefined) params.append(key, String(value));
      }
      const text = params.toString();
      if (text) url += "?" + text;
    }
    return url;
  }

  /** Sends a request and returns the reply once its status is 2xx; rejects with a CorralError. */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { Accept: "application/json", ...this.headers, ...options.headers };
    if (this.token) headers["Authorization"] = `Bearer ${this.token}`;
    const init: RequestInit = { method, headers };
    if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.body);
    }
    if (options.signal) init.signal = options.signal;
    let reply: Response;
    try {
      reply = await this.fetchImpl(this.url(path, options.query), init);
    } catch (e) {
      // An abort is the caller's own doing: it stays the platform's AbortError.
      if (options.signal?.aborted) throw options.signal.reason ?? e;
      throw errorFor({ status: 0, code: "network_error", message: `${method} ${path}: ${describe(e)}`, cause: e });
    }
    if (!reply.ok) throw await errorFromReply(reply, method, path);
    return reply;
  }

  /**
   * Sends a request and parses its JSON reply (undefined for an empty one, such as a 204),
   * within the request timeout.
   */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const limitMs = (options.waitMs ?? 0) + this.timeoutMs;
    const limit = linkSignals(
      [options.signal],
      limitMs,
      () => new UnavailableError({ status: 0, code: "network_error", message: `${method} ${path}: no reply within ${limitMs} ms` }),
    );
    try {
      const reply = await this.send(method, path, { ...options, signal: limit.signal });
      let text: string;
      try {
        text = await reply.text();
      } catch (e) {
        if (limit.signal.aborted) throw limit.signal.reason ?? e;
        throw errorFor({ status: 0, code: "network_error", message: `${method} ${path}: ${describe(e)}`, cause: e });
      }
      if (!text) return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch (e) {
        throw new CorralError({
          status: reply.status,
          code: "unexpected_response",
          message: `${method} ${path}: the reply is not JSON: ${text.slice(0, 200)}`,
          requestId: reply.headers.get("X-Request-Id") ?? undefined,
          cause: e,
        });
      }
    } finally {
      limit.dispose();
    }
  }
}

/** The error a non-2xx reply stands for, from its `{"error": {"code", "message"}}` body. */
export async function errorFromReply(reply: Response, method: string, path: string): Promise<CorralError> {
  const requestId = reply.headers.get("X-Request-Id") ?? undefined;
  const retryAfterMs = parseRetryAfter(reply.headers.get("Retry-After"));
  let text = "";
  try {
    text = await reply.text();
  } catch {
    // The body is lost; the status still says what happened.
  }
  let code = "unexpected_response";
  let message = `${method} ${path}: HTTP ${reply.status}${text ? `: ${text.slice(0, 200)}` : ""}`;
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (body.error && typeof body.error.code === "string") {
      code = body.error.code;
      message = typeof body.error.message === "string" ? body.error.message : code;
    }
  } catch {
    // Not the server's error body (a proxy's page): keep the status and the text.
  }
  return errorFor({ status: reply.status, code, message, requestId, retryAfterMs });
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    return cause instanceof Error ? `${e.message} (${cause.message})` : e.message;
  }
  return String(e);
}
