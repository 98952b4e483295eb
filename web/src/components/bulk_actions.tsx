// Buttons that act on many jobs at once through POST /api/v1/jobs/bulk. Nothing changes on the
// first click: a dry run counts what would change, the count is shown with a button to go ahead,
// and after the run the reply says what changed and what was skipped.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, describeError, NotAvailable } from "../api/client";
import type { BulkAction, BulkReply } from "../api/types";
import { actionWords, bulkBody, confirmText, resultText, type BulkTarget } from "../bulk";
import { jobCount } from "../format";
import { useSession } from "../hooks";
import { may } from "../session";

export interface BulkScope {
  label: string; // what follows the verb on the button: "3 selected", "all matching"
  description: string; // the jobs, after "the N jobs": "selected", "matching the filter"
  target: BulkTarget | undefined; // undefined: no button (nothing selected)
}

type Step =
  | { kind: "idle" }
  | { kind: "busy"; text: string }
  | { kind: "confirm"; action: BulkAction; scope: BulkScope; target: BulkTarget; reply: BulkReply }
  | { kind: "said"; text: string; error?: boolean };

// onDone is called after a run, with what it did (or why it failed), so a view whose list the run
// empties can still say it.
export function BulkActions(props: {
  label: string;
  actions: BulkAction[];
  scopes: BulkScope[];
  onDone: (said: string) => void;
}) {
  const session = useSession();
  const [step, setStep] = useState<Step>({ kind: "idle" });
  const go = useRef<HTMLButtonElement>(null);
  useEffect(() => go.current?.focus(), [step.kind]);

  const send = (action: BulkAction, target: BulkTarget, dryRun: boolean) =>
    api<BulkReply>("/api/v1/jobs/bulk", { method: "POST", body: bulkBody(action, target, dryRun) });
  const failed = (e: unknown) => {
    const text = e instanceof NotAvailable ? "Bulk actions are not available on this server." : `Nothing was changed: ${describeError(e)}`;
    setStep({ kind: "said", error: true, text });
    return text;
  };

  const ask = async (action: BulkAction, scope: BulkScope, target: BulkTarget) => {
    setStep({ kind: "busy", text: "Counting the jobs…" });
    try {
      setStep({ kind: "confirm", action, scope, target, reply: await send(action, target, true) });
    } catch (e) {
      failed(e);
    }
  };
  const run = async (action: BulkAction, target: BulkTarget) => {
    setStep({ kind: "busy", text: `${actionWords(action).verb}: working…` });
    let text: string;
    try {
      text = resultText(action, await send(action, target, false));
      setStep({ kind: "said", text });
    } catch (e) {
      text = failed(e);
    }
    props.onDone(text);
  };

  const busy = step.kind === "busy" || step.kind === "confirm";
  // A key that may not act in bulk (a viewer, a producer) is not offered it.
  if (!may(session, "bulk")) return null;
  return (
    <div class="bulk" role="group" aria-label={props.label}>
      <div class="bulk-buttons">
        {props.scopes.map((scope) =>
          scope.target
            ? props.actions.map((action) => (
                <button
                  type="button"
                  key={`${scope.label}-${action}`}
                  class={action === "delete" ? "danger" : undefined}
                  disabled={busy}
                  onClick={() => void ask(action, scope, scope.target!)}
                >
                  {actionWords(action).verb} {scope.label}…
                </button>
              ))
            : null,
        )}
      </div>
      {step.kind === "confirm" ? (
        <div class="confirm" role="group" aria-label="Confirm">
          <p>{confirmText(step.action, step.reply, step.scope.description)}</p>
          {(step.reply.would_change ?? 0) > 0 ? (
            <>
              <button
                type="button"
                ref={go}
                class={step.action === "delete" ? "danger" : "primary"}
                onClick={() => void run(step.action, step.target)}
              >
                {actionWords(step.action).verb} {jobCount(step.reply.would_change ?? 0)}
              </button>{" "}
              <button type="button" onClick={() => setStep({ kind: "idle" })}>
                Keep them as they are
              </button>
            </>
          ) : (
            <button type="button" ref={go} onClick={() => setStep({ kind: "idle" })}>
              Close
            </button>
          )}
        </div>
      ) : null}
      <p role="status" class={step.kind === "said" && step.error ? "bulk-result error-text" : "bulk-result"}>
        {step.kind === "busy" || step.kind === "said" ? step.text : ""}
      </p>
    </div>
  );
}
