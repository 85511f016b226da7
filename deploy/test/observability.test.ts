import assert from "node:assert/strict";
import { test } from "node:test";
import { parser } from "@prometheus-io/lezer-promql";
import { parse } from "yaml";
import { compose, read, registeredMetrics } from "./repo.ts";

const metrics = registeredMetrics();
const HISTOGRAM_SERIES = /_(bucket|count|sum)$/;

/** Metric names a PromQL expression selects; throws when the expression does not parse. */
function selected(expr: string): string[] {
  const tree = parser.parse(expr);
  const names: string[] = [];
  const c = tree.cursor();
  do {
    if (c.type.isError) throw new Error(`PromQL syntax error at ${c.from} in: ${expr}`);
    if (c.name === "VectorSelector" && c.firstChild()) {
      if ((c.name as string) === "Identifier") names.push(expr.slice(c.from, c.to));
      c.parent();
    }
  } while (c.next());
  return names;
}

/** Problems with one expression's metric names (unknown, or a histogram series of a non-histogram). */
function unknownNames(expr: string): string[] {
  return selected(expr).filter((name) => {
    if (metrics.has(name)) return metrics.get(name) === "histogram";
    const base = name.replace(HISTOGRAM_SERIES, "");
    return base === name || metrics.get(base) !== "histogram";
  });
}

test("the metric reader finds the registrations and the PromQL reader rejects bad expressions", () => {
  for (const m of ["worker_call_cost_usd_total", "gateway_active_calls", "gateway_calls_total", "gateway_tool_duration_seconds", "worker_queue_depth", "gateway_fallbacks_total", "orderline_tool_requests_total"]) {
    assert.ok(metrics.has(m), `${m} not found among ${[...metrics.keys()].join(", ")}`);
  }
  assert.throws(() => selected("sum(rate(gateway_calls_total[5m]) >"), /syntax error/);
  assert.deepEqual(unknownNames("rate(gateway_calls_totl[5m]) + gateway_tool_duration_seconds_bucket + gateway_calls_total_bucket"), ["gateway_calls_totl", "gateway_calls_total_bucket"]);
});

type Rule = { alert: string; expr: string; for?: string; labels: { severity: string }; annotations: { summary: string } };
const rules = (parse(read("deploy/prometheus/alerts.yaml")) as { groups: { name: string; rules: Rule[] }[] }).groups.flatMap((g) => g.rules);

test("every alert rule parses, names only registered metrics and carries a severity and a summary", () => {
  assert.ok(rules.length >= 8);
  for (const r of rules) {
    assert.deepEqual(unknownNames(r.expr), [], r.alert);
    assert.ok(["critical", "warning"].includes(r.labels.severity), r.alert);
    assert.ok(r.annotations.summary.length > 10, r.alert);
  }
});

test("alerts cover tool errors, tool latency, queue depth, fallback rate and calls answered dropping to zero", () => {
  const uses = (metric: string, pattern: RegExp) => rules.some((r) => selected(r.expr).includes(metric) && pattern.test(r.expr));
  assert.ok(uses("gateway_tool_duration_seconds_count", /outcome=~"timeout\|no_responders\|internal"/), "tool error rate");
  assert.ok(uses("gateway_tool_duration_seconds_bucket", /histogram_quantile/), "tool latency");
  assert.ok(uses("worker_queue_depth", /state="waiting"/), "queue depth");
  assert.ok(uses("gateway_fallbacks_total", /\//), "fallback rate");
  assert.ok(uses("gateway_calls_total", /outcome="connected"[^\n]*\) == 0/), "calls answered dropping to zero");
  assert.ok(uses("worker_call_cost_usd_total", /\//), "cost per call");
});

type Panel = { id: number; type: string; title: string; targets?: { expr?: string; rawSql?: string }[] };
const dashboard = JSON.parse(read("deploy/grafana/dashboards/orderline.json")) as { uid: string; panels: Panel[] };

test("the Grafana dashboard's queries parse and name only registered metrics; panel ids are unique", () => {
  const ids = dashboard.panels.map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length);
  const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).flatMap((t) => (t.expr ? [t.expr] : [])));
  assert.ok(exprs.length >= 15);
  for (const e of exprs) assert.deepEqual(unknownNames(e), [], e);
});

test("the dashboard shows live calls, answered calls, tool latency and errors, queue depth, fallbacks and cost", () => {
  const all = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? t.rawSql ?? ""));
  const has = (re: RegExp) => all.some((q) => re.test(q));
  assert.ok(has(/^sum\(gateway_active_calls\)$/), "live calls");
  assert.ok(has(/gateway_calls_total\{outcome="connected"\}/), "answered");
  assert.ok(has(/gateway_tool_duration_seconds_bucket/), "tool latency");
  assert.ok(has(/outcome=~"timeout\|no_responders\|internal"/), "tool errors");
  assert.ok(has(/worker_queue_depth/), "queue depth");
  assert.ok(has(/gateway_fallbacks_total/), "fallback rate");
  assert.ok(has(/gateway_realtime_tokens_total/) && has(/total_cost_micros|telephony_cost_micros/), "cost");
  assert.ok(has(/^sum by \(engine\) \(increase\(worker_call_cost_usd_total\[1h\]\)\)$/), "cost by engine from the worker's counter");
  // The cost query reads columns the call records have (voice_calls: packages/db/src/schema-orders.ts).
  const schema = read("packages/db/src/schema-orders.ts");
  for (const col of ["ai_cost_micros", "telephony_cost_micros", "started_at"]) assert.match(schema, new RegExp(`\\b${col}:`), col);
});

test("Prometheus scrapes every compose service built from the Dockerfile on its ops port and loads the rules", () => {
  const prom = parse(read("deploy/prometheus/prometheus.yml")) as { rule_files: string[]; scrape_configs: { static_configs: { targets: string[] }[] }[] };
  const targets = prom.scrape_configs.flatMap((s) => s.static_configs.flatMap((x) => x.targets));
  const services = compose().services;
  const apps = Object.entries(services).filter(([name, s]) => s.build && name !== "migrate");
  assert.deepEqual(targets.sort(), apps.map(([name, s]) => `${name}:${s.environment?.["OPS_PORT"]}`).sort());
  const mounted = services["prometheus"]!.volumes!.map((v) => v.split(":")[1]);
  for (const f of prom.rule_files) assert.ok(mounted.includes(f), `${f} is not mounted into prometheus`);
  const grafana = services["grafana"]!.volumes!.map((v) => v.split(":"));
  assert.ok(grafana.some(([host, inside]) => host === "./deploy/grafana/dashboards" && inside === "/var/lib/grafana/dashboards"));
  const provider = parse(read("deploy/grafana/provisioning/dashboards/dashboards.yaml")) as { providers: { options: { path: string } }[] };
  assert.equal(provider.providers[0]!.options.path, "/var/lib/grafana/dashboards");
});
