// Jobs: the list GET /api/v1/jobs gives, newest first, filtered by state, queue, type and owner,
// with cursor paging. The filters and the cursor live in the URL. On the first page new jobs
// appear without a reload: from the event stream, or by polling every 2 s without one.
import { useState } from "preact/hooks";
import { api } from "../api/client";
import { useLiveEvents } from "../api/live";
import { JOB_STATES, type Job, type JobPage } from "../api/types";
import { Link } from "../components/link";
import { TableScroll } from "../components/table_scroll";
import { LoadError, Notice } from "../components/notice";
import { StatusBadge } from "../components/status_badge";
import { formatTime } from "../format";
import { useLoad, useThrottled } from "../hooks";
import { stateLook } from "../job_state";
import { applyEvent } from "../live_jobs";
import { jobFilterSearch, jobListPath, parseJobFilter, type JobFilter } from "../query";
import { navigate } from "../router";

const kPageSize = 50;
const kPollMs = 2000;

export function JobsView(props: { search: string }) {
  const filter = parseJobFilter(props.search);
  const firstPage = !filter.cursor;
  const [rows, setRows] = useState<Job[] | undefined>(undefined);
  const refetch = useThrottled(() => page.reload(), 300);
  const stream = useLiveEvents(
    (event) => {
      if (!rows) return;
      const applied = applyEvent(rows, event, filter, firstPage);
      if (applied.rows !== rows) setRows(applied.rows);
      if (applied.refetch) refetch();
    },
    () => page.reload(),
  );
  const page = useLoad(
    async () => {
      const p = await api<JobPage>(jobListPath(filter, kPageSize));
      setRows(p.jobs);
      return p;
    },
    props.search,
    stream === "unavailable" && firstPage ? kPollMs : undefined,
  );

  return (
    <section aria-labelledby="jobs-title">
      <h1 id="jobs-title">Jobs</h1>
      <FilterForm filter={filter} />
      <LoadError error={page.error} what="the jobs" />
      {rows && rows.length === 0 ? <Notice>No job matches these filters.</Notice> : null}
      {rows && rows.length > 0 ? <JobTable jobs={rows} /> : null}
      <nav class="pager" aria-label="Pages">
        {!firstPage ? (
          <Link href={`/jobs${jobFilterSearch({ ...filter, cursor: undefined })}`}>First page</Link>
        ) : null}
        {page.data?.next_cursor ? (
          <Link href={`/jobs${jobFilterSearch({ ...filter, cursor: page.data.next_cursor })}`}>Next page</Link>
        ) : null}
      </nav>
    </section>
  );
}

function FilterForm(props: { filter: JobFilter }) {
  const f = props.filter;
  const submit = (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const text = (name: string) => String(data.get(name) ?? "").trim() || undefined;
    const next = {
      status: text("status") as JobFilter["status"],
      queue: text("queue"),
      type: text("type"),
      owner: text("owner"),
    };
    navigate(`/jobs${jobFilterSearch(next)}`);
  };
  // Keyed by the filter so the fields show the URL's values after Back or a link.
  return (
    <form class="filters" onSubmit={submit} key={jobFilterSearch({ ...f, cursor: undefined })} aria-label="Filter jobs">
      <label>
        State
        <select name="status" value={f.status ?? ""}>
          <option value="">Any</option>
          {JOB_STATES.map((s) => (
            <option value={s} key={s}>
              {stateLook(s).label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Queue
        <input name="queue" value={f.queue ?? ""} autocomplete="off" />
      </label>
      <label>
        Type
        <input name="type" value={f.type ?? ""} autocomplete="off" />
      </label>
      <label>
        Owner
        <input name="owner" value={f.owner ?? ""} autocomplete="off" />
      </label>
      <div class="filter-actions">
        <button type="submit">Apply filters</button>
        <Link href="/jobs" class="button-link">
          Clear
        </Link>
      </div>
    </form>
  );
}

export function JobTable(props: { jobs: Job[] }) {
  return (
    <TableScroll label="Jobs">
      <table class="jobs">
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">State</th>
            <th scope="col">Type</th>
            <th scope="col" class="wide">Queue</th>
            <th scope="col" class="num wide">Attempt</th>
            <th scope="col" class="wide">Created (UTC)</th>
          </tr>
        </thead>
        <tbody>
          {props.jobs.map((j) => (
            <tr key={j.id} data-job-id={j.id}>
              <td class="mono">
                <Link href={`/jobs/${encodeURIComponent(j.id)}`}>{j.id}</Link>
              </td>
              <td>
                <StatusBadge status={j.status} />
              </td>
              <td>{j.type}</td>
              <td class="wide">{j.queue}</td>
              <td class="num wide">
                {j.attempt}/{j.max_attempts}
              </td>
              <td class="wide">{formatTime(j.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
