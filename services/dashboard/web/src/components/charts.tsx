import { ArcElement, BarElement, CategoryScale, Chart as ChartJS, type ChartOptions, Legend, LinearScale, Tooltip } from "chart.js";
import { MatrixController, MatrixElement } from "chartjs-chart-matrix";
import type { ReactNode } from "react";
import { Bar, Chart, Doughnut } from "react-chartjs-2";
import { formatMicros, words } from "../format.ts";
import type { ChartsAnswer, Engine } from "../types.ts";

ChartJS.register(CategoryScale, LinearScale, BarElement, ArcElement, Tooltip, Legend, MatrixController, MatrixElement);

const COLORS = { completed: "#2e7d32", transferred: "#ef6c00", abandoned: "#c62828", other: "#757575" } as const;
const ENGINE_COLORS: Record<Engine, string> = { realtime: "#1565c0", openai_text: "#6a1b9a", local: "#00838f", unknown: "#9e9e9e" };
const ENGINE_NAMES: Record<Engine, string> = { realtime: "Realtime (speech)", openai_text: "OpenAI text", local: "Local agent", unknown: "Unknown" };
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, "0"));

const stacked: ChartOptions<"bar"> = {
  responsive: true,
  maintainAspectRatio: false,
  animation: false,
  scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
};

/** A chart with its heading; the canvas carries a sentence saying what it shows (screen readers, tests). */
function Figure({ title, summary, children, empty }: { title: string; summary: string; children: ReactNode; empty?: boolean }) {
  const id = `chart-${title.toLowerCase().replaceAll(/[^a-z]+/g, "-")}`;
  return (
    <figure className="chart" aria-labelledby={id}>
      <figcaption id={id}>{title}</figcaption>
      <p className="chart-summary">{summary}</p>
      {empty ? <p className="empty">Nothing in this range.</p> : <div className="chart-canvas">{children}</div>}
    </figure>
  );
}

const total = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const shortDate = (d: string) => d.slice(5);

export function CallsPerDayChart({ data }: { data: ChartsAnswer }) {
  const days = data.callsPerDay;
  const calls = total(days.map((d) => d.calls));
  const busiest = days.reduce<(typeof days)[number] | undefined>((b, d) => (!b || d.calls > b.calls ? d : b), undefined);
  const summary = `${calls} calls from ${data.range.from} to ${data.range.to}${busiest && busiest.calls > 0 ? `; busiest day ${busiest.date} with ${busiest.calls}` : ""}.`;
  const series: { label: string; data: number[]; backgroundColor: string }[] = (["completed", "transferred", "abandoned"] as const).map((k) => ({ label: words(k), data: days.map((d) => d[k]), backgroundColor: COLORS[k] }));
  series.push({ label: "other", data: days.map((d) => d.calls - d.completed - d.transferred - d.abandoned), backgroundColor: COLORS.other });
  return (
    <Figure title="Calls per day" summary={summary} empty={calls === 0}>
      <Bar role="img" aria-label={`Calls per day: ${summary}`} data={{ labels: days.map((d) => shortDate(d.date)), datasets: series }} options={stacked} />
    </Figure>
  );
}

