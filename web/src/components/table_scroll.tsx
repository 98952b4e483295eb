import type { ComponentChildren } from "preact";

// A wide table scrolls sideways on a narrow screen; the box can take focus so that the keyboard
// scrolls it too, and is named for screen readers.
export function TableScroll(props: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={props.label}>
      {props.children}
    </div>
  );
}
