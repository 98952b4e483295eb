// Bulk actions (POST /api/v1/jobs/bulk): the request for a set of jobs, and what the dashboard
// says before (a dry run's count) and after (what changed). Pure: unit-tested in bulk.test.ts.
import type { BulkAction, BulkReply } from "./api/types";
import { jobCount } from "./format";

// The jobs an action is for: chosen ones by id, or every job matching a filter ({} is all).
export type BulkTarget = { ids: string[] } | { filter: Record<string, string> };

export function bulkBody(action: BulkAction, target: BulkTarget, dryRun: boolean) {
  return { action, ...target, dry_run: dryRun };
}

interface Words {
  verb: string; // "Retry"
  past: string; // "retried"
  appliesTo: string; // the jobs the action changes, as the single-job endpoints have it
}

const kWords: Record<BulkAction, Words> = {
  retry: { verb: "Retry", past: "retried", appliesTo: "only failed and cancelled jobs are retried" },
  cancel: {
    verb: "Cancel",
    past: "cancelled",
    appliesTo: "only jobs that have not ended are cancelled; a running one is asked to stop",
  },
  delete: { verb: "Delete", past: "deleted", appliesTo: "only ended jobs (completed, failed, cancelled) are deleted" },
};

export function actionWords(action: BulkAction): Words {
  return kWords[action];
}

// The question a dry run's reply asks: "Retry 3 of the 5 jobs matching the filter?", and why the
// rest are left; or that nothing would change.
export function confirmText(action: BulkAction, reply: BulkReply, scope: string): string {
  const w = kWords[action];
  const change = reply.would_change ?? 0;
  if (change === 0) {
    return reply.matched === 0
      ? `No job is ${scope}: nothing to do.`
      : `None of the ${jobCount(reply.matched)} ${scope} can be ${w.past}: ${w.appliesTo}.`;
  }
  const rest = reply.matched - change;
  const of = rest > 0 ? `${change.toLocaleString("en")} of the ${jobCount(reply.matched)}` : `the ${jobCount(change)}`;
  const why = rest > 0 ? ` The other ${rest.toLocaleString("en")} stay as they are: ${w.appliesTo}.` : "";
  return `${w.verb} ${of} ${scope}?${why}`;
}

// What a run did: "Retried 3 jobs; 2 skipped."
export function resultText(action: BulkAction, reply: BulkReply): string {
  const w = kWords[action];
  const changed = reply.changed ?? 0;
  const skipped = reply.skipped ?? reply.matched - changed;
  const head = `${w.past[0]!.toUpperCase()}${w.past.slice(1)} ${jobCount(changed)}`;
  return skipped > 0 ? `${head}; ${skipped.toLocaleString("en")} skipped (not in a state to be ${w.past}, or changed meanwhile).` : `${head}.`;
}
