// Overview: health with the reason of every check that is not healthy, throughput and failures
// over the last hour, depth by queue and by priority, run time by type, and the most frequent
// recent errors, each linking to the jobs with that error.
// Health and stats come from GET /api/v1/health and /api/v1/stats; on a server without them the
// view says so and still shows the queues.
import { useMemo } from "preact/hooks";
import { api } from "../api/client";
import { useLiveEvents } from "../api/live";
import type { Health, Queue, StateCounts, Stats } from "../api/types";
import { Chart } from "../components/chart";
import { Link } from "../components/link";
import { TableScroll } from "../components/table_scroll";
import { LoadError, Notice } from "../components/notice";
import { formatDuration, formatRate } from "../format";
import { useLoad, useThrottled } from "../hooks";
import { stateLook } from "../job_state";
import { isFilterableCode, jobFilterSearch } from "../query";
import { throughputSeries, timingOf } from "../stats_shape";

const kRefreshMs = 5000;

export function OverviewView() {
  const health = useLoad(() => api<Health>("/api/v1/health", { accept: [503] }), "health", kRefreshMs);
  const stats = useLoad(() => api<Stats>("/api/v1/stats?window=1h"), "stats", kRefreshMs);
  const refresh = useThrottled(() => queues.reload(), 1000);
  const stream = useLiveEvents(refresh, refresh);
  const queues = useLoad(() => api<{ queues: Queue[] }>("/api/v1/queues"), "queues", stream === "unavailable" ? kRefreshMs : undefined);

  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Overview</h1>
      <HealthPanel health={health.data} error={health.error} />
      <StatsPanel stats={stats.data} error={stats.error} />
      <section class="card" aria-labelledby="depth-title">
        <h2 id="depth-title">Depth by queue</h2>
        <LoadError error={queues.error} what="the queues" />
        {queues.data ? <Depth rows={queues.data.queues} label="Queue" /> : null}
        <p>
          <Link href="/queues">Queues</Link>: every queue with its counts, pause and resume.
        </p>
      </section>
      {stats.data?.counts?.priorities && Object.keys(stats.data.counts.priorities).length > 0 ? (
        <section class="card" aria-labelledby="priority-title">
          <h2 id="priority-title">Depth by priority</h2>
          <Depth
            rows={Object.entries(stats.data.counts.priorities).map(([name, counts]) => ({ name, counts }))}
            label="Priority"
          />
        </section>
      ) : null}
    </section>
  );
}

function HealthPanel(props: { health: Health | undefined; error: unknown }) {
  const h = props.health;
  const bad = h?.checks.filter((c) => c.status !== "healthy") ?? [];
  return (
    <section class="card" aria-labelledby="health-title">
      <h2 id="health-title">Health</h2>
      <LoadError error={props.error} what="Health (GET /api/v1/health)" />
      {h ? (
        <>
          <p>
            <span class={`health health-${h.status}`}>{h.status}</span>{" "}
            {bad.length === 0 ? "Every check passes." : `${bad.length} of ${h.checks.length} checks need attention:`}
          </p>
          {bad.length > 0 ? (
            <ul class="checks">
              {bad.map((c) => (
                <li key={c.name}>
                  <span class={`health health-${c.status}`}>{c.status}</span> <strong>{c.name}</strong>: {c.message}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function StatsPanel(props: { stats: Stats | undefined; error: unknown }) {
  const s = props.stats;
  const points = useMemo(() => throughputSeries(s?.series), [s]);
  const chart = useMemo(
    () => ({
      times: points.map((p) => p.t),
      series: [
        { label: "completed", values: points.map((p) => p.completed), stroke: "#1b7f3b" },
        { label: "failed", values: points.map((p) => p.failed), stroke: "#b3261e" },
      ],
    }),
    [points],
  );
  return (
    <section class="card" aria-labelledby="stats-title">
      <h2 id="stats-title">Last hour</h2>
      <LoadError error={props.error} what="Statistics (GET /api/v1/stats)" />
      {s ? (
        <>
          <p>
            Success rate: <strong>{formatRate(s.success_rate)}</strong>
          </p>
          {points.length > 1 ? <Chart title="Completed and failed per minute" times={chart.times} series={chart.series} /> : null}
          {s.run_time && Object.keys(s.run_time).length > 0 ? (
            <TableScroll label="Run time by type">
              <table>
                <caption>Run time by type</caption>
                <thead>
                  <tr>
                    <th scope="col">Type</th>
                    <th scope="col" class="num">Mean</th>
                    <th scope="col" class="num">p50</th>
                    <th scope="col" class="num">p95</th>
                    <th scope="col" class="num">p99</th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(s.run_time).map(([type, summary]) => {
                    const t = timingOf(summary);
                    return (
                      <tr key={type}>
                        <th scope="row">{type}</th>
                        <td class="num">{formatDuration(t.mean)}</td>
                        <td class="num">{formatDuration(t.p50)}</td>
                        <td class="num">{formatDuration(t.p95)}</td>
                        <td class="num">{formatDuration(t.p99)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableScroll>
          ) : null}
          {s.errors && s.errors.length > 0 ? (
            <>
              <h3>Most frequent errors</h3>
              <ul class="errors">
                {s.errors.slice(0, 10).map((e) => (
                  <li key={e.code}>
                    <Link href={errorLink(e.code)}>
                      <code>{e.code}</code>
                    </Link>{" "}
                    × {e.count}: {e.message}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p class="muted">No errors in the last hour.</p>
          )}
        </>
      ) : null}
    </section>
  );
}

// The jobs whose last error has this code (failed, retrying or retried); a code the list cannot
// filter on links to its dead-letter group.
function errorLink(code: string): string {
  return isFilterableCode(code) ? `/jobs${jobFilterSearch({ error_code: code })}` : `/dead-letter#error-${encodeURIComponent(code)}`;
}

// Jobs waiting or running, by queue or by priority.
function Depth(props: { rows: { name: string; counts: StateCounts; paused?: boolean }[]; label: string }) {
  if (props.rows.length === 0) return <Notice>No queue has had a job yet.</Notice>;
  const ready = ["waiting", "queued", "scheduled", "running", "retrying"] as const;
  return (
    <TableScroll label={`Depth by ${props.label.toLowerCase()}`}>
      <table>
        <thead>
          <tr>
            <th scope="col">{props.label}</th>
            {ready.map((s) => (
              <th scope="col" class="num" key={s}>
                {stateLook(s).label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((q) => (
            <tr key={q.name}>
              <th scope="row">
                {q.name}
                {q.paused ? <span class="tag tag-paused">Paused</span> : null}
              </th>
              {ready.map((s) => (
                <td class="num" key={s}>
                  {q.counts[s] ?? 0}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
