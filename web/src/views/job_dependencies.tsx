// The job page's "Dependencies" part: the parents a job waits for (depends_on), each linking to
// its page, how many are left, and how each ended once the server says; and the batch it belongs
// to, counted by state (GET /api/v1/batches/{id}). The wording is dependencies.ts's.
import { useEffect, useRef } from "preact/hooks";
import { api } from "../api/client";
import type { Batch, Job } from "../api/types";
import { Link } from "../components/link";
import { LoadError } from "../components/notice";
import { StatusBadge } from "../components/status_badge";
import { batchCounts, batchSummary, hasDependencies, kParentsShown, onParentFailureText, parentRows, parentsSummary } from "../dependencies";
import { useLoad } from "../hooks";
import { stateLook } from "../job_state";

function jobPath(id: string): string {
  return `/jobs/${encodeURIComponent(id)}`;
}

export function Dependencies(props: { job: Job }) {
  const { job } = props;
  if (!hasDependencies(job) && !job.batch) return null;
  return (
    <section class="card" aria-labelledby="dependencies-title" data-testid="dependencies">
      <h2 id="dependencies-title">Dependencies</h2>
      {hasDependencies(job) ? <Parents job={job} /> : null}
      {job.batch ? <BatchPart id={job.batch} job={job} /> : null}
    </section>
  );
}

function Parents(props: { job: Job }) {
  const { job } = props;
  const rows = parentRows(job);
  const more = (job.depends_on?.length ?? 0) - rows.length;
  return (
    <>
      <p data-testid="parents-summary">
        {parentsSummary(job)} <span class="muted">{onParentFailureText(job)}</span>
      </p>
      <ul class="parents" aria-label="Parents">
        {rows.map((p) => (
          <li key={p.id} data-parent-id={p.id}>
            <Link href={jobPath(p.id)} class="mono">
              {p.id}
            </Link>{" "}
            {p.status === undefined ? null : p.status === null ? (
              <span class="muted">deleted before it was known how it ended</span>
            ) : (
              <StatusBadge status={p.status} />
            )}
          </li>
        ))}
      </ul>
      {more > 0 ? <p class="muted">and {more} more (the first {kParentsShown} are listed).</p> : null}
    </>
  );
}

// Read again whenever the job changes (a member's end is a change of its batch's end jobs too),
// in place: the counts on screen stay until the new ones come.
function BatchPart(props: { id: string; job: Job }) {
  const { job } = props;
  const batch = useLoad(() => api<Batch>(`/api/v1/batches/${encodeURIComponent(props.id)}`), props.id);
  const changed = `${job.updated_at} ${job.status} ${job.parents_left ?? 0}`;
  const seen = useRef(changed);
  useEffect(() => {
    if (seen.current === changed) return;
    seen.current = changed;
    batch.reload();
  }, [changed]);
  const b = batch.data;
  return (
    <div class="batch" data-testid="batch">
      <h3>
        Batch <span class="mono">{props.id}</span>
      </h3>
      <LoadError error={batch.error} what="the batch" />
      {b ? (
        <>
          <p data-testid="batch-summary">{batchSummary(b)}</p>
          <ul class="batch-counts" aria-label="Batch jobs by state">
            {batchCounts(b.counts).map((c) => (
              <li key={c.state}>
                {stateLook(c.state).label}: <span class="num">{c.count}</span>
              </li>
            ))}
          </ul>
          {b.on_success || b.on_complete ? (
            <p>
              {b.on_success ? (
                <>
                  On success: <Link href={jobPath(b.on_success)} class="mono">{b.on_success}</Link>{" "}
                </>
              ) : null}
              {b.on_complete ? (
                <>
                  On complete: <Link href={jobPath(b.on_complete)} class="mono">{b.on_complete}</Link>
                </>
              ) : null}
            </p>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
