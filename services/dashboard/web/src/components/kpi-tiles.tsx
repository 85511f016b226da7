import { formatCents, formatCount, formatMicros, formatPercent, formatSeconds, formatTarget, targetState } from "../format.ts";
import type { Kpis, Location, Targeted } from "../types.ts";

const score = (n: number) => `${n.toFixed(2)} / 5`;

interface Figure {
  label: string;
  /** The headline value as shown. */
  value: (k: Kpis) => string;
  /** A line under it (breakdown, comparison). */
  detail?: (k: Kpis) => string | null;
  /** The seed's target this figure is judged against. */
  targeted?: (k: Kpis) => Targeted;
  unit?: (n: number) => string;
}

const FIGURES: Figure[] = [
  { label: "Calls", value: (k) => formatCount(k.calls), detail: (k) => `${k.completedCalls} completed · ${k.transferredCalls} transferred · ${k.abandonedCalls} abandoned` },
  { label: "Voice orders", value: (k) => formatCount(k.voiceOrders) },
  { label: "Voice revenue", value: (k) => formatCents(k.voiceRevenueCents) },
  { label: "Completion rate", value: (k) => formatPercent(k.completionRate.value), targeted: (k) => k.completionRate, unit: formatPercent },
  { label: "Conversion rate", value: (k) => formatPercent(k.conversionRate.value), targeted: (k) => k.conversionRate, unit: formatPercent },
  { label: "Transfer rate", value: (k) => formatPercent(k.transferRate.value), targeted: (k) => k.transferRate, unit: formatPercent },
  { label: "Average call", value: (k) => formatSeconds(k.averageCallSeconds.value), targeted: (k) => k.averageCallSeconds, unit: formatSeconds },
  { label: "Average order value", value: (k) => `${formatCents(k.averageOrderValueCents.voice)} voice`, detail: (k) => `${formatCents(k.averageOrderValueCents.other)} other channels` },
  { label: "Cost per call", value: (k) => formatMicros(k.costPerCallMicros) },
  { label: "Cost per order", value: (k) => formatMicros(k.costPerOrderMicros) },
  { label: "After-hours calls", value: (k) => formatPercent(k.afterHoursShare) },
  {
    label: "Satisfaction",
    value: (k) => (k.satisfaction.enabled ? (k.satisfaction.value === null ? "—" : score(k.satisfaction.value)) : "survey off"),
    detail: (k) => (k.satisfaction.enabled ? `${k.satisfaction.responses} replies` : "no location here sends the SMS survey"),
    targeted: (k) => k.satisfaction,
    unit: score,
  },
];

const STATE_TEXT = { met: "target met", missed: "target missed", none: "nothing to measure yet" } as const;

function Tile({ figure, kpis }: { figure: Figure; kpis: Kpis }) {
  const t = figure.targeted?.(kpis);
  const state = t ? targetState(t) : undefined;
  const id = `tile-${figure.label.toLowerCase().replaceAll(/[^a-z]+/g, "-")}`;
  const detail = figure.detail?.(kpis);
  return (
    <article aria-labelledby={id} className={`tile${state ? ` target-${state}` : ""}`}>
      <h3 id={id}>{figure.label}</h3>
      <p className="tile-value">{figure.value(kpis)}</p>
      {detail && <p className="tile-detail">{detail}</p>}
      {t && state && figure.unit && (
        <p className="tile-target">
          {formatTarget(t.target, figure.unit)} · <span>{STATE_TEXT[state]}</span>
        </p>
      )}
    </article>
  );
}

/** One scope's KPI tiles; targeted figures are green when met, red when missed. */
export function KpiTiles({ kpis, label }: { kpis: Kpis; label: string }) {
  return (
    <section aria-label={label} className="tiles">
      {FIGURES.map((f) => (
        <Tile key={f.label} figure={f} kpis={kpis} />
      ))}
    </section>
  );
}

/** The same figures side by side for each location of the scope (and the chain). */
export function KpiTable({ chain, locations, byLocation, caption }: { chain: Kpis; locations: Location[]; byLocation: Record<string, Kpis>; caption: string }) {
  const columns = [{ id: "chain", name: "Chain", kpis: chain }, ...locations.map((l) => ({ id: l.id, name: l.name, kpis: byLocation[l.id] }))];
  return (
    <table className="kpi-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Figure</th>
          {columns.map((c) => (
            <th scope="col" key={c.id}>
              {c.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {FIGURES.map((f) => (
          <tr key={f.label}>
            <th scope="row">{f.label}</th>
            {columns.map((c) => {
              const t = c.kpis && f.targeted?.(c.kpis);
              const state = t ? targetState(t) : undefined;
              return (
                <td key={c.id} className={state ? `target-${state}` : undefined} title={state ? STATE_TEXT[state] : undefined}>
                  {c.kpis ? f.value(c.kpis) : "—"}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
