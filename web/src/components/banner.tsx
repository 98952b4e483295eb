import { useConnection } from "../hooks";

// Shown while the server does not answer; it goes by itself when the server is back.
export function ConnectionBanner() {
  const { lost } = useConnection();
  return (
    <div class={lost ? "banner" : "banner banner-hidden"} role="status" aria-live="polite" data-testid="connection-banner">
      {lost ? "Lost connection to the server — retrying…" : ""}
    </div>
  );
}
