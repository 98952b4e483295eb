// What the job page says about a job's parents (depends_on) and its batch. Pure: unit-tested in
// dependencies.test.ts.
//
// The server tells how each parent ended only once the last one has (`parents`, filled in that
// commit); before then it gives just how many are left (`parents_left`). So a parent's status
// is known for all parents or none, and the page does not ask each parent for its own: a fan-in
// may have 10,000 of them.
import { JOB_STATES, type Batch, type Job, type JobState, type StateCounts } from "./api/types";

// A job page lists this many parents; a larger fan-in says how many more there are.
export const kParentsShown = 50;

export interface ParentRow {
  id: string;
  // How it ended; null: deleted before the last parent ended; undefined: not known yet.
  status: string | null | undefined;
}

export function hasDependencies(job: Job): boolean {
  return (job.depends_on?.length ?? 0) > 0;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

// One line on where the job stands with its parents.
export function parentsSummary(job: Job): string {
  const total = job.depends_on?.length ?? 0;
  const left = job.parents_left ?? 0;
  if ((job.parents?.length ?? 0) > 0) return `All ${plural(total, "parent", "parents")} ended.`;
  if (job.status === "waiting") return `Waiting for ${left} of ${plural(total, "parent", "parents")} to end.`;
  // Ended or running without the parents' outcomes: cancelled by a parent (or by hand, or its
  // start-by deadline) before the last one ended, or retried by hand after that.
  if (left > 0) return `${total - left} of ${plural(total, "parent", "parents")} ended; ${left} had not when this job left waiting.`;
  return `${plural(total, "parent", "parents")}, all ended.`;
}

export function onParentFailureText(job: Job): string {
  return job.on_parent_failure === "run"
    ? "Runs once every parent has ended, however they ended."
    : "Cancelled (parent_failed) if a parent fails for good or is cancelled.";
}

// The first `limit` parents in depends_on's order, each with how it ended where the server told.
export function parentRows(job: Job, limit = kParentsShown): ParentRow[] {
  const ended = new Map((job.parents ?? []).map((p) => [p.id, p.status] as const));
  return (job.depends_on ?? []).slice(0, limit).map((id) => ({ id, status: ended.has(id) ? ended.get(id) : undefined }));
}

// The batch's states with a count, in the order of a job's life.
export function batchCounts(counts: StateCounts): { state: JobState; count: number }[] {
  return JOB_STATES.map((state) => ({ state, count: counts[state] ?? 0 })).filter((c) => c.count > 0);
}

export function batchSummary(batch: Batch): string {
  const done = batch.counts.completed ?? 0;
  const jobs = plural(batch.total, "job", "jobs");
  if (batch.state === "active") return `Active: ${done} of ${jobs} completed so far.`;
  if (batch.state === "succeeded") return `Succeeded: all ${jobs} completed.`;
  return `Failed: ${done} of ${jobs} completed; the others failed or were cancelled.`;
}
