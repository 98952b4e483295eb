// Workers: who fetches from which queues and when each was last seen (from GET /api/v1/stats),
// and what each runs now (the running jobs, which every server can list).
import { api } from "../api/client";
import { useLiveEvents } from "../api/live";
import type { Job, JobPage, Stats } from "../api/types";
import { Link } from "../components/link";
import { TableScroll } from "../components/table_scroll";
import { LoadError, Notice } from "../components/notice";
import { ago } from "../format";
import { useLoad, useThrottled } from "../hooks";
import { workersOf } from "../stats_shape";

export function WorkersView() {
  const refresh = useThrottled(() => running.reload(), 1000);
  const stream = useLiveEvents(refresh, refresh);
  const running = useLoad(() => api<JobPage>("/api/v1/jobs?status=running&view=summary&limit=1000"), "running", stream === "unavailable" ? 3000 : undefined);
  const stats = useLoad(() => api<Stats>("/api/v1/stats?window=1h"), "stats", 5000);
  const byWorker = new Map<string, Job[]>();
  for (const job of running.data?.jobs ?? []) {
    const id = job.worker_id || "(no worker id)";
    byWorker.set(id, [...(byWorker.get(id) ?? []), job]);
  }
  const seen = workersOf(stats.data?.workers);
  const now = Date.now();
  const ids = [...new Set([...seen.map((w) => w.id), ...byWorker.keys()])].sort();

  return (
    <section aria-labelledby="workers-title">
      <h1 id="workers-title">Workers</h1>
      <LoadError error={running.error} what="the running jobs" />
      {stats.unavailable ? (
        <Notice>
          Which queues each worker fetches from and when it was last seen needs GET /api/v1/stats, which this server
          does not have. Below: the workers running jobs now.
        </Notice>
      ) : (
        <LoadError error={stats.error} what="the workers seen" />
      )}
      {ids.length === 0 && running.data ? <Notice>No worker is running a job now.</Notice> : null}
      {ids.length > 0 ? (
        <TableScroll label="Workers">
          <table>
            <thead>
              <tr>
                <th scope="col">Worker</th>
                <th scope="col">Queues</th>
                <th scope="col">Last seen</th>
                <th scope="col">Running now</th>
              </tr>
            </thead>
            <tbody>
              {ids.map((id) => {
                const w = seen.find((s) => s.id === id);
                const jobs = byWorker.get(id) ?? [];
                return (
                  <tr key={id}>
                    <th scope="row" class="mono">{id}</th>
                    <td>{w ? w.queues.join(", ") : [...new Set(jobs.map((j) => j.queue))].join(", ")}</td>
                    <td>{w?.lastSeen ? ago(w.lastSeen, now) : "—"}</td>
                    <td>
                      {jobs.length === 0 ? (
                        <span class="muted">nothing</span>
                      ) : (
                        <ul class="inline-list">
                          {jobs.map((j) => (
                            <li key={j.id}>
                              <Link href={`/jobs/${encodeURIComponent(j.id)}`}>{j.type}</Link>
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
    </section>
  );
}
