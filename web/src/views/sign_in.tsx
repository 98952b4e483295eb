// The sign-in form of a server with API keys: the key is sent once, to POST /api/v1/session, and
// is not kept by the page; the browser keeps the session cookie instead.
import { useState } from "preact/hooks";
import { Notice } from "../components/notice";
import { signIn } from "../session";

export function SignInView(props: { reason?: string | undefined }) {
  const [key, setKey] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | undefined>(undefined);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setFailure(await signIn(key.trim()));
    setBusy(false);
  };

  return (
    <section class="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      <p class="lead">This server requires an API key. A viewer key shows everything read-only; a producer or admin key can also act on jobs.</p>
      {props.reason ? <Notice>{props.reason}</Notice> : null}
      <form onSubmit={(e) => void submit(e)}>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="key"
          type="password"
          autocomplete="current-password"
          required
          value={key}
          onInput={(e) => setKey((e.target as HTMLInputElement).value)}
        />
        <button type="submit" disabled={busy || key.trim() === ""}>
          Sign in
        </button>
      </form>
      {failure ? <Notice kind="error">Could not sign in: {failure}</Notice> : null}
    </section>
  );
}