export function HeatmapChart({ data }: { data: ChartsAnswer }) {
  const cells = data.heatmap;
  const max = Math.max(1, ...cells.map((c) => c.calls));
  const peak = cells.reduce<(typeof cells)[number] | undefined>((b, c) => (!b || c.calls > b.calls ? c : b), undefined);
  const summary = peak ? `Busiest hour: ${WEEKDAYS[peak.weekday - 1]} ${HOURS[peak.hour]}:00 with ${peak.calls} calls (local time of each location).` : "No calls in this range.";
  return (
    <Figure title="Peak call times (weekday × hour)" summary={summary} empty={cells.length === 0}>
      <Chart
        type="matrix"
        role="img"
        aria-label={`Weekday by hour heatmap: ${summary}`}
        data={{
          datasets: [
            {
              label: "calls",
              data: cells.map((c) => ({ x: HOURS[c.hour]!, y: WEEKDAYS[c.weekday - 1]!, v: c.calls })),
              backgroundColor: (ctx) => `rgba(21, 101, 192, ${0.15 + (0.85 * ((ctx.raw as { v?: number } | undefined)?.v ?? 0)) / max})`,
              width: ({ chart }) => (chart.chartArea?.width ?? 0) / 24 - 1,
              height: ({ chart }) => (chart.chartArea?.height ?? 0) / 7 - 1,
            },
          ],
        }}
        options={{
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                title: () => "",
                label: (ctx) => {
                  const p = ctx.raw as { x: string; y: string; v: number };
                  return `${p.y} ${p.x}:00 — ${p.v} calls`;
                },
              },
            },
          },
          scales: {
            x: { type: "category", labels: HOURS, offset: true, grid: { display: false }, title: { display: true, text: "hour (local time)" } },
            y: { type: "category", labels: WEEKDAYS, offset: true, grid: { display: false } },
          },
        }}
      />
    </Figure>
  );
}

export function TransferReasonsChart({ data }: { data: ChartsAnswer }) {
  const rows = data.transferReasons;
  const summary = rows.length ? `${rows.map((r) => `${words(r.reason)} ${r.calls}`).join(", ")}.` : "No transfers in this range.";
  return (
    <Figure title="Transfer reasons" summary={summary} empty={rows.length === 0}>
      <Bar
        role="img"
        aria-label={`Transfer reasons: ${summary}`}
        data={{ labels: rows.map((r) => words(r.reason)), datasets: [{ label: "transferred calls", data: rows.map((r) => r.calls), backgroundColor: COLORS.transferred }] }}
        options={{ indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }}
      />
    </Figure>
  );
}

export function OutcomesChart({ data }: { data: ChartsAnswer }) {
  const keys = ["completed", "transferred", "abandoned", "other"] as const;
  const values = keys.map((k) => data.outcomes[k]);
  const summary = `${keys.map((k, i) => `${k} ${values[i]}`).join(", ")}.`;
  return (
    <Figure title="Call outcomes" summary={summary} empty={total(values) === 0}>
      <Doughnut
        role="img"
        aria-label={`Call outcomes: ${summary}`}
        data={{ labels: [...keys], datasets: [{ data: values, backgroundColor: keys.map((k) => COLORS[k]) }] }}
        options={{ responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: "right" } } }}
      />
    </Figure>
  );
}

export function CostPerDayChart({ data }: { data: ChartsAnswer }) {
  const dates = [...new Set(data.callsPerDay.map((d) => d.date))];
  const engines = [...new Set(data.costPerDay.map((c) => c.engine))];
  const sum = total(data.costPerDay.map((c) => c.costMicros));
  const unpriced = total(data.costPerDay.map((c) => c.unpricedCalls));
  const summary = `${formatMicros(sum)} in total${unpriced ? `; ${unpriced} calls without a known cost` : ""}.`;
  const datasets = engines.map((engine) => ({
    label: ENGINE_NAMES[engine],
    backgroundColor: ENGINE_COLORS[engine],
    data: dates.map((date) => (data.costPerDay.find((c) => c.date === date && c.engine === engine)?.costMicros ?? 0) / 1_000_000),
  }));
  return (
    <Figure title="Cost per day by engine (USD)" summary={summary} empty={engines.length === 0}>
      <Bar role="img" aria-label={`Cost per day by engine: ${summary}`} data={{ labels: dates.map(shortDate), datasets }} options={stacked} />
    </Figure>
  );
}

/** The overview's five charts over one range. */
export function ChartGrid({ data }: { data: ChartsAnswer }) {
  return (
    <div className="charts">
      <CallsPerDayChart data={data} />
      <HeatmapChart data={data} />
      <OutcomesChart data={data} />
      <TransferReasonsChart data={data} />
      <CostPerDayChart data={data} />
    </div>
  );
}
