// Paging a keyset-paged list. The API's cursors only lead forwards, so the way back is remembered
// as the pages are followed: for each cursor, the cursor of the page it was reached from and the
// page's number. A page opened from a link (a cursor never followed here) has no known previous
// page: the view offers the first page instead. Unit-tested in paging.test.ts.
import { jobCount } from "./format";

interface Step {
  from: string | undefined; // the cursor of the page before (undefined: the first page)
  index: number; // 0 for the first page
}

// Bounded: a session that pages through millions keeps the way back from the last pages only.
const kRemembered = 1000;

export class PageTrail {
  private steps = new Map<string, Step>();

  // The view shows the page at `from` and offers `next` as the next page.
  remember(next: string, from: string | undefined) {
    if (this.steps.has(next)) return;
    const index = from === undefined ? 1 : (this.steps.get(from)?.index ?? -1) + 1;
    this.steps.set(next, { from, index: index > 0 ? index : -1 });
    if (this.steps.size > kRemembered) this.steps.delete(this.steps.keys().next().value!);
  }

  // The page before the one at `cursor`: { cursor } (undefined cursor: the first page), or
  // undefined when unknown.
  previous(cursor: string | undefined): { cursor: string | undefined } | undefined {
    if (cursor === undefined) return undefined;
    const step = this.steps.get(cursor);
    return step ? { cursor: step.from } : undefined;
  }

  // The page's number from 0, or undefined when unknown.
  index(cursor: string | undefined): number | undefined {
    if (cursor === undefined) return 0;
    const i = this.steps.get(cursor)?.index;
    return i !== undefined && i >= 0 ? i : undefined;
  }
}

// "Jobs 51–100" (or "Job 51") for the page's rows, or "50 jobs on this page" when its number is unknown.
export function pageText(index: number | undefined, shown: number, pageSize: number): string {
  if (shown === 0) return "";
  if (index === undefined) return `${shown} ${shown === 1 ? "job" : "jobs"} on this page`;
  const first = index * pageSize + 1;
  if (shown === 1) return `Job ${first.toLocaleString("en")}`;
  return `Jobs ${first.toLocaleString("en")}–${(first + shown - 1).toLocaleString("en")}`;
}

// "1,234 jobs match" / "More than 10,000 jobs match".
export function totalText(total: number, exact: boolean | undefined): string {
  const text = `${jobCount(total, exact)} ${total === 1 && exact !== false ? "matches" : "match"}`;
  return text[0]!.toUpperCase() + text.slice(1);
}
