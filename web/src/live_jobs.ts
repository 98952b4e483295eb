// How an event changes the rows of a job list already on screen. Pure: unit-tested in
// live_jobs.test.ts.
//
// An event carries the job's state and progress after the change but not all of its fields
// (times, the summary's other fields), so a row on screen is patched in place, and a job the
// list lacks but may show (a new job matching the filter) asks the view to fetch the page again.
import type { Job, JobEvent } from "./api/types";
import { mayMatchFilter, type JobFilter } from "./query";

export interface Applied {
  rows: Job[];
  refetch: boolean;
}

// Where the page on screen sits in the list's order: whether a job that newly matches would land
// on it. Newest first and recently updated first: only the first page; oldest first: only the
// last page (one without a next cursor).
export function gainsNewJobs(filter: JobFilter, firstPage: boolean, lastPage: boolean): boolean {
  return filter.sort === "oldest" ? lastPage : firstPage;
}

export function applyEvent(rows: Job[], event: JobEvent, filter: JobFilter, gains: boolean): Applied {
  const gone = event.kind === "deleted" || event.kind === "pruned";
  const at = rows.findIndex((j) => j.id === event.job_id);
  if (at < 0) return { rows, refetch: gains && !gone && mayMatchFilter(filter, event) };
  if (gone) return { rows: rows.filter((j) => j.id !== event.job_id), refetch: false };

  const old = rows[at]!;
  const patched: Job = { ...old, status: event.status ?? old.status };
  if (event.attempt !== undefined) patched.attempt = event.attempt;
  if (event.progress !== undefined) patched.progress = event.progress;
  if (event.error !== undefined && event.error !== null) patched.error = event.error;
  if (event.worker_id !== undefined) patched.worker_id = event.worker_id;
  if (event.at !== undefined) patched.updated_at = event.at;
  const next = rows.slice();
  if (filter.sort === "updated" && gains) {
    // The most recently changed job comes first.
    next.splice(at, 1);
    next.unshift(patched);
  } else {
    next[at] = patched;
  }
  return { rows: next, refetch: false };
}
