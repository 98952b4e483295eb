// Who the dashboard acts as. On a server with API keys the dashboard signs in with a key
// (POST /api/v1/session); the server answers with an HttpOnly cookie, which no script here can
// read, and a CSRF token, which every change must carry in X-CSRF-Token (api/client.ts). A 401
// from any request means the session ended (expired, or its key revoked): the sign-in form shows.
//
// What the session may change decides which actions the views offer: a viewer sees no action at
// all, a producer may cancel and retry, an admin scoped to an owner may not pause queues. The
// server checks every change itself; hiding what it would refuse keeps the page honest.

type Listener = () => void;

export type Role = "admin" | "producer" | "viewer";

export interface SessionInfo {
  keys_required: true;
  key_id: string;
  key_name: string;
  role: Role;
  owner: string | null;
  queues: string[];
  expires_at: string;
  csrf_token: string;
}

export type SessionState =
  | { kind: "loading" }
  | { kind: "open" } // a server without keys: nothing to sign in to
  | { kind: "signed-out"; reason?: string }
  | { kind: "signed-in"; session: SessionInfo };

let state: SessionState = { kind: "loading" };
const listeners = new Set<Listener>();

function set(next: SessionState) {
  state = next;
  for (const l of listeners) l();
}

export function sessionState(): SessionState {
  return state;
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// The CSRF token changes must carry, when signed in.
export function csrfToken(): string | undefined {
  return state.kind === "signed-in" ? state.session.csrf_token : undefined;
}

// Called by api/client.ts on any 401: the session is gone, or a server that had no keys has one
// now (its first key was made while the page was open).
export function reportSignedOut(reason: string) {
  if (state.kind === "signed-out") return;
  set({ kind: "signed-out", reason });
}

async function errorMessage(reply: Response): Promise<string> {
  try {
    const body = (await reply.json()) as { error?: { message?: string } };
    return body.error?.message ?? `HTTP ${reply.status}`;
  } catch {
    return `HTTP ${reply.status}`;
  }
}

// Asks the server which session this browser has, if any.
export async function loadSession(): Promise<void> {
  let reply: Response;
  try {
    reply = await fetch("/api/v1/session", { cache: "no-store" });
  } catch {
    set({ kind: "signed-out", reason: "The server did not answer." });
    return;
  }
  if (reply.status === 401) return set({ kind: "signed-out" });
  if (!reply.ok) return set({ kind: "signed-out", reason: await errorMessage(reply) });
  const body = (await reply.json()) as SessionInfo | { keys_required: false };
  set(body.keys_required ? { kind: "signed-in", session: body } : { kind: "open" });
}

// Signs in with an API key. Resolves to an error message, or undefined once signed in.
export async function signIn(key: string): Promise<string | undefined> {
  let reply: Response;
  try {
    reply = await fetch("/api/v1/session", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ key }),
      cache: "no-store",
    });
  } catch {
    return "The server did not answer.";
  }
  if (!reply.ok) return errorMessage(reply);
  set({ kind: "signed-in", session: (await reply.json()) as SessionInfo });
  return undefined;
}

export async function signOut(): Promise<void> {
  try {
    await fetch("/api/v1/session", { method: "DELETE", cache: "no-store" });
  } finally {
    set({ kind: "signed-out" });
  }
}

export type Action = "cancel" | "retry" | "delete" | "bulk" | "pause";

// Whether the session may do `action` (auth/role.cpp on the server): admin everything, an admin
// scoped to an owner everything but pausing queues, a producer cancel and retry, a viewer nothing.
export function may(s: SessionState, action: Action): boolean {
  if (s.kind === "open") return true;
  if (s.kind !== "signed-in") return false;
  const { role, owner } = s.session;
  if (role === "admin") return action !== "pause" || owner === null;
  if (role === "producer") return action === "cancel" || action === "retry";
  return false;
}
