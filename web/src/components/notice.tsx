import type { ComponentChildren } from "preact";
import { describeError, NotAvailable, Unreachable } from "../api/client";

export function Notice(props: { children: ComponentChildren; kind?: "info" | "error" }) {
  return (
    <p class={`notice notice-${props.kind ?? "info"}`} role={props.kind === "error" ? "alert" : undefined}>
      {props.children}
    </p>
  );
}

// What a failed load says. A lost connection is the banner's to say, so it adds nothing here.
export function LoadError(props: { error: unknown; what: string }) {
  if (props.error === undefined || props.error instanceof Unreachable) return null;
  if (props.error instanceof NotAvailable) {
    return <Notice>{props.what} is not available on this server.</Notice>;
  }
  return <Notice kind="error">Could not load {props.what}: {describeError(props.error)}</Notice>;
}
