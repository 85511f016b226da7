import { CallDisposition, ConversationEngine, EscalationReason } from "@orderline/contracts";
import { type FormEvent, useState } from "react";
import { Link, useLocation, useSearch } from "wouter";
import { apiPath, useApi } from "../api.ts";
import { ErrorNotice } from "../components/error-notice.tsx";
import { formatLocalTime, formatMicros, formatSeconds, locationName, words } from "../format.ts";
import { timezoneOf, useSession } from "../session.tsx";
import type { CallsAnswer } from "../types.ts";

const FILTERS = ["from", "to", "outcome", "transferReason", "hasOrder", "engine", "q"] as const;
const PAGE_SIZE = "25";

function Select({ name, label, value, options }: { name: string; label: string; value: string; options: readonly string[] }) {
  const id = `filter-${name}`;
  return (
    <span className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value}>
        <option value="">any</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {words(o)}
          </option>
        ))}
      </select>
    </span>
  );
}

/** The calls of the scope, newest first: filters and search in the address (so "back" keeps them), keyset pages. */
export function CallsPage() {
  const { user, scope } = useSession();
  const search = new URLSearchParams(useSearch());
  const [, navigate] = useLocation();
  const filters = Object.fromEntries(FILTERS.map((k) => [k, search.get(k) ?? ""])) as Record<(typeof FILTERS)[number], string>;
  // Cursors of the pages before this one (the first page has none); another scope or filter starts at page 1.
  const pagerKey = `${scope}?${search}`;
  const [pager, setPager] = useState<{ key: string; cursors: string[] }>({ key: pagerKey, cursors: [] });
  const cursors = pager.key === pagerKey ? pager.cursors : [];
  const setCursors = (f: (cs: string[]) => string[]) => setPager({ key: pagerKey, cursors: f(cursors) });
  const cursor = cursors.at(-1);
  const { data, error, loading, reload } = useApi<CallsAnswer>(apiPath("/api/calls", { ...filters, locationId: scope, cursor, limit: PAGE_SIZE }));
  const showLocation = !scope && user.locations.length > 1;

  function apply(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const k of FILTERS) {
      const v = String(f.get(k) ?? "").trim();
      if (v) next.set(k, v);
    }
    navigate(`/calls${next.size ? `?${next}` : ""}`);
  }

  return (
    <>
      <h1>Calls</h1>
      <form className="filters" onSubmit={apply} aria-label="Filter calls" key={search.toString()}>
        <label>
          Search
          <input type="search" name="q" defaultValue={filters.q} placeholder="phone, order # or call SID" maxLength={100} />
        </label>
        <label>
          From <input type="date" name="from" defaultValue={filters.from} />
        </label>
        <label>
          To <input type="date" name="to" defaultValue={filters.to} />
        </label>
        <Select name="outcome" label="Outcome" value={filters.outcome} options={CallDisposition.options} />
        <Select name="transferReason" label="Transfer reason" value={filters.transferReason} options={EscalationReason.options} />
        <span className="field">
          <label htmlFor="filter-hasOrder">Order</label>
          <select id="filter-hasOrder" name="hasOrder" defaultValue={filters.hasOrder}>
            <option value="">any</option>
            <option value="true">with an order</option>
            <option value="false">without an order</option>
          </select>
        </span>
        <Select name="engine" label="Engine" value={filters.engine} options={[...ConversationEngine.options, "unknown"]} />
        <button type="submit">Apply</button>
      </form>
      {error && <ErrorNotice message={`The calls could not be loaded. ${error}`} retry={reload} />}
      {!data && !error && <p aria-busy="true">Loading the calls…</p>}
      {data && (
        <>
          <p className="hint">
            {data.range.from} to {data.range.to}
            {loading ? " — loading…" : ""}
          </p>
          <table className="calls">
            <caption className="visually-hidden">Calls, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Started</th>
                {showLocation && <th scope="col">Location</th>}
                <th scope="col">Caller</th>
                <th scope="col">Duration</th>
                <th scope="col">Outcome</th>
                <th scope="col">Transfer reason</th>
                <th scope="col">Engine</th>
                <th scope="col">Orders</th>
                <th scope="col">Cost</th>
              </tr>
            </thead>
            <tbody>
              {data.calls.map((c) => {
                const when = formatLocalTime(c.startedAt, timezoneOf(user, c.locationId));
                return (
                  <tr key={c.id}>
                    <td>
                      <Link href={`/calls/${c.id}`} aria-label={`Call at ${when} from ${c.from}`}>
                        {when}
                      </Link>
                    </td>
                    {showLocation && <td>{locationName(user.locations, c.locationId)}</td>}
                    <td>{c.from}</td>
                    <td>{formatSeconds(c.durationSeconds)}</td>
                    <td>
                      <span className={`badge outcome-${c.outcome}`}>{words(c.outcome)}</span>
                    </td>
                    <td>{words(c.transferReason)}</td>
                    <td>{words(c.engine)}</td>
                    <td>{c.orderNumbers.map((n) => `#${n}`).join(", ") || "—"}</td>
                    <td>{formatMicros(c.totalCostMicros)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {data.calls.length === 0 && <p className="empty">No calls match.</p>}
          <nav aria-label="Pages" className="pager">
            <button type="button" disabled={cursors.length === 0} onClick={() => setCursors((cs) => cs.slice(0, -1))}>
              Previous page
            </button>
            <span>Page {cursors.length + 1}</span>
            <button type="button" disabled={!data.nextCursor} onClick={() => data.nextCursor && setCursors((cs) => [...cs, data.nextCursor!])}>
              Next page
            </button>
          </nav>
        </>
      )}
    </>
  );
}
