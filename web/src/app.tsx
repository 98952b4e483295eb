// The app shell: top bar, connection banner and the view the URL names.
import { useEffect } from "preact/hooks";
import { ConnectionBanner } from "./components/banner";
import { Link } from "./components/link";
import { TopBar } from "./components/top_bar";
import { useSession } from "./hooks";
import { useRoute, type Route } from "./router";
import { loadSession } from "./session";
import { DeadLetterView } from "./views/dead_letter";
import { JobDetailView } from "./views/job_detail";
import { JobsView } from "./views/jobs";
import { OverviewView } from "./views/overview";
import { QueuesView } from "./views/queues";
import { SignInView } from "./views/sign_in";
import { WorkersView } from "./views/workers";

const kTitles: Record<Route["view"], string> = {
  overview: "Overview",
  queues: "Queues",
  jobs: "Jobs",
  job: "Job",
  "dead-letter": "Dead letter",
  workers: "Workers",
  "not-found": "Not found",
};

function View(props: { route: Route }) {
  const r = props.route;
  switch (r.view) {
    case "overview":
      return <OverviewView />;
    case "queues":
      return <QueuesView />;
    case "jobs":
      return <JobsView search={r.search} />;
    case "job":
      return <JobDetailView id={r.id} key={r.id} />;
    case "dead-letter":
      return <DeadLetterView />;
    case "workers":
      return <WorkersView />;
    case "not-found":
      return (
        <section>
          <h1>Page not found</h1>
          <p>
            Nothing here at {r.path}. <Link href="/">Go to the overview</Link>.
          </p>
        </section>
      );
  }
}

export function App() {
  const route = useRoute();
  const session = useSession();
  useEffect(() => void loadSession(), []);
  useEffect(() => {
    document.title = session.kind === "signed-out" ? "Sign in · Corral" : `${route.view === "job" ? route.id : kTitles[route.view]} · Corral`;
  }, [route, session.kind]);
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <TopBar route={route} session={session} />
      <ConnectionBanner />
      <main id="main" tabIndex={-1}>
        {session.kind === "signed-out" ? <SignInView reason={session.reason} /> : null}
        {session.kind === "open" || session.kind === "signed-in" ? <View route={route} /> : null}
      </main>
    </>
  );
}
