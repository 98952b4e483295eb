// The jobs of a list as a table (the Jobs and Dead letter views), each linking to its own view,
// with a checkbox per row when the view lets jobs be chosen for a bulk action.
import type { Job } from "../api/types";
import { formatTime } from "../format";
import { Link } from "./link";
import { StatusBadge } from "./status_badge";
import { TableScroll } from "./table_scroll";

export interface Selection {
  chosen: ReadonlySet<string>;
  set(ids: string[], on: boolean): void;
}

export function JobTable(props: { jobs: Job[]; selection?: Selection }) {
  const { jobs, selection } = props;
  const allChosen = selection !== undefined && jobs.length > 0 && jobs.every((j) => selection.chosen.has(j.id));
  return (
    <TableScroll label="Jobs">
      <table class="jobs">
        <thead>
          <tr>
            {selection ? (
              <th scope="col" class="pick">
                <input
                  type="checkbox"
                  aria-label="Select every job on this page"
                  checked={allChosen}
                  onChange={(e) => selection.set(jobs.map((j) => j.id), (e.currentTarget as HTMLInputElement).checked)}
                />
              </th>
            ) : null}
            <th scope="col">Job</th>
            <th scope="col">State</th>
            <th scope="col">Type</th>
            <th scope="col" class="wide">Queue</th>
            <th scope="col" class="wide">Last error</th>
            <th scope="col" class="num wide">Attempt</th>
            <th scope="col" class="wide">Created (UTC)</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr key={j.id} data-job-id={j.id}>
              {selection ? (
                <td class="pick">
                  <input
                    type="checkbox"
                    aria-label={`Select ${j.id}`}
                    checked={selection.chosen.has(j.id)}
                    onChange={(e) => selection.set([j.id], (e.currentTarget as HTMLInputElement).checked)}
                  />
                </td>
              ) : null}
              <td class="mono">
                <Link href={`/jobs/${encodeURIComponent(j.id)}`}>{j.id}</Link>
              </td>
              <td>
                <StatusBadge status={j.status} />
              </td>
              <td>{j.type}</td>
              <td class="wide">{j.queue}</td>
              <td class="wide error-cell" data-error-code={j.error?.code ?? ""}>
                {j.error ? <code title={j.error.message}>{j.error.code}</code> : <span class="muted">—</span>}
              </td>
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
