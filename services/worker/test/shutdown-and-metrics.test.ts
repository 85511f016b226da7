import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { QUEUES, redisKeys } from "@orderline/contracts";
import { DEMO_LOCATIONS } from "@orderline/db";
import { Queue } from "bullmq";
import { sample } from "./support/metrics.ts";
import { insertOrder } from "./support/orders.ts";
import { startProxy } from "./support/rest-proxy.ts";
import { API_TOKEN, eventually, startWorkerStack, type WorkerStack } from "./support/worker-stack.ts";

const NY = DEMO_LOCATIONS.newYork;


describe("graceful shutdown with a call in progress, and metrics", () => {
  let stack: WorkerStack | undefined;
  after(async () => {
    await stack?.close();
  });

  test("SIGTERM puts the waiting job back in the queue and exits 0; the next worker records the call's outcome", async () => {
    let releaseCallbacks: () => void = () => {};
    const callbacksHeld = new Promise<void>((r) => (releaseCallbacks = r));
    let held = false;
    // Twilio reaches the worker through this proxy; the call's status callback is held until after the shutdown.
    const proxy = await startProxy({
      target: () => stack!.baseUrl,
      beforeForward: async (_method, path) => {
        if (!path.endsWith("/status")) return;
        held = true;
        await callbacksHeld;
      },
    });
    try {
      stack = await startWorkerStack({ env: { PUBLIC_BASE_URL: proxy.url } });
      const phone = "+14155550141";
      const order = await insertOrder(stack.db, { locationId: NY.id, phone });
      stack.cloud.nextCallee({ answer: "human", to: phone });
      const res = await fetch(`${stack.baseUrl}/v1/orders/${order.id}/ready-call`, {
        method: "POST",
        headers: { authorization: `Bearer ${API_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ locationId: NY.id }),
      });
      const { jobId } = (await res.json()) as { jobId: string };
      await eventually("the call's status callback to be on its way", async () => held);

      const first = stack.kit.services["worker"]!;
      assert.deepEqual(await first.stop(), { code: 0, signal: null }, first.logs());
      assert.match(first.logs(), /worker shutting down while a call is in progress/);
      const queue = new Queue(QUEUES.orderReadyCall, { connection: stack.redis, prefix: redisKeys(stack.kit.redisKeyPrefix).bullPrefix() });
      try {
        const state = await (await queue.getJob(jobId))?.getState();
        assert.ok(state === "delayed" || state === "waiting", `the job is back in the queue (state ${state})`);

        const second = await stack.kit.restartService("worker");
        releaseCallbacks();
        const done = await eventually("the outcome recorded by the next worker", () =>
          stack!.db.db.selectFrom("orders").select("ready_call_outcome").where("id", "=", order.id).where("ready_call_outcome", "is not", null).executeTakeFirst(),
        );
        assert.equal(done.ready_call_outcome, "answered");
        assert.equal([...stack.cloud.calls.values()].filter((c) => c.to === phone).length, 1);
        await eventually("the job to complete", async () => (await queue.getJob(jobId)) === undefined);

        const metrics = await (await fetch(`${second.opsUrl}/metrics`)).text();
        assert.equal(sample(metrics, "worker_ready_calls_total", { outcome: "answered" }), 1);
        assert.equal(sample(metrics, "worker_jobs_total", { queue: "order-ready-call", outcome: "completed" }), 1);
        assert.equal(sample(metrics, "worker_job_duration_seconds_count", { queue: "order-ready-call" }), 1);
        assert.equal(sample(metrics, "worker_queue_depth", { queue: "order-ready-call", state: "active" }), 0);
        assert.equal(sample(metrics, "worker_queue_depth", { queue: "call-finalize", state: "waiting" }), 0);
      } finally {
        await queue.close();
      }
    } finally {
      releaseCallbacks();
      await proxy.close();
    }
  });
});
