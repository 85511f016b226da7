/**
 * Load run for the order service: N concurrent carts (default 200), each start_order → K × add_item →
 * get_order_summary → submit_order, over real NATS against a real (fresh, seeded) Postgres database.
 * Prints p50/p99/max per tool, client-side (request → reply over NATS) and service-side (handler time,
 * measured in the service, which runs in a worker thread with its own event loop and pool — see
 * order-load-worker.ts; excludes time queued behind the service's concurrency limit).
 *
 * Two modes, both with N carts open at once:
 * - paced (default): each cart pauses a random 1–3 s between its tool calls (`--think-ms 2000` = the mean),
 *   still 2–5× denser than a real caller, who speaks for several seconds between tool calls;
 * - saturation (`--think-ms 0`): every cart fires its next call as soon as the previous reply arrives; this
 *   measures throughput, and the latencies are mostly queueing (Little's law: N in flight / throughput).
 *
 * Run: node bench/order-load.ts [--carts 200] [--items 3] [--think-ms 2000] [--pool 10] [--concurrency 8]
 * Targets (issue): service-side p99 ≤ 15 ms for add_item and ≤ 30 ms for submit_order with 200 carts.
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { type RequestEnvelopeInput, type ToolName, toolSubject } from "@orderline/contracts";
import { DEMO_LOCATION_LIST } from "@orderline/db";
import { createTestDatabase } from "@orderline/db/testing";
import { connectNats, drainNats, requestTool } from "@orderline/nats";
import type { OrderLoadWorkerData } from "./order-load-worker.ts";

const { values } = parseArgs({
  options: {
    carts: { type: "string", default: "200" },
    items: { type: "string", default: "3" },
    "think-ms": { type: "string", default: "2000" },
    pool: { type: "string", default: "10" },
    concurrency: { type: "string", default: "8" },
  },
});
const CARTS = Number(values.carts);
const ITEMS = Number(values.items);
const POOL = Number(values.pool);
const CONCURRENCY = Number(values.concurrency);
const THINK_MS = Number(values["think-ms"]);
/** Uniform in [THINK_MS/2, 3·THINK_MS/2]: the caller talking between tool calls. */
const pause = () => new Promise((r) => setTimeout(r, THINK_MS * (0.5 + Math.random())));

// Wednesday 18:30 in New York (all seeded locations open).
const NOW = new Date("2026-11-18T23:30:00Z");
const MENU = ["large pepperoni pizza", "medium cheese pizza", "large coke", "6 piece garlic knots", "caesar salad", "bottled water"];
const MODS = [[], [{ name: "onions" }], [{ name: "extra cheese" }], [{ name: "no cheese" }]];

const NATS_URL = process.env["NATS_URL"] ?? "nats://127.0.0.1:4222";
const testDb = await createTestDatabase({ seed: true, max: 2 });
const clientNc = await connectNats({ url: NATS_URL, name: "bench-order-client" });
const prefix = `bench-${randomUUID().slice(0, 8)}.`;

type WorkerMessage = { type: "ready" } | { type: "recording" } | { type: "stopped"; timings: Record<string, number[]> };
const worker = new Worker(new URL("./order-load-worker.ts", import.meta.url), {
  workerData: { databaseUrl: testDb.url, natsUrl: NATS_URL, prefix, pool: POOL, concurrency: CONCURRENCY, now: NOW.toISOString() } satisfies OrderLoadWorkerData,
});
const next = (type: WorkerMessage["type"]) =>
  new Promise<WorkerMessage>((resolve, reject) => {
    const onMessage = (m: WorkerMessage) => {
      if (m.type !== type) return;
      worker.off("message", onMessage);
      worker.off("error", reject);
      resolve(m);
    };
    worker.on("message", onMessage);
    worker.once("error", reject);
  });
await next("ready");

let serviceMs = new Map<string, number[]>();
const clientMs = new Map<string, number[]>();
let recording = false;
const record = (map: Map<string, number[]>, tool: string, ms: number) => {
  if (!recording) return;
  const list = map.get(tool) ?? [];
  if (list.length === 0) map.set(tool, list);
  list.push(ms);
};

