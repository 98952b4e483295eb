// Dead letter: failed jobs grouped by their last error's code, with retry-all and delete-all per
// group. The groups come from the newest 1000 failed jobs; each group then reads its own count
// (bounded, as the list counts) and newest jobs by filter, and its actions go to the server as
// one bulk action on that filter (status failed and the error code), counted before they are done.
// A code outside the filter syntax (and jobs without an error) can only be acted on by id: those
// groups act on the jobs read.
import { useEffect, useState } from "preact/hooks";
import { api } from "../api/client";
import { useLiveEvents } from "../api/live";
import type { JobPage } from "../api/types";
import { BulkActions } from "../components/bulk_actions";
import { JobTable } from "../components/job_table";
import { Link } from "../components/link";
import { LoadError, Notice } from "../components/notice";
import { jobCount } from "../format";
import { groupByError, kNoError, type ErrorGroup } from "../groups";
import { useLoad, useThrottled } from "../hooks";
import { isFilterableCode, jobFilterSearch, jobListPath } from "../query";

const kMaxJobs = 1000;
const kShownPerGroup = 20;
const kGroupKinds = new Set(["failed", "retried", "deleted", "pruned"]);

export function DeadLetterView() {
  const [generation, setGeneration] = useState(0);
  // What the last group action did: said here, since a group its action emptied is gone.
  const [said, setSaid] = useState("");
  const reload = () => {
    failed.reload();
    setGeneration((g) => g + 1);
  };
  const refresh = useThrottled(reload, 1000);
  const stream = useLiveEvents((e) => (kGroupKinds.has(e.kind) ? refresh() : undefined), refresh);
  const failed = useLoad(
    () => api<JobPage>(`/api/v1/jobs?status=failed&view=summary&limit=${kMaxJobs}`),
    "failed",
    stream === "unavailable" ? 5000 : undefined,
  );
  const groups = failed.data ? groupByError(failed.data.jobs) : undefined;
  return (
    <section aria-labelledby="dead-title">
      <h1 id="dead-title">Dead letter</h1>
      <p class="lead">Jobs that failed for good, grouped by their last error.</p>
      <LoadError error={failed.error} what="the failed jobs" />
      {groups && groups.length === 0 ? <Notice>No failed jobs.</Notice> : null}
      {failed.data?.next_cursor ? (
        <Notice>The groups are those of the newest {kMaxJobs} failed jobs; each group counts all of its own.</Notice>
      ) : null}
      <p role="status" class="bulk-result">
        {said}
      </p>
      {groups?.map((g) => (
        <Group
          group={g}
          key={g.code}
          generation={generation}
          onDone={(text) => {
            setSaid(`${g.code}: ${text}`);
            reload();
          }}
        />
      ))}
    </section>
  );
}

function Group(props: { group: ErrorGroup; generation: number; onDone: (said: string) => void }) {
  const g = props.group;
  const byFilter = g.code !== kNoError && isFilterableCode(g.code);
  const filter = { status: "failed", error_code: g.code };
  const own = useLoad(
    () => (byFilter ? api<JobPage>(jobListPath({ status: ["failed"], error_code: g.code }, kShownPerGroup)) : Promise.resolve(undefined)),
    g.code,
  );
  useEffect(() => {
    if (props.generation > 0) own.reload();
  }, [props.generation]);

  const jobs = own.data?.jobs ?? g.jobs;
  const total = own.data?.total ?? g.jobs.length;
  const id = `error-${encodeURIComponent(g.code)}`;
  return (
    <section class="card" id={id} aria-labelledby={`${id}-title`} data-error-group={g.code}>
      <h2 id={`${id}-title`}>
        <code>{g.code}</code>{" "}
        <span class="muted" data-testid="group-total">
          ({jobCount(total, own.data?.total_exact)})
        </span>
      </h2>
      {g.sample ? <p class="error-text">{g.sample}</p> : null}
      <LoadError error={own.error} what={`the jobs failed with ${g.code}`} />
      <BulkActions
        label={`Act on the jobs failed with ${g.code}`}
        actions={["retry", "delete"]}
        scopes={[
          {
            label: "all in this group",
            description: `failed with ${g.code}`,
            target: byFilter ? { filter } : { ids: g.jobs.map((j) => j.id) },
          },
        ]}
        onDone={props.onDone}
      />
      <JobTable jobs={jobs.slice(0, kShownPerGroup)} />
      {total > kShownPerGroup ? (
        <p>
          {byFilter ? (
            <Link href={`/jobs${jobFilterSearch({ status: ["failed"], error_code: g.code })}`}>See all of them in Jobs</Link>
          ) : (
            <span class="muted">and {total - kShownPerGroup} more.</span>
          )}
        </p>
      ) : null}
    </section>
  );
}
