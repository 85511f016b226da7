/**
 * Load run for the menu service: an open-loop load (requests sent on a fixed schedule whatever the replies
 * do, at most --max-inflight outstanding) at --rate requests/s for --seconds, spread over all seven menu
 * tools and the three demo locations, over real NATS against a fresh seeded Postgres database. The service
 * runs in a worker thread (its own event loop, as in its own process) and the load generator in the main
 * thread. Prints p50/p99/max per tool, client-observed (request → reply over NATS) and service-side (the
 * service's `serve <tool>` span: decode, validate, handle, encode, reply).
 *
 * Run: node bench/menu-load.ts [--rate 500] [--seconds 20] [--warmup 2] [--max-inflight 2000]
 * Target (issue): service-side p99 ≤ 10 ms per tool at 500 requests/s.
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { type RequestEnvelopeInput, type ToolName, toolSubject } from "@orderline/contracts";
import { createDb, DEMO_LOCATION_LIST } from "@orderline/db";
import { createTestDatabase } from "@orderline/db/testing";
import { connectNats, drainNats, NatsRequestError, requestTool } from "@orderline/nats";
import { createLogger, initTracing } from "../packages/telemetry/src/index.ts";
import { startMenuService } from "../services/menu-service/src/service.ts";

const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "500" },
    seconds: { type: "string", default: "20" },
    warmup: { type: "string", default: "2" },
    "max-inflight": { type: "string", default: "2000" },
  },
});
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const MAX_INFLIGHT = Number(values["max-inflight"]);
const NATS_URL = process.env["NATS_URL"] ?? "nats://127.0.0.1:4222";

// Wednesday 12:30 in New York (10:30 in Denver): every seeded location open, lunch items served.
const NOW = new Date("2026-11-25T17:30:00Z");

/** What callers ask, per tool (names include aliases, misspellings, sizes, unknown items). */
const ITEMS = ["a large pep", "peperoni pizza", "margarita", "coke", "two cokes", "buffalo wings", "buffalo", "sushi", "caesar salad", "mushroom pizza", "tiramisu", "lunch special", "garlic knots", "12 piece wings", "diet coke"];
const REQUESTS: { tool: ToolName; args: () => Record<string, unknown> }[] = [
  { tool: "get_menu", args: () => ({}) },
  { tool: "get_menu", args: () => ({ category: pick(["pizzas", "wings", "drinks", "desserts", "salads"]) }) },
  { tool: "get_item_details", args: () => ({ item_name: pick(ITEMS) }) },
  { tool: "get_item_details", args: () => ({ item_name: pick(ITEMS) }) },
  { tool: "check_availability", args: () => ({ item_name: pick(ITEMS) }) },
  { tool: "check_availability", args: () => ({ item_name: pick(ITEMS) }) },
  { tool: "get_specials", args: () => ({}) },
  { tool: "get_hours", args: () => ({ day: pick([undefined, "tomorrow", "friday", "december 25", "next monday"]) }) },
  { tool: "get_location", args: () => ({}) },
  { tool: "get_wait_time", args: () => ({ order_type: pick(["pickup", "delivery"]) }) },
];
function pick<T>(xs: readonly T[]): T {
  return xs[Math.floor(Math.random() * xs.length)]!;
}

if (!isMainThread) {
  await serveInWorker(workerData as { databaseUrl: string; prefix: string });
} else {
  await main();
}

