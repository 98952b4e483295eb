// How an event changes the rows of a job list already on screen. Pure: unit-tested in
// live_jobs.test.ts.
//
// An event carries the job's state and progress after the change but not all of its fields
// (payload, times), so a row on screen is patched in place, and a job the list lacks but
// should show (a new job matching the filter) asks the view to fetch the page again.
import type { Job, JobEvent } from "./api/types";
import { matchesFilter, type JobFilter } from "./query";

export interface Applied {
  rows: Job[];
  refetch: boolean;
}

export function applyEvent(rows: Job[], event: JobEvent, filter: JobFilter, firstPage: boolean): Applied {
  const at = rows.findIndex((j) => j.id === event.job_id);
  if (at < 0) {
    const gone = event.kind === "deleted" || event.kind === "pruned";
    // New jobs come first (newest first), so only the first page gains rows.
    return { rows, refetch: firstPage && !gone && matchesFilter(filter, event) };
  }
  if (event.kind === "deleted" || event.kind === "pruned") {
    return { rows: rows.filter((j) => j.id !== event.job_id), refetch: false };
  }
  const old = rows[at]!;
  const patched: Job = { ...old, status: event.status ?? old.status };
  if (event.attempt !== undefined) patched.attempt = event.attempt;
  if (event.progress !== undefined) patched.progress = event.progress;
  if (event.error !== undefined && event.error !== null) patched.error = event.error;
  if (event.worker_id !== undefined) patched.worker_id = event.worker_id;
  const next = rows.slice();
  next[at] = patched;
  return { rows: next, refetch: false };
}
