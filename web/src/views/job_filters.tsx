// The Jobs view's filter form. It holds no state of its own: Apply writes the filter into the
// URL, and the form is drawn again from the URL (keyed by it, so Back and links show their values).
import { JOB_STATES, type JobState } from "../api/types";
import { Link } from "../components/link";
import { fromTimeInput, toTimeInput } from "../format";
import { stateLook } from "../job_state";
import { jobFilterSearch, withCursor, type JobFilter, type Sort } from "../query";
import { navigate } from "../router";

const kSortLabels: Record<Sort, string> = {
  newest: "Newest first",
  oldest: "Oldest first",
  updated: "Recently updated first",
};

const kTextInputs = [
  { name: "queue", label: "Queue" },
  { name: "type", label: "Type" },
  { name: "owner", label: "Owner" },
  { name: "error_code", label: "Error code" },
  { name: "error_text", label: "Error text contains" },
] as const;

function readForm(form: HTMLFormElement): JobFilter {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? "").trim() || undefined;
  const filter: JobFilter = {};
  const states = data.getAll("status").map(String) as JobState[];
  if (states.length > 0) filter.status = states;
  for (const { name } of kTextInputs) {
    const value = text(name);
    if (value) filter[name] = value;
  }
  for (const name of ["created_after", "created_before"] as const) {
    const value = fromTimeInput(text(name) ?? "");
    if (value) filter[name] = value;
  }
  const sort = text("sort") as Sort | undefined;
  if (sort && sort !== "newest") filter.sort = sort;
  return filter;
}

export function FilterForm(props: { filter: JobFilter }) {
  const f = props.filter;
  const submit = (e: Event) => {
    e.preventDefault();
    navigate(`/jobs${jobFilterSearch(readForm(e.currentTarget as HTMLFormElement))}`);
  };
  return (
    <form class="filters" onSubmit={submit} key={jobFilterSearch(withCursor(f, undefined))} aria-label="Filter jobs">
      <fieldset class="states">
        <legend>State</legend>
        {JOB_STATES.map((s) => (
          <label class="check" key={s}>
            <input type="checkbox" name="status" value={s} checked={f.status?.includes(s) ?? false} /> {stateLook(s).label}
          </label>
        ))}
      </fieldset>
      {kTextInputs.map(({ name, label }) => (
        <label key={name}>
          {label}
          <input name={name} value={f[name] ?? ""} autocomplete="off" />
        </label>
      ))}
      <label>
        Created from (UTC)
        <input type="datetime-local" name="created_after" value={toTimeInput(f.created_after)} />
      </label>
      <label>
        Created before (UTC)
        <input type="datetime-local" name="created_before" value={toTimeInput(f.created_before)} />
      </label>
      <label>
        Sort
        <select name="sort" value={f.sort ?? "newest"}>
          {(Object.keys(kSortLabels) as Sort[]).map((s) => (
            <option value={s} key={s}>
              {kSortLabels[s]}
            </option>
          ))}
        </select>
      </label>
      <div class="filter-actions">
        <button type="submit" class="primary">
          Apply filters
        </button>
        <Link href="/jobs" class="button-link">
          Clear
        </Link>
      </div>
    </form>
  );
}
