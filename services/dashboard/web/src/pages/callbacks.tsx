import { useState } from "react";
import { Link } from "wouter";
import { api, apiPath, describeError, useApi } from "../api.ts";
import { ErrorNotice } from "../components/error-notice.tsx";
import { formatLocalTime, locationName, words } from "../format.ts";
import { timezoneOf, useSession } from "../session.tsx";
import type { Callback } from "../types.ts";

type Action = "called_back" | "done" | "reopen";
const ACTION_TEXT: Record<Action, string> = { called_back: "Called back", done: "Done", reopen: "Reopen" };
const SHOWN = [
  ["open", "Open"],
  ["done", "Done"],
  ["all", "All"],
] as const;

/** Callers waiting for a call from staff: "called back" or "done" closes a request, "reopen" opens it again. */
export function CallbacksPage() {
  const { user, scope } = useSession();
  const [state, setState] = useState<(typeof SHOWN)[number][0]>("open");
  const { data, error, reload } = useApi<{ callbacks: Callback[] }>(apiPath("/api/callbacks", { locationId: scope, state }));
  const [actionError, setActionError] = useState<string>();

  const act = async (cb: Callback, action: Action, note: string) => {
    try {
      await api.post(`/api/callbacks/${cb.id}/state`, { action, ...(note.trim() ? { note: note.trim() } : {}) });
      setActionError(undefined);
      reload();
    } catch (err) {
      setActionError(`The request could not be updated: ${describeError(err)}`);
    }
  };

  return (
    <>
      <h1>Callback requests</h1>
      <label htmlFor="callback-state">Show</label>{" "}
      <select id="callback-state" value={state} onChange={(e) => setState(e.target.value as typeof state)}>
        {SHOWN.map(([v, name]) => (
          <option key={v} value={v}>
            {name}
          </option>
        ))}
      </select>
      {actionError && <ErrorNotice message={actionError} />}
      {error && <ErrorNotice message={`The callback requests could not be loaded. ${error}`} retry={reload} />}
      {!data && !error && <p aria-busy="true">Loading the callback requests…</p>}
      {data && data.callbacks.length === 0 && <p className="empty">No {state === "all" ? "" : `${state} `}callback requests.</p>}
      <ul className="callbacks">
        {data?.callbacks.map((cb) => (
          <li key={cb.id}>
            <CallbackCard cb={cb} timezone={timezoneOf(user, cb.locationId)} location={!scope && user.locations.length > 1 ? locationName(user.locations, cb.locationId) : undefined} onAction={act} />
          </li>
        ))}
      </ul>
    </>
  );
}

function CallbackCard({ cb, timezone, location, onAction }: { cb: Callback; timezone: string | undefined; location: string | undefined; onAction: (cb: Callback, a: Action, note: string) => Promise<void> }) {
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const actions: Action[] = cb.state === "open" ? ["called_back", "done"] : ["reopen"];
  const run = (a: Action) => {
    setBusy(true);
    onAction(cb, a, note).finally(() => setBusy(false));
  };
  return (
    <article className="card" aria-label={`Callback request from ${cb.callerPhone}`}>
      <h3>
        {cb.callerPhone} <span className={`badge state-${cb.state}`}>{cb.state}</span>
      </h3>
      <p className="meta">
        {words(cb.reason)}
        {cb.cause ? ` · ${words(cb.cause)}` : ""} · asked {formatLocalTime(cb.createdAt, timezone)}
        {cb.expectedBy ? ` · call back by ${formatLocalTime(cb.expectedBy, timezone)}` : ""}
        {location ? ` · ${location}` : ""}
      </p>
      {cb.summary && <p>{cb.summary}</p>}
      {cb.state === "done" && (
        <p className="meta">
          done {formatLocalTime(cb.doneAt, timezone)} by {cb.doneBy ?? "—"}
          {cb.note ? `: ${cb.note}` : ""}
        </p>
      )}
      {cb.callId && <Link href={`/calls/${cb.callId}`}>Open the call</Link>}
      <div className="actions">
        <label>
          Note <input value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
        </label>
        {actions.map((a) => (
          <button key={a} type="button" disabled={busy} onClick={() => run(a)}>
            {ACTION_TEXT[a]}
          </button>
        ))}
      </div>
    </article>
  );
}
