// The dashboard's URLs. Each view has its own path and keeps its filters in the query string, so
// a link opens the same view; the server answers every such path with the app's index.html.
// Navigation uses the History API: no reload, and Back works.
import { useEffect, useState } from "preact/hooks";

export type Route =
  | { view: "overview" }
  | { view: "queues" }
  | { view: "jobs"; search: string }
  | { view: "job"; id: string }
  | { view: "dead-letter" }
  | { view: "workers" }
  | { view: "not-found"; path: string };

// Pure: unit-tested in router.test.ts.
export function routeOf(path: string, search: string): Route {
  const p = path.length > 1 ? path.replace(/\/+$/, "") : path;
  if (p === "/" || p === "/index.html") return { view: "overview" };
  if (p === "/queues") return { view: "queues" };
  if (p === "/jobs") return { view: "jobs", search };
  if (p === "/dead-letter") return { view: "dead-letter" };
  if (p === "/workers") return { view: "workers" };
  const job = /^\/jobs\/([^/]+)$/.exec(p);
  if (job) return { view: "job", id: decodeURIComponent(job[1]!) };
  return { view: "not-found", path };
}

const listeners = new Set<() => void>();

export function navigate(url: string) {
  if (url === location.pathname + location.search) return;
  history.pushState(null, "", url);
  listeners.forEach((l) => l());
  window.scrollTo(0, 0);
}

export function useRoute(): Route {
  const read = () => routeOf(location.pathname, location.search);
  const [route, setRoute] = useState<Route>(read);
  useEffect(() => {
    const update = () => setRoute(read());
    listeners.add(update);
    window.addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      window.removeEventListener("popstate", update);
    };
  }, []);
  return route;
}

// A click on an in-app link navigates without a reload; a click with a modifier (new tab) or
// another button is left to the browser.
export function followLink(event: MouseEvent, href: string) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return;
  }
  event.preventDefault();
  navigate(href);
}