/** Worker side: the menu service with in-memory tracing; reports its span durations when asked. */
async function serveInWorker({ databaseUrl, prefix }: { databaseUrl: string; prefix: string }): Promise<void> {
  const tracing = initTracing({ service: "menu-service-bench", inMemory: true });
  const dbHandle = createDb(databaseUrl, { max: 10, applicationName: "menu-service-bench" });
  const nc = await connectNats({ url: NATS_URL, name: "bench-menu-service" });
  const service = startMenuService({
    db: dbHandle.db,
    nc,
    subjectPrefix: prefix,
    logger: createLogger({ service: "menu-service", level: "warn" }),
    clock: () => NOW,
    databaseUrl,
  });
  await service.ready();
  await nc.flush();
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const port = parentPort!;
  port.on("message", async (m: string) => {
    if (m === "reset") {
      tracing.exporter.reset();
      loopDelay.reset();
      port.postMessage({ type: "reset" });
    } else if (m === "report") {
      await tracing.flush();
      const durations: Record<string, number[]> = {};
      for (const span of tracing.exporter.getFinishedSpans()) {
        if (!span.name.startsWith("serve ")) continue;
        const tool = span.name.slice("serve ".length);
        const list = durations[tool] ?? [];
        list.push(span.duration[0] * 1000 + span.duration[1] / 1e6);
        durations[tool] = list;
      }
      const loop = { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
      port.postMessage({ type: "report", durations, cache: service.cache.stats, loop });
    } else if (m === "stop") {
      await service.stop();
      await drainNats(nc);
      await dbHandle.close();
      await tracing.shutdown();
      port.postMessage({ type: "stopped" });
      port.close();
    }
  });
  port.postMessage({ type: "ready" });
}

async function main(): Promise<void> {
const testDb = await createTestDatabase({ seed: true, max: 2 });
const clientNc = await connectNats({ url: NATS_URL, name: "bench-menu-client" });
const prefix = `bench-${randomUUID().slice(0, 8)}.`;
const worker = new Worker(new URL(import.meta.url), { workerData: { databaseUrl: testDb.url, prefix } });
const replies: ((m: { type: string; [k: string]: unknown }) => void)[] = [];
worker.on("message", (m: { type: string }) => replies.shift()?.(m));
worker.on("error", (e) => {
  console.error("service worker failed:", e);
  process.exit(1);
});
const ask = (m?: string) =>
  new Promise<{ type: string; [k: string]: unknown }>((resolve) => {
    replies.push(resolve);
    if (m) worker.postMessage(m);
  });
await ask(); // ready

const clientMs = new Map<string, number[]>();
const outcomes = new Map<string, number>();
let inflight = 0;
let skipped = 0;
let sent = 0;
let recording = false;
const pending: Promise<void>[] = [];

function fire(): void {
  if (inflight >= MAX_INFLIGHT) {
    skipped++;
    return;
  }
  const req = pick(REQUESTS);
  const envelope: RequestEnvelopeInput = { callSid: `CA${randomUUID().replaceAll("-", "")}`, locationId: pick(DEMO_LOCATION_LIST).id, orderSessionId: randomUUID() };
  const record = recording;
  const args = Object.fromEntries(Object.entries(req.args()).filter(([, v]) => v !== undefined));
  inflight++;
  sent++;
  const started = performance.now();
  const p = requestTool(clientNc, toolSubject(req.tool, prefix), { envelope, args }, { timeoutMs: 5000 })
    .then((reply) => {
      const ms = performance.now() - started;
      if (!record) return;
      const list = clientMs.get(req.tool) ?? [];
      list.push(ms);
      clientMs.set(req.tool, list);
      const outcome = reply.ok ? "ok" : reply.error.code;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    })
    .catch((err: unknown) => {
      const kind = err instanceof NatsRequestError ? err.kind : "error";
      if (record) outcomes.set(kind, (outcomes.get(kind) ?? 0) + 1);
    })
    .finally(() => {
      inflight--;
    });
  pending.push(p);
}

/** Sends RATE requests per second on schedule for `seconds` (open loop: late ticks catch up). */
async function run(seconds: number): Promise<number> {
  const start = performance.now();
  let due = 0;
  const total = Math.round(RATE * seconds);
  while (due < total) {
    const elapsed = (performance.now() - start) / 1000;
    const target = Math.min(total, Math.floor(elapsed * RATE));
    while (due < target) {
      fire();
      due++;
    }
    await sleep(2);
  }
  return (performance.now() - start) / 1000;
}

console.log(`menu-load: ${RATE} req/s for ${SECONDS} s (+${WARMUP} s warm-up), ${os.cpus().length} CPUs, node ${process.version}`);
await run(WARMUP);
await Promise.all(pending.splice(0));
await ask("reset");
recording = true;
const sentBefore = sent;
const elapsed = await run(SECONDS);
recording = false;
await Promise.all(pending.splice(0));
const report = (await ask("report")) as unknown as { durations: Record<string, number[]>; cache: unknown; loop: { p50: number; p99: number; max: number } };
const serviceMs = new Map(Object.entries(report.durations));

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
};
const f = (n: number) => (Number.isNaN(n) ? "-" : n.toFixed(2));
const rows: string[] = [];
rows.push("| tool | requests | client p50 ms | client p99 ms | client max ms | service p50 ms | service p99 ms | service max ms |");
rows.push("|---|---:|---:|---:|---:|---:|---:|---:|");
const tools = [...new Set(REQUESTS.map((r) => r.tool))];
for (const tool of [...tools, "all"]) {
  const c = tool === "all" ? [...clientMs.values()].flat() : (clientMs.get(tool) ?? []);
  const s = tool === "all" ? [...serviceMs.values()].flat() : (serviceMs.get(tool) ?? []);
  rows.push(`| ${tool} | ${c.length} | ${f(pct(c, 0.5))} | ${f(pct(c, 0.99))} | ${f(pct(c, 1))} | ${f(pct(s, 0.5))} | ${f(pct(s, 0.99))} | ${f(pct(s, 1))} |`);
}
console.log(rows.join("\n"));
const measured = sent - sentBefore;
console.log(
  `\nsent ${measured} in ${elapsed.toFixed(1)} s = ${(measured / elapsed).toFixed(0)} req/s; skipped (in-flight cap) ${skipped}; outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`,
);
console.log(`service cache: ${JSON.stringify(report.cache)}; service event-loop delay p50 ${f(report.loop.p50)} ms, p99 ${f(report.loop.p99)} ms, max ${f(report.loop.max)} ms`);
const worstServiceP99 = Math.max(...tools.map((t) => pct(serviceMs.get(t) ?? [], 0.99)));
console.log(`target service-side p99 <= 10 ms per tool: ${worstServiceP99 <= 10 ? "met" : "NOT met"} (worst ${f(worstServiceP99)} ms)`);

await ask("stop");
await worker.terminate();
await drainNats(clientNc);
await testDb.close();
}
