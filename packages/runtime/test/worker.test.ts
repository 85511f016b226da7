import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createLogger, createMetrics } from "@orderline/telemetry";
import { waitFor } from "@orderline/testing/wait-for";
import { type Job, Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { z } from "zod";
import { type RegisteredWorker, registerWorker } from "../src/worker.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const Payload = z.object({ n: z.number().int(), note: z.string().optional() });

const sample = (text: string, name: string, labels: Record<string, string>) =>
  text
    .split("\n")
    .filter((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)))
    .map((l) => Number(l.slice(l.lastIndexOf(" ") + 1)))[0];

describe("registerWorker (real Redis)", () => {
  const prefix = `test-${randomBytes(4).toString("hex")}:bull`;
  const name = "runtime-test";
  let connection: Redis;
  let queue: Queue;
  let events: QueueEvents;
  let registered: RegisteredWorker | undefined;
  const logLines: string[] = [];
  const logger = createLogger({ service: "runtime-test", level: "debug", destination: { write: (l: string) => void logLines.push(l) } });
  const metrics = createMetrics({ service: "runtime-test", defaultMetrics: false });
  const seen: number[] = [];
  let gate: () => void = () => {};
  let blocked = Promise.resolve();

  before(async () => {
    connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queue = new Queue(name, { connection, prefix });
    events = new QueueEvents(name, { connection: { url: REDIS_URL }, prefix });
    await events.waitUntilReady();
    registered = registerWorker({
      queue: name,
      schema: Payload,
      connection,
      prefix,
      logger,
      metrics,
      concurrency: 2,
      process: async (data, ctx) => {
        seen.push(data.n);
        if (data.n === 1 && ctx.job.attemptsMade === 0) throw new Error("transient: try again");
        if (data.n === 2 && seen.filter((n) => n === 2).length === 1) return ctx.postpone(Date.now() + 50, "not yet");
        if (data.n === 3) await blocked;
        return { doubled: data.n * 2 };
      },
    });
  });
  after(async () => {
    gate();
    await registered?.close();
    await events?.close();
    await queue.obliterate({ force: true }).catch(() => {});
    await queue?.close();
    await connection?.quit();
  });

  const finished = (job: Job) => job.waitUntilFinished(events, 10_000);

  test("a payload that breaks the schema fails once, unretried, naming every problem — and the payload is never logged", async () => {
    const job = await queue.add("x", { n: "seven", note: 4, secret: "4111 1111 1111 1111" }, { attempts: 5, backoff: { type: "fixed", delay: 10 } });
    await assert.rejects(finished(job), /does not match its contract: n: .*; note: /);
    // Failed for good on its only run: one final-failure line, no retry.
    const mine = () => logLines.filter((l) => l.includes(`"jobId":"${job.id}"`));
    await waitFor(() => mine().some((l) => l.includes("job failed for good")), { message: "the final failure to be logged" });
    assert.equal(mine().filter((l) => l.includes("job failed for good")).length, 1);
    assert.ok(!mine().some((l) => l.includes("will be retried")));
    assert.ok(!logLines.join("").includes("4111"), "the payload is not logged");
    assert.ok(logLines.some((l) => l.includes("job failed for good") && l.includes(job.id!)));
  });

  test("a thrown error is retried with the job's backoff; postpone moves it to delayed and runs it again", async () => {
    const retried = await queue.add("x", { n: 1 }, { attempts: 3, backoff: { type: "fixed", delay: 10 } });
    assert.deepEqual(await finished(retried), { doubled: 2 });
    const postponed = await queue.add("x", { n: 2 }, { attempts: 1 });
    assert.deepEqual(await finished(postponed), { doubled: 4 });
    assert.ok(logLines.some((l) => l.includes("job failed; it will be retried")));
    assert.ok(logLines.some((l) => l.includes("job postponed") && l.includes("not yet")));
    // The worker counts a completion right after the queue reports it: wait for the counter, not the clock.
    const text = await waitFor(
      async () => {
        const t = await metrics.registry.metrics();
        return sample(t, "worker_jobs_total", { queue: name, outcome: "completed" }) === 2 && t;
      },
      { message: "both completions counted" },
    );
    assert.equal(sample(text, "worker_jobs_total", { queue: name, outcome: "retry" }), 1);
    assert.equal(sample(text, "worker_jobs_total", { queue: name, outcome: "postponed" }), 1);
    assert.equal(sample(text, "worker_jobs_total", { queue: name, outcome: "invalid" }), 1);
    assert.equal(sample(text, "worker_queue_depth", { queue: name, state: "failed" }), 1);
  });

  test("close() lets the job in hand finish before it resolves", async () => {
    blocked = new Promise<void>((r) => (gate = r));
    const job = await queue.add("x", { n: 3 });
    await waitFor(async () => (await job.getState()) === "active", { message: "the job to start" });
    let closed = false;
    const closing = registered!.close().then(async () => {
      closed = true;
      return (await queue.getJob(job.id!))!.getState();
    });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(closed, false, "close waits for the job in hand");
    gate();
    assert.equal(await closing, "completed", "the job had finished when close resolved");
    registered = undefined;
  });
});
