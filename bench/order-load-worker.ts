/**
 * The order service for bench/order-load.ts, in its own thread (own event loop, own pool, own NATS
 * connection), so the load generator's work does not count as service time. Handler times (ms) are
 * collected here and posted back on "stop".
 */
import { parentPort, workerData } from "node:worker_threads";
import { createDb } from "@orderline/db";
import { connectNats, drainNats } from "@orderline/nats";
import { createLogger } from "../packages/telemetry/src/index.ts";
import { startOrderService } from "../services/order-service/src/service.ts";

export interface OrderLoadWorkerData {
  databaseUrl: string;
  natsUrl: string;
  prefix: string;
  pool: number;
  concurrency: number;
  /** Fixed clock (ISO), inside the seeded opening hours. */
  now: string;
}

const data = workerData as OrderLoadWorkerData;
const port = parentPort!;
const dbHandle = createDb(data.databaseUrl, { max: data.pool, applicationName: "bench-order-service" });
const nc = await connectNats({ url: data.natsUrl, name: "bench-order-service" });
const timings: Record<string, number[]> = {};
let recording = false;
const now = new Date(data.now);
const service = startOrderService({
  db: dbHandle.db,
  nc,
  subjectPrefix: data.prefix,
  logger: createLogger({ service: "order-service", level: "warn" }),
  clock: () => now,
  concurrency: data.concurrency,
  onHandled: (tool, ms) => {
    if (!recording) return;
    const list = timings[tool] ?? [];
    if (list.length === 0) timings[tool] = list;
    list.push(ms);
  },
});
await nc.flush();

port.on("message", async (msg: "record" | "stop") => {
  if (msg === "record") {
    recording = true;
    port.postMessage({ type: "recording" });
    return;
  }
  recording = false;
  await service.stop();
  await drainNats(nc);
  await dbHandle.close();
  port.postMessage({ type: "stopped", timings });
  port.close();
});
port.postMessage({ type: "ready" });
