import { prettyJson } from "../format";

// A JSON value under a heading that opens and closes (a <details>, so the keyboard works).
export function JsonBlock(props: { title: string; value: unknown; open?: boolean }) {
  const empty = props.value === null || props.value === undefined;
  return (
    <details class="json" open={props.open && !empty}>
      <summary>
        {props.title}
        {empty ? <span class="muted"> (none)</span> : null}
      </summary>
      <pre tabIndex={0}>{prettyJson(props.value)}</pre>
    </details>
  );
}
