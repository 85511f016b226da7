import { type FormEvent, lazy, Suspense, useState } from "react";
import { apiPath, useApi } from "../api.ts";
import { ErrorNotice } from "../components/error-notice.tsx";
import { KpiTable, KpiTiles } from "../components/kpi-tiles.tsx";
import { scopeLocations, useSession } from "../session.tsx";
import type { ChartsAnswer, KpisAnswer, PeriodName } from "../types.ts";

// The chart library is its own chunk: the tiles show while it loads.
const ChartGrid = lazy(() => import("../components/charts.tsx").then((m) => ({ default: m.ChartGrid })));

const PERIODS: [PeriodName, string][] = [
  ["today", "Today"],
  ["week", "This week"],
  ["month", "This month"],
];

/** KPI tiles for today / this week / this month beside the targets, then the charts of a date range. */
export function OverviewPage() {
  const { user, scope } = useSession();
  const locations = scopeLocations(user, scope);
  const scopeName = scope ? (locations[0]?.name ?? "") : user.role === "manager" ? "Chain-wide" : "All my locations";
  return (
    <>
      <h1>Overview — {scopeName}</h1>
      <Kpis />
      <Charts />
    </>
  );
}

function Kpis() {
  const { user, scope } = useSession();
  const [period, setPeriod] = useState<PeriodName>("today");
  const { data, error, reload } = useApi<KpisAnswer>(apiPath("/api/kpis", { locationId: scope }));
  const p = data?.periods[period];
  const locations = scopeLocations(user, scope);
  const kpis = p && (scope ? p.locations[scope] : p.chain);
  const label = PERIODS.find(([k]) => k === period)![1];
  const range = scope && p?.ranges[scope];
  return (
    <section aria-labelledby="kpi-heading">
      <h2 id="kpi-heading">Key figures</h2>
      <div role="tablist" aria-label="Period" className="tabs">
        {PERIODS.map(([k, name]) => (
          <button key={k} type="button" role="tab" id={`period-${k}`} aria-selected={period === k} aria-controls="kpi-panel" onClick={() => setPeriod(k)}>
            {name}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="kpi-panel" aria-labelledby={`period-${period}`}>
        {error && <ErrorNotice message={`The figures could not be loaded. ${error}`} retry={reload} />}
        {!data && !error && <p aria-busy="true">Loading figures…</p>}
        {kpis && (
          <>
            <p className="hint">{range ? `${range.from} to ${range.to}, local dates.` : "Each location's own local dates, added up."}</p>
            <KpiTiles kpis={kpis} label={`${label}: ${scope ? (locations[0]?.name ?? "") : "all locations"}`} />
          </>
        )}
        {p && !scope && locations.length > 1 && <KpiTable caption={`${label} by location`} chain={p.chain} locations={locations} byLocation={p.locations} />}
      </div>
    </section>
  );
}

function Charts() {
  const { scope } = useSession();
  const [range, setRange] = useState<{ from: string; to: string } | null>(null);
  const { data, error, loading, reload } = useApi<ChartsAnswer>(apiPath("/api/charts", { locationId: scope, from: range?.from, to: range?.to }));

  function apply(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const from = String(f.get("from") ?? "");
    const to = String(f.get("to") ?? "");
    setRange(from && to ? { from, to } : null);
  }

  return (
    <section aria-labelledby="charts-heading">
      <h2 id="charts-heading">Charts</h2>
      <form className="inline-form" onSubmit={apply} aria-label="Chart range">
        <label>
          From <input type="date" name="from" defaultValue={data?.range.from} key={`from-${data?.range.from}`} />
        </label>
        <label>
          To <input type="date" name="to" defaultValue={data?.range.to} key={`to-${data?.range.to}`} />
        </label>
        <button type="submit">Show</button>
        {loading && <span aria-busy="true"> loading…</span>}
      </form>
      {error && <ErrorNotice message={`The charts could not be loaded. ${error}`} retry={reload} />}
      {data && (
        <Suspense fallback={<p aria-busy="true">Loading the charts…</p>}>
          <ChartGrid data={data} />
        </Suspense>
      )}
    </section>
  );
}
