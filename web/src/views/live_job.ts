// One job kept up to date. Reads it with GET; while it has not ended, follows its own event
// stream (GET /api/v1/jobs/{id}/events), patching the status and progress an event carries at
// once and reading the whole job again (attempts, times) at most twice a second. On a server
// without job streams it long-polls instead: GET ?wait=10&progress=1&updated_after=T, which
// answers on a change after the job shown, or, where those parameters are unknown (400), GET
// ?wait=1 once a second.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError, Unreachable } from "../api/client";
import { openEventStream } from "../api/event_stream";
import type { Job, JobEvent } from "../api/types";
import { useConnection } from "../hooks";
import { endsJob, isTerminal } from "../job_state";

const kRefetchMs = 500;
const kRetryMs = 2000;

function patch(job: Job | undefined, e: JobEvent): Job | undefined {
  if (!job) return job;
  const next: Job = { ...job, status: e.status ?? job.status };
  if (e.progress !== undefined) next.progress = e.progress;
  if (e.attempt !== undefined) next.attempt = e.attempt;
  return next;
}

export function useLiveJob(id: string) {
  const [job, setJob] = useState<Job | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [generation, setGeneration] = useState(0);
  const { recoveries } = useConnection();
  const jobRef = useRef<Job | undefined>(undefined);
  jobRef.current = job;

  useEffect(() => {
    let stopped = false;
    let closeStream: (() => void) | undefined;
    let refetchTimer: ReturnType<typeof setTimeout> | undefined;
    const path = `/api/v1/jobs/${encodeURIComponent(id)}`;

    const load = async (query = "") => {
      const j = await api<Job>(path + query);
      if (!stopped) {
        setJob(j);
        setError(undefined);
      }
      return j;
    };
    const refetchSoon = () => {
      if (refetchTimer !== undefined) return;
      refetchTimer = setTimeout(() => {
        refetchTimer = undefined;
        load().catch(() => {});
      }, kRefetchMs);
    };
    const poll = async () => {
      let withProgress = true;
      while (!stopped) {
        // updated_after: the job as this page shows it, so a change that landed before the
        // request reached the server answers it at once instead of waiting for the next one.
        const shown = jobRef.current?.updated_at;
        const query = !withProgress
          ? "?wait=1"
          : "?wait=10&progress=1" + (shown ? `&updated_after=${encodeURIComponent(shown)}` : "");
        try {
          const j = await load(query);
          jobRef.current = j; // the next request goes before React renders this one
          if (isTerminal(j.status)) return;
        } catch (e) {
          if (stopped) return;
          if (e instanceof ApiError && e.status === 400 && withProgress) {
            withProgress = false;
            continue;
          }
          if (!(e instanceof Unreachable)) setError(e);
          if (e instanceof ApiError && e.status === 404) return;
          await new Promise((r) => setTimeout(r, kRetryMs));
        }
      }
    };
    const follow = () => {
      closeStream = openEventStream(`${path}/events`, {
        onSnapshot: (j) => {
          setJob(j);
          if (isTerminal(j.status)) closeStream?.();
        },
        onEvent: (e) => {
          setJob((old) => patch(old, e));
          refetchSoon();
          // The server ends the stream after this one; closing first keeps the browser from
          // reconnecting to a stream that has nothing more to say.
          if (endsJob(e.kind)) closeStream?.();
        },
        onResync: () => void load().catch(() => {}),
        onStatus: (s) => {
          if (s !== "unavailable") return;
          closeStream?.();
          void poll();
        },
      });
    };

    load().then(
      (j) => {
        if (!stopped && !isTerminal(j.status)) follow();
      },
      (e: unknown) => {
        if (!stopped && !(e instanceof Unreachable)) setError(e);
      },
    );
    return () => {
      stopped = true;
      closeStream?.();
      clearTimeout(refetchTimer);
    };
  }, [id, generation, recoveries]);

  // After an action: read the job again and follow it if it runs again.
  const refresh = () => setGeneration((g) => g + 1);
  return { job, error, refresh, setJob };
}
