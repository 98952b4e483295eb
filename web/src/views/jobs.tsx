// Jobs: the list GET /api/v1/jobs gives in its summary form, filtered and sorted as the URL says,
// a page at a time by cursor, with the bounded total. The page on which new jobs land (the first;
// the last when the oldest come first) gains them without a reload: from the event stream, or by
// polling every 2 s without one. Jobs can be chosen and acted on in bulk, or every job the filter
// matches, each action counted before it is done.
import { useEffect, useState } from "preact/hooks";
import { api } from "../api/client";
import { useLiveEvents } from "../api/live";
import type { Job, JobPage } from "../api/types";
import { BulkActions, type BulkScope } from "../components/bulk_actions";
import { JobTable, type Selection } from "../components/job_table";
import { Link } from "../components/link";
import { LoadError, Notice } from "../components/notice";
import { useLoad, useThrottled } from "../hooks";
import { applyEvent, gainsNewJobs } from "../live_jobs";
import { PageTrail, pageText, totalText } from "../paging";
import { bulkFilter, isFiltered, jobFilterSearch, jobListPath, parseJobFilter, withCursor } from "../query";
import { FilterForm } from "./job_filters";

const kPageSize = 50;
const kPollMs = 2000;
// A refetch counts the matches again (up to 10,000 rows read): at most one a second.
const kRefetchMs = 1000;
// The API takes at most this many ids in one bulk action.
const kMaxIds = 1000;

// Module-wide, so the way back survives leaving the list for a job and coming back.
const trail = new PageTrail();

export function JobsView(props: { search: string }) {
  const filter = parseJobFilter(props.search);
  const filterKey = jobFilterSearch(withCursor(filter, undefined));
  const [rows, setRows] = useState<Job[] | undefined>(undefined);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => setRows(undefined), [props.search]);
  useEffect(() => setChosen(new Set()), [filterKey]);

  const refetch = useThrottled(() => page.reload(), kRefetchMs);
  const gains = () => gainsNewJobs(filter, !filter.cursor, page.data !== undefined && !page.data.next_cursor);
  const stream = useLiveEvents(
    (event) => {
      if (!rows) return;
      const applied = applyEvent(rows, event, filter, gains());
      if (applied.rows !== rows) setRows(applied.rows);
      if (applied.refetch) refetch();
    },
    () => page.reload(),
  );
  const page = useLoad(
    async () => {
      const p = await api<JobPage>(jobListPath(filter, kPageSize));
      setRows(p.jobs);
      if (p.next_cursor) trail.remember(p.next_cursor, filter.cursor);
      return p;
    },
    props.search,
    stream === "unavailable" ? kPollMs : undefined,
  );

  const selection: Selection = {
    chosen,
    set: (ids, on) => {
      const next = new Set(chosen);
      for (const id of ids) on ? next.add(id) : next.delete(id);
      setChosen(next);
    },
  };
  const filtered = isFiltered(filter);
  const scopes: BulkScope[] = [
    {
      label: `${chosen.size} selected`,
      description: "selected",
      target: chosen.size > 0 && chosen.size <= kMaxIds ? { ids: [...chosen] } : undefined,
    },
    {
      label: filtered ? "all matching" : "all jobs",
      description: filtered ? "matching the filter" : "in Corral",
      target: rows && rows.length > 0 ? { filter: bulkFilter(filter) } : undefined,
    },
  ];
  const data = page.data;

  return (
    <section aria-labelledby="jobs-title">
      <h1 id="jobs-title">Jobs</h1>
      <FilterForm filter={filter} />
      <LoadError error={page.error} what="the jobs" />
      <p class="total" data-testid="jobs-total">
        {data?.total !== undefined ? totalText(data.total, data.total_exact) : ""}
        {chosen.size > 0 ? `; ${chosen.size} selected` : ""}
      </p>
      {chosen.size > kMaxIds ? <Notice>Choose at most {kMaxIds} jobs, or act on every job matching the filter.</Notice> : null}
      <BulkActions
        key={filterKey}
        label="Act on jobs"
        actions={["retry", "cancel", "delete"]}
        scopes={scopes}
        onDone={() => {
          setChosen(new Set());
          page.reload();
        }}
      />
      {rows && rows.length === 0 ? <Notice>No job matches these filters.</Notice> : null}
      {rows && rows.length > 0 ? <JobTable jobs={rows} selection={selection} /> : null}
      <Pager filter={filter} shown={rows?.length ?? 0} next={data?.next_cursor} />
    </section>
  );
}

function Pager(props: { filter: ReturnType<typeof parseJobFilter>; shown: number; next: string | undefined }) {
  const { filter } = props;
  const at = (cursor: string | undefined) => `/jobs${jobFilterSearch(withCursor(filter, cursor))}`;
  const previous = trail.previous(filter.cursor);
  return (
    <nav class="pager" aria-label="Pages">
      <span class="muted">{pageText(trail.index(filter.cursor), props.shown, kPageSize)}</span>
      {filter.cursor && !(previous && previous.cursor === undefined) ? <Link href={at(undefined)}>First page</Link> : null}
      {previous ? <Link href={at(previous.cursor)}>Previous page</Link> : null}
      {props.next ? <Link href={at(props.next)}>Next page</Link> : null}
    </nav>
  );
}
