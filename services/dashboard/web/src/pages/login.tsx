import { type FormEvent, useState } from "react";
import { api, describeError } from "../api.ts";
import type { Session } from "../types.ts";

/** E-mail and password; the API's refusal (wrong credentials, too many attempts) is shown as it words it. */
export function LoginPage({ onSignedIn, notice }: { onSignedIn: (s: Session) => void; notice?: string | undefined }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await api.post<Session>("/api/auth/login", { email: String(form.get("email")), password: String(form.get("password")) }));
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <h1>OrderLine dashboard</h1>
      {notice && !error && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <form onSubmit={submit} aria-label="Sign in">
        <label>
          E-mail
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
