// The app shell: top bar, connection banner and the view the URL names.
import { useEffect } from "preact/hooks";
import { ConnectionBanner } from "./components/banner";
import { Link } from "./components/link";
import { TopBar } from "./components/top_bar";
import { useRoute, type Route } from "./router";
import { DeadLetterView } from "./views/dead_letter";
import { JobDetailView } from "./views/job_detail";
import { JobsView } from "./views/jobs";
import { OverviewView } from "./views/overview";
import { QueuesView } from "./views/queues";
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
  useEffect(() => {
    document.title = `${route.view === "job" ? route.id : kTitles[route.view]} · Corral`;
  }, [route]);
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <TopBar route={route} />
      <ConnectionBanner />
      <main id="main" tabIndex={-1}>
        <View route={route} />
      </main>
    </>
  );
}
