// Queues: every queue by name, its jobs by state, how long its oldest ready job has waited and
// which workers fetch from it (from GET /api/v1/stats), and pause/resume. The counts are live
// from the event stream (any event may change one), or polled every 2 s on a server without one.
import { useState } from "preact/hooks";
import { api, describeError } from "../api/client";
import { useLiveEvents } from "../api/live";
import { JOB_STATES, type Queue, type Stats } from "../api/types";
import { Link } from "../components/link";
import { TableScroll } from "../components/table_scroll";
import { LoadError, Notice } from "../components/notice";
import { formatDuration } from "../format";
import { useLoad, useSession, useThrottled } from "../hooks";
import { stateLook } from "../job_state";
import { may } from "../session";
import { workersOf } from "../stats_shape";

const kPollMs = 2000;
const kStatsMs = 5000;

export function QueuesView() {
  const [actionError, setActionError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const mayPause = may(useSession(), "pause");
  const refresh = useThrottled(() => queues.reload(), 500);
  const stream = useLiveEvents(refresh, refresh);
  const queues = useLoad(() => api<{ queues: Queue[] }>("/api/v1/queues"), "queues", stream === "unavailable" ? kPollMs : undefined);
  const stats = useLoad(() => api<Stats>("/api/v1/stats?window=1h"), "stats", kStatsMs);
  const ages = stats.data?.oldest_ready_age_s ?? {};
  const workers = workersOf(stats.data?.workers);
  const workersOn = (queue: string) => workers.filter((w) => w.queues.includes(queue)).map((w) => w.id);

  const toggle = async (q: Queue) => {
    setBusy(q.name);
    setActionError(undefined);
    try {
      await api(`/api/v1/queues/${encodeURIComponent(q.name)}/${q.paused ? "resume" : "pause"}`, { method: "POST" });
      queues.reload();
    } catch (e) {
      setActionError(`Could not ${q.paused ? "resume" : "pause"} ${q.name}: ${describeError(e)}`);
    } finally {
      setBusy(undefined);
    }
  };

  const list = queues.data?.queues;
  return (
    <section aria-labelledby="queues-title">
      <h1 id="queues-title">Queues</h1>
      <p class="lead">
        Jobs in each queue by state. A paused queue hands out no jobs; enqueues, running jobs and retries go on.
      </p>
      <LoadError error={queues.error} what="the queues" />
      <LoadError error={stats.error} what="Ready ages and workers (GET /api/v1/stats)" />
      {actionError ? <Notice kind="error">{actionError}</Notice> : null}
      {list && list.length === 0 ? <Notice>No queue has had a job yet.</Notice> : null}
      {list && list.length > 0 ? (
        <TableScroll label="Queues">
          <table class="queues">
            <thead>
              <tr>
                <th scope="col">Queue</th>
                {JOB_STATES.map((s) => (
                  <th scope="col" class="num" key={s}>
                    {stateLook(s).label}
                  </th>
                ))}
                <th scope="col" class="num">Oldest ready</th>
                <th scope="col">Workers (last hour)</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((q) => (
                <tr key={q.name} data-queue={q.name}>
                  <th scope="row">
                    <Link href={`/jobs?queue=${encodeURIComponent(q.name)}`}>{q.name}</Link>
                  </th>
                  {JOB_STATES.map((s) => (
                    <td class="num" key={s} data-state={s}>
                      {(q.counts[s] ?? 0) > 0 ? (
                        <Link href={`/jobs?status=${s}&queue=${encodeURIComponent(q.name)}`}>{q.counts[s]}</Link>
                      ) : (
                        <span class="muted">0</span>
                      )}
                    </td>
                  ))}
                  <td class="num" data-testid="oldest-ready">
                    {ages[q.name] !== undefined && ages[q.name] !== null ? formatDuration(ages[q.name]) : <span class="muted">—</span>}
                  </td>
                  <td data-testid="queue-workers">
                    {stats.data ? workersOn(q.name).join(", ") || <span class="muted">none</span> : <span class="muted">—</span>}
                  </td>
                  <td>{q.paused ? <span class="tag tag-paused">Paused</span> : <span class="tag">Active</span>}</td>
                  <td>
                    {mayPause ? (
                      <button
                        type="button"
                        disabled={busy === q.name}
                        onClick={() => void toggle(q)}
                        aria-label={`${q.paused ? "Resume" : "Pause"} queue ${q.name}`}
                      >
                        {q.paused ? "Resume" : "Pause"}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
    </section>
  );
}
