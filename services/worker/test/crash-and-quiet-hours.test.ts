import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { QUEUES, redisKeys } from "@orderline/contracts";
import { DEMO_LOCATIONS } from "@orderline/db";
import { Queue } from "bullmq";
import { DateTime } from "luxon";
import { insertOrder } from "./support/orders.ts";
import { startProxy } from "./support/rest-proxy.ts";
import { API_TOKEN, eventually, startWorkerStack, type WorkerStack } from "./support/worker-stack.ts";

const NY = DEMO_LOCATIONS.newYork;

const readyCall = (stack: WorkerStack, orderId: string) =>
  fetch(`${stack.baseUrl}/v1/orders/${orderId}/ready-call`, {
    method: "POST",
    headers: { authorization: `Bearer ${API_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ locationId: NY.id }),
  });

describe("a worker SIGKILLed between Twilio placing the call and recording it", () => {
  let stack: WorkerStack | undefined;
  let killed = false;
  after(async () => {
    await stack?.close();
  });

  test("never dials a second time: one call, the attempt recorded as unconfirmed", async () => {
    const proxy = await startProxy({
      target: () => stack!.cloud.restUrl,
      afterResponse: async (method, path) => {
        if (killed || method !== "POST" || !path.endsWith("/Calls.json")) return;
        killed = true;
        await stack!.worker.kill();
      },
    });
    try {
      stack = await startWorkerStack({ twilioApiBaseUrl: () => proxy.url });
      const phone = "+14155550121";
      const order = await insertOrder(stack.db, { locationId: NY.id, phone });
      stack.cloud.nextCallee({ answer: "human", to: phone });
      assert.equal((await readyCall(stack, order.id)).status, 202);
      await eventually("the worker to be killed mid-dial", async () => killed);
      const rows = await stack.db.db.selectFrom("order_notifications").selectAll().where("order_id", "=", order.id).execute();
      assert.deepEqual(
        rows.map((r) => [r.attempt, r.state, r.provider_sid]),
        [[1, "dialling", null]],
        "dialling was written before Twilio was asked, the SID never",
      );
      await stack.kit.restartService("worker");
      const done = await eventually("the restarted worker to settle the order", () =>
        stack!.db.db.selectFrom("orders").select(["ready_call_outcome", "ready_call_detail"]).where("id", "=", order.id).where("ready_call_outcome", "is not", null).executeTakeFirst(),
      );
      assert.equal(done.ready_call_outcome, "unconfirmed");
      await stack.cloud.settle();
      const calls = [...stack.cloud.calls.values()].filter((c) => c.to === phone);
      assert.equal(calls.length, 1, "the emulator saw exactly one create-call");
      const after = await stack.db.db.selectFrom("order_notifications").select(["attempt", "state"]).where("order_id", "=", order.id).execute();
      assert.equal(after.length, 1);
      assert.equal(after[0]!.attempt, 1);
    } finally {
      await proxy.close();
    }
  });
});

describe("quiet hours", () => {
  let stack: WorkerStack | undefined;
  after(async () => {
    await stack?.close();
  });

  test("a ready call during the location's quiet hours waits in the queue until they end, no call placed", async () => {
    // Quiet from an hour ago until two hours from now, New York time, whatever time the test runs.
    const local = DateTime.now().setZone(NY.timezone).startOf("minute");
    const end = local.plus({ hours: 2 });
    stack = await startWorkerStack({ env: { QUIET_HOURS: `${local.minus({ hours: 1 }).toFormat("HH:mm")}-${end.toFormat("HH:mm")}` } });
    const phone = "+14155550122";
    const order = await insertOrder(stack.db, { locationId: NY.id, phone });
    const { jobId } = (await (await readyCall(stack, order.id)).json()) as { jobId: string };
    const queue = new Queue(QUEUES.orderReadyCall, { connection: stack.redis, prefix: redisKeys(stack.kit.redisKeyPrefix).bullPrefix() });
    try {
      await eventually("the job to be delayed", async () => (await (await queue.getJob(jobId))?.getState()) === "delayed");
      const expected = end.toUTC().toISO({ suppressMilliseconds: false });
      assert.ok(stack.worker.logs().includes(`"runAt":"${expected}"`), `postponed to ${expected}:\n${stack.worker.logs().slice(-2000)}`);
      assert.ok(stack.worker.logs().includes("quiet hours at the location"));
      assert.equal([...stack.cloud.calls.values()].filter((c) => c.to === phone).length, 0);
      const rows = await stack.db.db.selectFrom("order_notifications").select("id").where("order_id", "=", order.id).execute();
      assert.equal(rows.length, 0);
    } finally {
      await queue.close();
    }
  });
});
