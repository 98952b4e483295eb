// Job detail: the job's state, progress, attempts, data and trace id, live, and what can be done
// with it (cancel, retry, delete), each button saying what it will do.
import { useState } from "preact/hooks";
import { api, ApiError, describeError } from "../api/client";
import type { Attempt, Job } from "../api/types";
import { JsonBlock } from "../components/json_block";
import { Link } from "../components/link";
import { TableScroll } from "../components/table_scroll";
import { LoadError, Notice } from "../components/notice";
import { ProgressBar } from "../components/progress_bar";
import { StatusBadge } from "../components/status_badge";
import { formatDuration, formatTime, secondsBetween } from "../format";
import { useCountdown, useSession } from "../hooks";
import { isTerminal } from "../job_state";
import { navigate } from "../router";
import { may } from "../session";
import { Dependencies } from "./job_dependencies";
import { useLiveJob } from "./live_job";

export function JobDetailView(props: { id: string }) {
  const { job, error, refresh, setJob } = useLiveJob(props.id);
  if (error instanceof ApiError && error.status === 404) {
    return (
      <section>
        <h1>Job not found</h1>
        <Notice>
          There is no job {props.id}: it may have been deleted or pruned. <Link href="/jobs">All jobs</Link>
        </Notice>
      </section>
    );
  }
  return (
    <section aria-labelledby="job-title">
      <p class="crumbs">
        <Link href="/jobs">Jobs</Link> / <span class="mono">{props.id}</span>
      </p>
      <h1 id="job-title" class="job-title">
        <span>{job ? job.type : "Job"}</span> {job ? <StatusBadge status={job.status} /> : null}
      </h1>
      <LoadError error={error} what="the job" />
      {job ? (
        <>
          <Actions
            job={job}
            onChanged={(changed) => {
              if (changed) setJob(changed);
              refresh();
            }}
          />
          {job.cancel_requested ? (
            <Notice>A cancel was requested: the worker is asked to stop at its next heartbeat.</Notice>
          ) : null}
          {/* Waiting for parents is the Dependencies part's to tell. */}
          {job.not_ready && job.not_ready.code !== "parents" ? (
            <Notice>
              <span data-testid="not-ready" data-code={job.not_ready.code}>
                Not running yet: {job.not_ready.message}.
              </span>
            </Notice>
          ) : null}
          <ProgressSection job={job} />
          <Dependencies job={job} />
          {job.error ? (
            <section class="card" aria-labelledby="error-title">
              <h2 id="error-title">Last error</h2>
              <p class="error-text">
                <code>{job.error.code}</code>: {job.error.message}
                {job.error.retryable === false ? " (not retryable)" : ""}
              </p>
            </section>
          ) : null}
          <Fields job={job} />
          <Attempts attempts={job.attempts ?? []} />
          <section class="card" aria-label="Data">
            <JsonBlock title="Payload" value={job.payload} open />
            <JsonBlock title="Result" value={job.result} open />
            <JsonBlock title="Checkpoint" value={job.checkpoint} />
            <JsonBlock title="Metadata" value={job.metadata} />
            {job.parents && job.parents.length > 0 ? <JsonBlock title="Parents' results" value={job.parents} /> : null}
          </section>
        </>
      ) : null}
    </section>
  );
}

