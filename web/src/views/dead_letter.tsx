// Dead letter: failed jobs grouped by error code, with retry-all and delete-all per group. It
// reads the newest 1000 failed jobs; each action goes job by job and says how many it changed.
import { useState } from "preact/hooks";
import { api, describeError } from "../api/client";
import { useLiveEvents } from "../api/live";
import type { JobPage } from "../api/types";
import { LoadError, Notice } from "../components/notice";
import { groupByError, type ErrorGroup } from "../groups";
import { useLoad, useThrottled } from "../hooks";
import { JobTable } from "./jobs";

const kMaxJobs = 1000;
const kShownPerGroup = 20;

export function DeadLetterView() {
  const refresh = useThrottled(() => failed.reload(), 1000);
  const stream = useLiveEvents((e) => (e.kind === "failed" || e.kind === "retried" || e.kind === "deleted" ? refresh() : undefined), refresh);
  const failed = useLoad(() => api<JobPage>(`/api/v1/jobs?status=failed&limit=${kMaxJobs}`), "failed", stream === "unavailable" ? 5000 : undefined);
  const groups = failed.data ? groupByError(failed.data.jobs) : undefined;
  return (
    <section aria-labelledby="dead-title">
      <h1 id="dead-title">Dead letter</h1>
      <p class="lead">Jobs that failed for good, grouped by their last error.</p>
      <LoadError error={failed.error} what="the failed jobs" />
      {groups && groups.length === 0 ? <Notice>No failed jobs.</Notice> : null}
      {failed.data?.next_cursor ? <Notice>Showing the newest {kMaxJobs} failed jobs.</Notice> : null}
      {groups?.map((g) => <Group group={g} key={g.code} onDone={failed.reload} />)}
    </section>
  );
}

function Group(props: { group: ErrorGroup; onDone: () => void }) {
  const g = props.group;
  const [confirm, setConfirm] = useState(false);
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const n = g.jobs.length;

  const each = async (verb: string, run: (path: string) => Promise<unknown>) => {
    setBusy(true);
    let done = 0;
    const failures: string[] = [];
    for (const job of g.jobs) {
      try {
        await run(`/api/v1/jobs/${encodeURIComponent(job.id)}`);
        done++;
      } catch (e) {
        failures.push(`${job.id}: ${describeError(e)}`);
      }
    }
    setStatus(`${verb} ${done} of ${n}.${failures.length ? ` Failed: ${failures.slice(0, 3).join("; ")}` : ""}`);
    setBusy(false);
    setConfirm(false);
    props.onDone();
  };

  const id = `error-${g.code}`;
  return (
    <section class="card" id={id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        <code>{g.code}</code> <span class="muted">({n} {n === 1 ? "job" : "jobs"})</span>
      </h2>
      {g.sample ? <p class="error-text">{g.sample}</p> : null}
      <div class="actions">
        <button type="button" disabled={busy} onClick={() => void each("Retried", (p) => api(`${p}/retry`, { method: "POST" }))}>
          Retry all {n}
        </button>
        {!confirm ? (
          <button type="button" class="danger" disabled={busy} onClick={() => setConfirm(true)}>
            Delete all {n}…
          </button>
        ) : (
          <span role="group" aria-label="Confirm delete">
            Delete these {n} jobs for good?{" "}
            <button type="button" class="danger" disabled={busy} onClick={() => void each("Deleted", (p) => api(p, { method: "DELETE" }))}>
              Delete {n} for good
            </button>{" "}
            <button type="button" onClick={() => setConfirm(false)}>
              Keep them
            </button>
          </span>
        )}
      </div>
      {status ? <p role="status">{status}</p> : null}
      <JobTable jobs={g.jobs.slice(0, kShownPerGroup)} />
      {n > kShownPerGroup ? <p class="muted">and {n - kShownPerGroup} more.</p> : null}
    </section>
  );
}
