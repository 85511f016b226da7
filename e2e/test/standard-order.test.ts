import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { QUEUES, redisKeys } from "@orderline/contracts";
import { DEMO_LOCATIONS } from "@orderline/db";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { formatCallRecord } from "../src/call-record.ts";
import { type LocalStack, PUBLIC_BASE_URL, startLocalStack } from "../src/local-stack.ts";
import { STANDARD_ORDER_CALLER, STANDARD_ORDER_MODEL, STANDARD_ORDER_TOOLS } from "../src/standard-order.ts";

const NY = DEMO_LOCATIONS.newYork;

describe("end to end: every service its own process on real Postgres, Redis and NATS", () => {
  let stack: LocalStack;
  before(async () => {
    stack = await startLocalStack({ timeScale: 0.5 });
  });
  after(() => stack?.close());

  test("the standard order: one submitted order at the New York price with tax, the call's row stored, the call's record stored by the worker (disposition, duration, cost, redacted transcript, the six tool calls as events, no raw copy left in Redis), each of the four assistant turns played in full", async (t) => {
    stack.realtime.script(STANDARD_ORDER_MODEL);
    const call = stack.cloud.placeCall({
      url: `${PUBLIC_BASE_URL}/voice/incoming`,
      statusCallback: `${PUBLIC_BASE_URL}/voice/status`,
      from: "+14155550401",
      to: NY.phone,
      caller: STANDARD_ORDER_CALLER,
      // A turn ends after 1.5 s of media without assistant audio (400 ms by default): on a loaded machine the
      // greeting's audio can pause that long, and the caller would then start talking over the rest of it.
      turnGapMs: 1500,
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
    // One large pepperoni in New York: $22.99; tax 8.875 % = $2.0403… → $2.04; total $25.03.
    assert.equal(order.subtotal_cents, 2299);
    assert.equal(order.tax_cents, 204);
    assert.equal(order.total_cents, 2503);

    const voiceCall = await stack.db.db.selectFrom("voice_calls").selectAll().where("call_sid", "=", call.sid).executeTakeFirstOrThrow();
    assert.equal(voiceCall.location_id, NY.id);

    // The worker stored the call's record: disposition, duration, cost, redacted transcript and the events.
    const record = await stack.callRecord(call.sid);
    for (const line of formatCallRecord(record)) t.diagnostic(line);
    assert.equal(record.call.disposition, "completed");
    assert.equal(record.call.order_id, order.id);
    assert.deepEqual(record.call.order_ids, [order.id]);
    assert.ok((record.call.duration_seconds ?? 0) >= 1, `duration ${record.call.duration_seconds}`);
    assert.ok((record.call.ai_cost_micros ?? 0) > 0, "AI cost from the Realtime usage");
    assert.ok((record.call.total_cost_micros ?? 0) > (record.call.ai_cost_micros ?? 0), "total includes telephony minutes");
    assert.ok((record.call.usage["realtime"] as { responses: number }).responses >= 5);
    assert.ok((record.call.transcript ?? []).some((turn) => turn.role === "caller"));
    const toolEvents = record.events.filter((e) => e.event_type === "tool_call");
    assert.deepEqual(
      toolEvents.map((e) => e.event_data["tool"]),
      [...STANDARD_ORDER_TOOLS],
    );
    assert.ok(toolEvents.every((e) => e.event_data["ok"] === true && e.event_data["result"] === "ok" && typeof e.event_data["latencyMs"] === "number"));
    assert.equal(record.events.at(-1)?.event_type, "call_ended");
    // Once stored, no raw copy stays in Redis: the finalize job and the call's transcript/event lists are gone.
    const redis = new Redis(stack.redisUrl);
    try {
      const keys = redisKeys(stack.redisPrefix);
      assert.equal(await redis.exists(keys.callTranscript(call.sid), keys.callEvents(call.sid)), 0);
      const queue = new Queue(QUEUES.callFinalize, { connection: redis, prefix: keys.bullPrefix() });
      assert.equal(await queue.getJob(call.sid), undefined);
      await queue.close();
    } finally {
      await redis.quit();
    }

    // The caller heard the model: the four spoken turns of the script, each played to the end, none cut off.
    assert.deepEqual(
      call.heard.map((t) => ({ playedMs: t.playedMs, cleared: t.cleared })),
      [1600, 1400, 1600, 1400].map((playedMs) => ({ playedMs, cleared: false })),
    );
  });
});
