// Requests to the API. Every reply or network failure is reported to connection.ts. Errors
// come back as exceptions a view can tell apart:
//   ApiError      the server answered with its error object ({"error": {code, message}})
//   NotAvailable  the endpoint does not exist on this server (404 "no route for ..."): an older
//                 server, so the view says "not available" instead of failing
//   Unreachable   no reply (the server is down or the network is)
import { reportLost, reportOk } from "../connection";
import { csrfToken, reportSignedOut } from "../session";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class NotAvailable extends Error {}
export class Unreachable extends Error {}

interface Options {
  method?: string;
  body?: unknown;
  // Statuses whose JSON body is the answer rather than an error (503 from /api/v1/health).
  accept?: number[];
  signal?: AbortSignal;
}

export async function api<T>(path: string, options: Options = {}): Promise<T> {
  let reply: Response;
  try {
    const init: RequestInit = { method: options.method ?? "GET", cache: "no-store" };
    if (options.signal) init.signal = options.signal;
    const headers: Record<string, string> = {};
    if (options.body !== undefined) {
      init.body = JSON.stringify(options.body);
      headers["Content-Type"] = "application/json";
    }
    const csrf = csrfToken();
    if (csrf !== undefined && init.method !== "GET") headers["X-CSRF-Token"] = csrf;
    init.headers = headers;
    reply = await fetch(path, init);
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    reportLost();
    throw new Unreachable("the server did not answer");
  }
  // A 502/504 from a proxy in front of a stopped server is a lost connection too.
  if (reply.status === 502 || reply.status === 504) {
    reportLost();
    throw new Unreachable(`the server is unreachable (HTTP ${reply.status})`);
  }
  reportOk();
  if (reply.status === 204) return undefined as T;
  const text = await reply.text();
  const body: unknown = text ? JSON.parse(text) : undefined;
  if (reply.ok || options.accept?.includes(reply.status)) return body as T;
  const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  const message = error?.message ?? `HTTP ${reply.status}`;
  if (reply.status === 401) reportSignedOut(message);
  if (reply.status === 404 && message.startsWith("no route for")) throw new NotAvailable(message);
  throw new ApiError(reply.status, error?.code ?? "unknown", message);
}

export function describeError(e: unknown): string {
  if (e instanceof ApiError) return `${e.message} (${e.code})`;
  if (e instanceof Error) return e.message;
  return String(e);
}
