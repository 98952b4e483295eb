import type { Progress } from "../api/types";

// The job's progress as a bar with its percentage, current/total and message in words.
export function ProgressBar(props: { progress: Progress | null; label: string }) {
  const p = props.progress;
  const percent = p?.percent ?? (p?.total ? ((p.current ?? 0) / p.total) * 100 : null);
  const shown = percent === null || percent === undefined ? null : Math.max(0, Math.min(100, percent));
  const words = shown === null ? "no progress reported" : `${Number(shown.toFixed(1))} %`;
  return (
    <div class="progress">
      <div
        class="progress-track"
        role="progressbar"
        aria-label={props.label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={shown ?? undefined}
        aria-valuetext={words}
      >
        <div class="progress-fill" style={{ width: `${shown ?? 0}%` }} />
      </div>
      <span class="progress-text" data-testid="progress-percent">{words}</span>
      {p?.current !== null && p?.current !== undefined && p?.total ? (
        <span class="progress-count">
          {p.current} of {p.total}
        </span>
      ) : null}
    </div>
  );
}
