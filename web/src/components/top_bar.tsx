import type { Route } from "../router";
import { signOut, type SessionState } from "../session";
import { Link } from "./link";

const kLinks: { href: string; label: string; views: Route["view"][] }[] = [
  { href: "/", label: "Overview", views: ["overview"] },
  { href: "/queues", label: "Queues", views: ["queues"] },
  { href: "/jobs", label: "Jobs", views: ["jobs", "job"] },
  { href: "/dead-letter", label: "Dead letter", views: ["dead-letter"] },
  { href: "/workers", label: "Workers", views: ["workers"] },
];

export function TopBar(props: { route: Route; session: SessionState }) {
  const s = props.session;
  return (
    <header class="top-bar">
      <Link href="/" class="brand">
        Corral
      </Link>
      <nav aria-label="Main">
        <ul>
          {kLinks.map((l) => (
            <li key={l.href}>
              <Link href={l.href} current={l.views.includes(props.route.view)}>
                {l.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {s.kind === "signed-in" ? (
        <div class="who" data-testid="signed-in-as">
          <span>
            {s.session.key_name || s.session.key_id} · {s.session.role}
            {s.session.owner !== null ? ` · ${s.session.owner}` : ""}
          </span>
          <button type="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      ) : null}
    </header>
  );
}
