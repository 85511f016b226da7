import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DEMO_LOCATIONS } from "@orderline/db";
import { type LocalStack, PUBLIC_BASE_URL, startLocalStack } from "../src/local-stack.ts";
import { STANDARD_ORDER_CALLER, STANDARD_ORDER_MODEL, STANDARD_ORDER_TOOLS } from "../src/standard-order.ts";

const NY = DEMO_LOCATIONS.newYork;

describe("end to end: every service its own process on real Postgres, Redis and NATS", () => {
  let stack: LocalStack;
  before(async () => {
    stack = await startLocalStack({ timeScale: 0.5 });
  });
  after(() => stack?.close());

  test("the standard order: one submitted order at the New York price with tax, the call's row stored, a completed finalization job listing the six tool calls, each of the four assistant turns played in full", async () => {
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
    // One large pepperoni in New York: $22.99; tax 8.875 % = $2.0403… → $2.04; total $25.03.
    assert.equal(order.subtotal_cents, 2299);
    assert.equal(order.tax_cents, 204);
    assert.equal(order.total_cents, 2503);

    const voiceCall = await stack.db.db.selectFrom("voice_calls").selectAll().where("call_sid", "=", call.sid).executeTakeFirstOrThrow();
    assert.equal(voiceCall.location_id, NY.id);

    const job = await stack.finalizeJob(call.sid);
    assert.equal(job.orderId, order.id);
    assert.equal(job.disposition, "completed");
    const toolEvents = job.events.filter((e) => e.type === "tool_call");
    assert.deepEqual(
      toolEvents.map((e) => e.data.tool),
      [...STANDARD_ORDER_TOOLS],
    );
    assert.ok(toolEvents.every((e) => e.data.ok === true));
    assert.ok(job.usage.responses >= 5);

    // The caller heard the model: the four spoken turns of the script, each played to the end, none cut off.
    assert.deepEqual(
      call.heard.map((t) => ({ playedMs: t.playedMs, cleared: t.cleared })),
      [1600, 1400, 1600, 1400].map((playedMs) => ({ playedMs, cleared: false })),
    );
  });
});
