// How each state looks: its own colour (a CSS class) and icon, and words. An error is never a
// state: a failed job's status is "failed" and its error shows apart.
import type { JobState } from "./api/types";

export interface StateLook {
  label: string;
  icon: string; // decorative: the label says the same in words
  className: string;
  meaning: string;
}

const kLooks: Record<JobState, StateLook> = {
  waiting: { label: "Waiting", icon: "◌", className: "state-waiting", meaning: "waiting for the jobs it depends on to end" },
  queued: { label: "Queued", icon: "●", className: "state-queued", meaning: "ready to be fetched by a worker" },
  scheduled: { label: "Scheduled", icon: "◷", className: "state-scheduled", meaning: "waiting for its run time" },
  running: { label: "Running", icon: "▶", className: "state-running", meaning: "leased to a worker" },
  retrying: { label: "Retrying", icon: "↻", className: "state-retrying", meaning: "an attempt failed; waiting to retry" },
  completed: { label: "Completed", icon: "✔", className: "state-completed", meaning: "done" },
  failed: { label: "Failed", icon: "✖", className: "state-failed", meaning: "out of attempts or failed for good" },
  cancelled: { label: "Cancelled", icon: "⊘", className: "state-cancelled", meaning: "cancelled" },
};

export function stateLook(status: string): StateLook {
  return kLooks[status as JobState] ?? { label: status, icon: "?", className: "state-unknown", meaning: "" };
}

export function isTerminal(status: string): boolean {
  return status === "completed" || status === "failed" || status === "cancelled";
}

// Event kinds after which a job's own stream ends (core::ends_job).
export function endsJob(kind: string): boolean {
  return kind === "completed" || kind === "failed" || kind === "cancelled" || kind === "deleted" || kind === "pruned";
}
