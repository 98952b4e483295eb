// Failed jobs grouped by error code, largest group first, for the dead-letter view. Pure:
// unit-tested in groups.test.ts.
import type { Job } from "./api/types";

export interface ErrorGroup {
  code: string;
  sample: string; // the newest job's message
  jobs: Job[];
}

export const kNoError = "(no error recorded)";

export function groupByError(jobs: Job[]): ErrorGroup[] {
  const groups = new Map<string, ErrorGroup>();
  for (const job of jobs) {
    const code = job.error?.code ?? kNoError;
    let group = groups.get(code);
    if (!group) {
      group = { code, sample: job.error?.message ?? "", jobs: [] };
      groups.set(code, group);
    }
    group.jobs.push(job);
  }
  return [...groups.values()].sort((a, b) => b.jobs.length - a.jobs.length || a.code.localeCompare(b.code));
}