let failures = 0;
async function call(tool: ToolName, args: unknown, envelope: RequestEnvelopeInput): Promise<void> {
  const started = performance.now();
  const reply = await requestTool(clientNc, toolSubject(tool, prefix), { envelope, args }, { timeoutMs: 30_000 });
  record(clientMs, tool, performance.now() - started);
  if (!reply.ok) {
    failures++;
    if (failures <= 5) console.error(`${tool} failed: ${reply.error.code}: ${reply.error.message}`);
  }
}

async function cart(i: number, paced = THINK_MS > 0): Promise<void> {
  const think = () => (paced ? pause() : Promise.resolve());
  const location = DEMO_LOCATION_LIST[i % DEMO_LOCATION_LIST.length]!;
  const envelope: RequestEnvelopeInput = {
    callSid: `CA${randomUUID().replaceAll("-", "")}`,
    locationId: location.id,
    orderSessionId: randomUUID(),
    callerPhone: `+1212555${String(1000 + (i % 9000)).padStart(4, "0")}`,
  };
  await think();
  await call("start_order", { order_type: "pickup" }, envelope);
  for (let k = 0; k < ITEMS; k++) {
    await think();
    const item = MENU[(i + k) % MENU.length]!;
    const modifiers = item.includes("pizza") ? MODS[(i + k) % MODS.length] : [];
    await call("add_item", { item, quantity: 1 + ((i + k) % 3), modifiers }, { ...envelope, requestId: `call_${randomUUID()}` });
  }
  await think();
  await call("get_order_summary", {}, envelope);
  await think();
  await call("submit_order", { customer_name: `Bench ${i}` }, envelope);
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
function table(title: string, map: Map<string, number[]>) {
  console.log(`\n${title}`);
  console.log(`${"tool".padEnd(20)}${"n".padStart(7)}${"p50 ms".padStart(10)}${"p99 ms".padStart(10)}${"max ms".padStart(10)}`);
  for (const tool of ["start_order", "add_item", "get_order_summary", "submit_order"]) {
    const list = [...(map.get(tool) ?? [])].sort((a, b) => a - b);
    if (list.length === 0) continue;
    console.log(`${tool.padEnd(20)}${String(list.length).padStart(7)}${pct(list, 50).toFixed(2).padStart(10)}${pct(list, 99).toFixed(2).padStart(10)}${list.at(-1)!.toFixed(2).padStart(10)}`);
  }
}

try {
  // Warm-up (unpaced): menu snapshots of every location, JIT, pool connections.
  await Promise.all(Array.from({ length: 12 }, (_, i) => cart(i, false)));
  worker.postMessage("record");
  await next("recording");
  recording = true;
  const started = performance.now();
  await Promise.all(Array.from({ length: CARTS }, (_, i) => cart(i)));
  const seconds = (performance.now() - started) / 1000;
  recording = false;
  const stopped = next("stopped");
  worker.postMessage("stop");
  const done = await stopped;
  if (done.type === "stopped") serviceMs = new Map(Object.entries(done.timings));
  const requests = [...clientMs.values()].reduce((s, l) => s + l.length, 0);
  console.log(
    `order-load: ${CARTS} concurrent carts × (start + ${ITEMS} add + summary + submit) = ${requests} requests in ${seconds.toFixed(2)} s (${(requests / seconds).toFixed(0)} req/s); ` +
      `${THINK_MS > 0 ? `paced (think ${THINK_MS / 2}–${(THINK_MS * 3) / 2} ms)` : "saturation (no think time)"}; ` +
      `${os.cpus().length} CPUs (load average ${os.loadavg()[0]!.toFixed(1)}), Node ${process.version}, pool ${POOL}, service concurrency ${CONCURRENCY}, failures ${failures}`,
  );
  table("client-side (NATS round trip, includes queueing)", clientMs);
  table("service-side (handler time, service in its own thread)", serviceMs);
  const orders = await testDb.db.selectFrom("orders").select((eb) => eb.fn.countAll<number>().as("n")).where("state", "=", "submitted").where("call_sid", "like", "CA%").executeTakeFirstOrThrow();
  console.log(`\nsubmitted orders in the database: ${orders.n}`);
} finally {
  await worker.terminate();
  await drainNats(clientNc);
  await testDb.close();
}
