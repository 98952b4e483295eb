// The Jobs view's filters, as they appear in the page's URL (so a shared link opens the same
// list) and in the API request. Pure functions: unit-tested in query.test.ts.
import { JOB_STATES, type JobState } from "./api/types";

export interface JobFilter {
  status?: JobState;
  queue?: string;
  type?: string;
  owner?: string;
  cursor?: string;
}

const kTextFields = ["queue", "type", "owner", "cursor"] as const;

// Reads the filter from a query string ("?status=failed&queue=mail"). An unknown status or an
// empty value is left out rather than sent to the API to be refused.
export function parseJobFilter(search: string): JobFilter {
  const params = new URLSearchParams(search);
  const filter: JobFilter = {};
  const status = params.get("status");
  if (status && (JOB_STATES as readonly string[]).includes(status)) filter.status = status as JobState;
  for (const field of kTextFields) {
    const value = params.get(field)?.trim();
    if (value) filter[field] = value;
  }
  return filter;
}

// The query string for `filter` ("" or "?status=failed&queue=mail"), in a fixed order.
export function jobFilterSearch(filter: JobFilter): string {
  const params = new URLSearchParams();
  if (filter.status) params.set("status", filter.status);
  for (const field of kTextFields) {
    const value = filter[field];
    if (value) params.set(field, value);
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

// GET /api/v1/jobs for `filter`, `limit` jobs a page.
export function jobListPath(filter: JobFilter, limit: number): string {
  const params = new URLSearchParams(jobFilterSearch(filter));
  params.set("limit", String(limit));
  return `/api/v1/jobs?${params.toString()}`;
}

// Whether a job with these fields belongs in the list `filter` shows (the cursor aside).
export function matchesFilter(
  filter: JobFilter,
  job: { status: string; queue: string; type: string; owner?: string | null },
): boolean {
  return (
    (!filter.status || job.status === filter.status) &&
    (!filter.queue || job.queue === filter.queue) &&
    (!filter.type || job.type === filter.type) &&
    (!filter.owner || job.owner === filter.owner)
  );
}
