// The Jobs view's filters and sort, as they appear in the page's URL (so a shared link opens the
// same list), in the API's list request and in a bulk action's filter. Pure functions:
// unit-tested in query.test.ts.
import { JOB_STATES, type JobState } from "./api/types";

export const SORTS = ["newest", "oldest", "updated"] as const;
export type Sort = (typeof SORTS)[number];

export interface JobFilter {
  status?: JobState[];
  queue?: string;
  type?: string;
  owner?: string;
  error_code?: string;
  error_text?: string;
  created_after?: string; // RFC 3339
  created_before?: string;
  sort?: Sort; // absent: newest, the API's default
  cursor?: string;
}

// The filter fields a bulk action takes (docs/api.md, POST /api/v1/jobs/bulk), in URL order.
const kTextFields = ["queue", "type", "owner", "error_code", "error_text", "created_after", "created_before"] as const;

// The syntax the API accepts for an error-code filter; a worker may report codes outside it,
// and those can only be acted on by id.
export function isFilterableCode(code: string): boolean {
  return /^[a-z0-9_.-]{1,128}$/.test(code);
}

// Reads the filter from a query string ("?status=failed,cancelled&queue=mail"). Unknown states,
// an unknown sort, an unreadable time and empty values are left out rather than sent to the API
// to be refused.
export function parseJobFilter(search: string): JobFilter {
  const params = new URLSearchParams(search);
  const filter: JobFilter = {};
  const states = (params.get("status") ?? "")
    .split(",")
    .filter((s): s is JobState => (JOB_STATES as readonly string[]).includes(s));
  if (states.length > 0) filter.status = JOB_STATES.filter((s) => states.includes(s));
  for (const field of kTextFields) {
    const value = params.get(field)?.trim();
    if (value) filter[field] = value;
  }
  for (const field of ["created_after", "created_before"] as const) {
    if (filter[field] && Number.isNaN(Date.parse(filter[field]!))) delete filter[field];
  }
  const sort = params.get("sort");
  if (sort && sort !== "newest" && (SORTS as readonly string[]).includes(sort)) filter.sort = sort as Sort;
  const cursor = params.get("cursor")?.trim();
  if (cursor) filter.cursor = cursor;
  return filter;
}

// The query string for `filter` ("" or "?status=failed&queue=mail"), in a fixed order.
export function jobFilterSearch(filter: JobFilter): string {
  const params = new URLSearchParams();
  if (filter.status?.length) params.set("status", filter.status.join(","));
  for (const field of kTextFields) {
    const value = filter[field];
    if (value) params.set(field, value);
  }
  if (filter.sort && filter.sort !== "newest") params.set("sort", filter.sort);
  if (filter.cursor) params.set("cursor", filter.cursor);
  const text = params.toString();
  return text ? `?${text}` : "";
}

// The same filter on another page (no cursor: the first).
export function withCursor(filter: JobFilter, cursor: string | undefined): JobFilter {
  const next = { ...filter };
  if (cursor) next.cursor = cursor;
  else delete next.cursor;
  return next;
}

// GET /api/v1/jobs for `filter`, `limit` jobs a page, in the summary form (no payload, result,
// checkpoint or attempts: a list shows none of them) and with the bounded total.
export function jobListPath(filter: JobFilter, limit: number): string {
  const params = new URLSearchParams(jobFilterSearch(filter));
  params.set("view", "summary");
  params.set("count", "1");
  params.set("limit", String(limit));
  return `/api/v1/jobs?${params.toString()}`;
}

// The filter as a bulk action's body takes it: the same fields, no sort or cursor.
export function bulkFilter(filter: JobFilter): Record<string, string> {
  const body: Record<string, string> = {};
  if (filter.status?.length) body.status = filter.status.join(",");
  for (const field of kTextFields) {
    const value = filter[field];
    if (value) body[field] = value;
  }
  return body;
}

// Whether the filter narrows the list at all (an empty one is every job).
export function isFiltered(filter: JobFilter): boolean {
  return Object.keys(bulkFilter(filter)).length > 0;
}

// What an event tells of a job (docs/api.md, the event stream's fields).
export interface EventFacts {
  kind?: string;
  status: string;
  queue: string;
  type: string;
  owner?: string | null | undefined;
  error?: { code: string; message: string } | null | undefined;
  at?: string | undefined;
}

// Event kinds that create a job: the event's time is its created_at, and it has no error yet.
// (`waiting`: a new job that waits for its parents.)
const kCreating = new Set(["enqueued", "scheduled", "waiting"]);

// Whether a job an event tells of may belong in the list `filter` shows (the cursor aside): false
// only when a field the event carries rules it out. An event does not carry a job's creation time
// (but for the events that create it), nor its error unless the change set one.
export function mayMatchFilter(filter: JobFilter, job: EventFacts): boolean {
  if (filter.status?.length && !filter.status.includes(job.status as JobState)) return false;
  if (filter.queue && job.queue !== filter.queue) return false;
  if (filter.type && job.type !== filter.type) return false;
  if (filter.owner && job.owner !== filter.owner) return false;
  const creating = job.kind !== undefined && kCreating.has(job.kind);
  // A created job has no error; on other events only an error present tells (a retry keeps it).
  const error = creating ? null : (job.error ?? undefined);
  if (filter.error_code && error !== undefined && error?.code !== filter.error_code) return false;
  if (filter.error_text && error !== undefined && !error?.message.toLowerCase().includes(filter.error_text.toLowerCase())) {
    return false;
  }
  const at = job.at ? Date.parse(job.at) : NaN;
  if (!Number.isNaN(at)) {
    // A job is created no later than any of its events.
    if (filter.created_after && at < Date.parse(filter.created_after)) return false;
    if (creating && filter.created_before && at >= Date.parse(filter.created_before)) return false;
  }
  return true;
}
