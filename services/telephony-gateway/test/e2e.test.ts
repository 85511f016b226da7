import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type CallFinalizeJob, QUEUES, redisKeys } from "@orderline/contracts";
import { DEMO_LOCATIONS, DEMO_MENU } from "@orderline/db";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { type LocalStack, PUBLIC_BASE_URL, startLocalStack } from "../scripts/local-stack.ts";
import { STANDARD_ORDER_CALLER, STANDARD_ORDER_MODEL, STANDARD_ORDER_TOOLS } from "../scripts/standard-order.ts";

const NY = DEMO_LOCATIONS.newYork;

describe("end to end: every service its own process on real Postgres, Redis and NATS", () => {
  let stack: LocalStack;
  let redis: Redis;
  before(async () => {
    stack = await startLocalStack({ timeScale: 0.5 });
    redis = new Redis("redis://127.0.0.1:6379");
  });
  after(async () => {
    await stack?.close();
    const keys = stack ? await redis.keys(`${stack.redisPrefix}*`) : [];
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  test("the standard order flow ends with one submitted order, the call recorded and finalized", async () => {
    stack.realtime.script(STANDARD_ORDER_MODEL);
    const call = stack.cloud.placeCall({
      url: `${PUBLIC_BASE_URL}/voice/incoming`,
      statusCallback: `${PUBLIC_BASE_URL}/voice/status`,
      from: "+14155550401",
      to: NY.phone,
      caller: STANDARD_ORDER_CALLER,
    });
    await call.done;
    call.assertNoErrors();
    stack.realtime.assertNoViolations();
    const rt = stack.realtime.sessions[0]!;
    assert.deepEqual(
      rt.functionCalls.map((c) => c.name),
      [...STANDARD_ORDER_TOOLS],
    );
    for (const out of rt.toolOutputs) assert.ok(!("error" in JSON.parse(out.output)), `tool output without error: ${out.output}`);

    const orders = await stack.db.db.selectFrom("orders").selectAll().where("call_sid", "=", call.sid).execute();
    assert.equal(orders.length, 1, "exactly one order for the call");
    const order = orders[0]!;
    assert.equal(order.state, "submitted");
    assert.equal(order.customer_name, "Mike");
    assert.equal(order.location_id, NY.id);
    const price = DEMO_MENU.largePepperoni.priceCentsByLocation.newYork;
    assert.equal(order.subtotal_cents, price);
    assert.equal(order.tax_cents, Math.floor((price * NY.taxRatePpm + 500_000) / 1_000_000));
    assert.equal(order.total_cents, price + Math.floor((price * NY.taxRatePpm + 500_000) / 1_000_000));

    const voiceCall = await stack.db.db.selectFrom("voice_calls").selectAll().where("call_sid", "=", call.sid).executeTakeFirstOrThrow();
    assert.equal(voiceCall.location_id, NY.id);

    const queue = new Queue(QUEUES.callFinalize, { connection: redis, prefix: redisKeys(stack.redisPrefix).bullPrefix() });
    let job: CallFinalizeJob | undefined;
    for (let i = 0; i < 200 && !job; i++) {
      job = (await queue.getJob(call.sid))?.data as CallFinalizeJob | undefined;
      if (!job) await new Promise((r) => setTimeout(r, 50));
    }
    await queue.close();
    assert.ok(job, "finalization job enqueued under the call SID");
    assert.equal(job.orderId, order.id);
    assert.equal(job.disposition, "completed");
    const toolEvents = job.events.filter((e) => e.type === "tool_call");
    assert.deepEqual(
      toolEvents.map((e) => e.data.tool),
      [...STANDARD_ORDER_TOOLS],
    );
    assert.ok(toolEvents.every((e) => e.data.ok === true));
    assert.ok(job.usage.responses >= 5);

    // The caller heard the model: every assistant turn reached the phone.
    assert.ok(call.heard.length >= 4, `heard ${call.heard.length} assistant turns`);
    assert.ok(call.heard.reduce((ms, t) => ms + t.playedMs, 0) >= 5000);
  });
});
