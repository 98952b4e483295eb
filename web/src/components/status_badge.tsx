import { stateLook } from "../job_state";

export function StatusBadge(props: { status: string }) {
  const look = stateLook(props.status);
  return (
    <span class={`badge ${look.className}`} title={look.meaning} data-status={props.status}>
      <span aria-hidden="true" class="badge-icon">{look.icon}</span> {look.label}
    </span>
  );
}