function ProgressSection(props: { job: Job }) {
  const { job } = props;
  const p = job.progress;
  const left = useCountdown(isTerminal(job.status) ? null : job.eta_s);
  return (
    <section class="card" aria-labelledby="progress-title">
      <h2 id="progress-title">Progress</h2>
      <ProgressBar progress={p} label={`Progress of ${job.id}`} />
      <dl class="facts">
        {p?.stage ? (
          <div class="fact">
            <dt>Stage</dt>
            <dd data-testid="progress-stage">{p.stage}</dd>
          </div>
        ) : null}
        {p?.message ? (
          <div class="fact">
            <dt>Message</dt>
            <dd data-testid="progress-message">{p.message}</dd>
          </div>
        ) : null}
        {left !== null ? (
          <div class="fact">
            <dt>Time left</dt>
            <dd data-testid="progress-eta">{left < 1 ? "any moment now" : `about ${formatDuration(Math.round(left))}`}</dd>
          </div>
        ) : null}
      </dl>
      {job.stages && job.stages.length > 0 ? (
        <ol class="stages" aria-label="Stages">
          {job.stages.map((s) => (
            <li key={s.name} class={`stage stage-${s.status}`}>
              <span aria-hidden="true">{s.status === "done" ? "✔" : s.status === "running" ? "▶" : "○"}</span> {s.name}
              <span class="muted"> ({s.status})</span>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}

function Fields(props: { job: Job }) {
  const j = props.job;
  const rows: [string, string | null | undefined][] = [
    ["Id", j.id],
    ["Queue", j.queue],
    ["Priority", String(j.priority)],
    ["Attempt", `${j.attempt} of ${j.max_attempts}`],
    ["Owner", j.owner],
    ["Worker", j.worker_id],
    ["Trace id", j.trace_id],
    ["Idempotency key", j.idempotency_key],
    ["Created (UTC)", formatTime(j.created_at)],
    ["Run at (UTC)", formatTime(j.run_at)],
    ["Started (UTC)", formatTime(j.started_at)],
    ["Lease expires (UTC)", j.lease_expires_at ? formatTime(j.lease_expires_at) : null],
    ["Ended (UTC)", j.completed_at ? formatTime(j.completed_at) : null],
  ];
  return (
    <section class="card" aria-labelledby="fields-title">
      <h2 id="fields-title">Details</h2>
      <dl class="facts">
        {rows
          .filter(([, v]) => v !== null && v !== undefined && v !== "")
          .map(([k, v]) => (
            <div class="fact" key={k}>
              <dt>{k}</dt>
              <dd class={k === "Id" || k === "Trace id" ? "mono" : undefined}>{v}</dd>
            </div>
          ))}
      </dl>
    </section>
  );
}

function Attempts(props: { attempts: Attempt[] }) {
  return (
    <section class="card" aria-labelledby="attempts-title">
      <h2 id="attempts-title">Attempts</h2>
      {props.attempts.length === 0 ? (
        <p class="muted">Not fetched by a worker yet.</p>
      ) : (
        <TableScroll label="Attempts">
          <table class="attempts">
            <thead>
              <tr>
                <th scope="col" class="num">#</th>
                <th scope="col">Outcome</th>
                <th scope="col">Worker</th>
                <th scope="col">Started (UTC)</th>
                <th scope="col">Took</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {props.attempts.map((a) => (
                <tr key={a.attempt}>
                  <td class="num">{a.attempt}</td>
                  <td>{a.outcome.replace("_", " ")}</td>
                  <td>{a.worker_id || <span class="muted">none given</span>}</td>
                  <td>{formatTime(a.started_at)}</td>
                  <td>{a.ended_at ? formatDuration(secondsBetween(a.started_at, a.ended_at)) : "running"}</td>
                  <td class="error-cell">
                    {a.error ? (
                      <>
                        <code>{a.error.code}</code>: {a.error.message}
                      </>
                    ) : (
                      <span class="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

function Actions(props: { job: Job; onChanged: (job: Job | undefined) => void }) {
  const { job } = props;
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const session = useSession();
  const path = `/api/v1/jobs/${encodeURIComponent(job.id)}`;

  const act = async (what: string, run: () => Promise<Job | undefined>) => {
    setBusy(true);
    setFailure(undefined);
    try {
      props.onChanged(await run());
    } catch (e) {
      setFailure(`Could not ${what}: ${describeError(e)}`);
    } finally {
      setBusy(false);
    }
  };
  // What the job's state allows, and the session too (a viewer is offered nothing).
  const cancellable = !isTerminal(job.status) && !job.cancel_requested && may(session, "cancel");
  const retryable = (job.status === "failed" || job.status === "cancelled") && may(session, "retry");
  const deletable = isTerminal(job.status) && may(session, "delete");
  if (!cancellable && !retryable && !deletable) return null;

  return (
    <section class="actions" aria-label="Actions">
      {cancellable ? (
        <div class="action">
          <button type="button" disabled={busy} onClick={() => void act("cancel", () => api<Job>(`${path}/cancel`, { method: "POST" }))}>
            Cancel job
          </button>
          <span class="muted">
            {job.status === "running"
              ? "Asks the worker to stop; the job ends cancelled unless it completes first."
              : "Cancels it now: it will not run."}
          </span>
        </div>
      ) : null}
      {retryable ? (
        <div class="action">
          <button type="button" disabled={busy} onClick={() => void act("retry", () => api<Job>(`${path}/retry`, { method: "POST" }))}>
            Retry job
          </button>
          <span class="muted">Queues it again with a fresh attempt budget; its history is kept.</span>
        </div>
      ) : null}
      {deletable && !confirmDelete ? (
        <div class="action">
          <button type="button" class="danger" disabled={busy} onClick={() => setConfirmDelete(true)}>
            Delete job…
          </button>
          <span class="muted">Removes the job and its history for good.</span>
        </div>
      ) : null}
      {deletable && confirmDelete ? (
        <div class="action" role="group" aria-label="Confirm delete">
          <span>Delete this job and its history for good?</span>
          <button
            type="button"
            class="danger"
            disabled={busy}
            onClick={() =>
              void act("delete", async () => {
                await api(path, { method: "DELETE" });
                navigate("/jobs");
                return undefined;
              })
            }
          >
            Delete for good
          </button>
          <button type="button" onClick={() => setConfirmDelete(false)}>
            Keep it
          </button>
        </div>
      ) : null}
      {failure ? <Notice kind="error">{failure}</Notice> : null}
    </section>
  );
}
