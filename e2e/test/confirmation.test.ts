import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { QUEUES, redisKeys } from "@orderline/contracts";
import { DEMO_LOCATIONS } from "@orderline/db";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { waitFor } from "@orderline/testing";
import { type ConfirmationClient, confirmationClient } from "../src/confirmation.ts";
import { type LocalStack, startLocalStack } from "../src/local-stack.ts";

const NY = DEMO_LOCATIONS.newYork;
const SHEET = "sheet-e2e";

describe("order-confirmation calls: worker, gateway and order service as processes, the Twilio simulator as the customer", () => {
  let stack: LocalStack;
  let client: ConfirmationClient;
  let n = 0;
  const phone = () => `+1415555${String(200 + n++).padStart(4, "0")}`;

  before(async () => {
    stack = await startLocalStack({ timeScale: 0, workerEnv: { CONFIRMATION_SWEEP_INTERVAL_MS: "300", CONFIRMATION_STALE_MS: "1000", JOB_LOCK_MS: "2000", JOB_STALLED_INTERVAL_MS: "1000" },
    });
    // Gather turns with the local agent: no model script needed.
    await stack.db.db.insertInto("location_conversation_settings").values({ location_id: NY.id, mode: "gather", text_engine: "local" }).execute();
    client = await confirmationClient(stack, SHEET);
  });
  after(async () => {
    await client?.close();
    await stack?.close();
  });

  /** A sheet row "2x large pepperoni pizza" for John at `to`, taken in as NEW. */
  const row = async (to: string, rowId: string) => {
    const r = await client.intake({
      locationId: NY.id,
      customerName: "John Smith",
      phone: to,
      lines: [{ name: "pepperoni pizza", variation: "large", quantity: 2 }],
      externalRef: { source: "sheet", sheetId: SHEET, rowId },
    });
    assert.ok(r.ok, JSON.stringify(r));
    return r.result.orderId;
  };
  const orderRow = (id: string) => stack.db.db.selectFrom("orders").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const settled = (id: string, states: string[]) =>
    waitFor(
      async () => {
        const o = await orderRow(id);
        return states.includes(o.confirmation_state ?? "") ? o : null;
      },
      { timeoutMs: 30_000, message: `order ${id} to reach ${states.join(" or ")}` },
    );
  const callsTo = (to: string) => [...stack.cloud.calls.values()].filter((c) => c.to === to);

  test("the customer confirms → CONFIRMED with the seed-shaped final JSON, placed with a number, after one call that greeted them with the order", async () => {
    const to = phone();
    const id = await row(to, "row-confirm");
    stack.cloud.nextCallee({ to, answer: "human", gatherAnswers: [{ speech: "Yes, please confirm it." }] });
    const res = await client.trigger({ row_id: "row-confirm" });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const o = await settled(id, ["confirmed"]);
    // Two large pepperoni in New York: 2 × $22.99 = $45.98; tax 8.875 % = $4.0807… → $4.08; total $50.06.
    assert.deepEqual(o.final_order_json, {
      action: "confirm",
      items: [{ name: "Pepperoni Pizza", qty: 2, size: "Large", modifiers: [], notes: null, unitPriceCents: 2299, lineTotalCents: 4598 }],
      notes: null,
      confirmed: true,
      subtotalCents: 4598,
      taxCents: 408,
      deliveryFeeCents: 0,
      totalCents: 5006,
      currency: "USD",
    });
    assert.deepEqual([o.state, o.confirmation_locked_at, o.total_cents], ["submitted", null, 5006]);
    assert.ok(o.order_number !== null && o.confirmation_call_sid !== null);
    const [call] = callsTo(to);
    assert.equal(callsTo(to).length, 1);
    await call!.done;
    assert.match(
      call!.gathers[0]!.prompts.join(" "),
      /^Hi John, I'm calling from Tony's Pizzeria Midtown to confirm your order of two large pepperoni pizzas, \$50\.06 with tax\. Would you like to confirm or make changes\?/,
    );
  });

  test("'make it 3 pizzas instead' → UPDATED with the new JSON and total; the customer heard the new total", async () => {
    const to = phone();
    const id = await row(to, "row-modify");
    stack.cloud.nextCallee({ to, answer: "human", gatherAnswers: [{ speech: "Make it 3 pepperoni pizzas instead." }, { speech: "Yes." }] });
    assert.equal((await client.trigger({ order_id: id })).status, 202);
    const o = await settled(id, ["updated"]);
    // 3 × $22.99 = $68.97; tax 8.875 % = $6.1210… → $6.12; total $75.09.
    const final = o.final_order_json as { action: string; items: { qty: number }[]; totalCents: number };
    assert.deepEqual([final.action, final.items.map((i) => i.qty), final.totalCents], ["modify", [3], 7509]);
    assert.equal(o.total_cents, 7509);
    const call = callsTo(to)[0]!;
    await call.done;
    assert.match(call.gathers[1]!.prompts.join(" "), /three large pepperoni pizzas, \$75\.09 with tax/);
  });

  test("no answer → FAILED with the reason and the lock cleared; a retry on request calls again and the customer confirms", async () => {
    const to = phone();
    const id = await row(to, "row-noanswer");
    stack.cloud.nextCallee({ to, answer: "no-answer" });
    assert.equal((await client.trigger({ row_id: "row-noanswer" })).status, 202);
    const failed = await settled(id, ["failed"]);
    assert.deepEqual([failed.confirmation_failure, failed.confirmation_locked_at], ["no answer", null]);
    // FAILED is not called again by a plain trigger…
    const again = await client.trigger({ row_id: "row-noanswer" });
    assert.equal(again.status, 409);
    assert.match(String((again.body["error"] as { message: string }).message), /no answer.*retry/);
    // …only on request.
    stack.cloud.nextCallee({ to, answer: "human", gatherAnswers: [{ speech: "yes confirm" }] });
    assert.equal((await client.trigger({ row_id: "row-noanswer" }, { retry: true })).status, 202);
    await settled(id, ["confirmed"]);
    assert.equal(callsTo(to).length, 2);
    // Each dial is its own attempt row, settled by its status callback.
    await waitFor(
      async () => {
        const attempts = await stack.db.db.selectFrom("order_notifications").select(["attempt", "state"]).where("order_id", "=", id).orderBy("attempt").execute();
        return JSON.stringify(attempts.map((a) => [a.attempt, a.state])) === JSON.stringify([[1, "no_answer"], [2, "answered"]]);
      },
      { timeoutMs: 10_000, message: "attempt 1 no_answer and attempt 2 answered" },
    );
  });

  test("voicemail → a short message after the beep, FAILED with that reason, lock cleared", async () => {
    const to = phone();
    const id = await row(to, "row-voicemail");
    stack.cloud.nextCallee({ to, answer: "machine_end_beep" });
    assert.equal((await client.trigger({ order_id: id })).status, 202);
    const o = await settled(id, ["failed"]);
    assert.deepEqual([o.confirmation_failure, o.confirmation_locked_at], ["voicemail: a short message was left", null]);
    const call = callsTo(to)[0]!;
    await call.done;
    assert.match(call.said.map((s) => s.text).join(" "), /^Hi John, this is Tony's Pizzeria Midtown calling to confirm your order\. Please call us back at/);
  });

  test("two triggers at once (and a second job racing the first) → exactly one call", async () => {
    const to = phone();
    const id = await row(to, "row-race");
    stack.cloud.nextCallee({ to, answer: "human", gatherAnswers: [{ speech: "yes" }] });
    // A second job under another id (a second worker replica, an old duplicate) races the triggers' job to the claim.
    const redis = new Redis(stack.redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUES.orderConfirmationCall, { connection: redis, prefix: redisKeys(stack.redisPrefix).bullPrefix() });
    const [, ...results] = await Promise.all([
      queue.add(QUEUES.orderConfirmationCall, { orderId: id, locationId: NY.id }, { jobId: `race-${id}` }),
      client.trigger({ order_id: id }),
      client.trigger({ row_id: "row-race" }),
      client.trigger({ order_id: id }),
    ]);
    await queue.close();
    await redis.quit();
    for (const r of results) assert.ok([202, 409].includes(r.status), JSON.stringify(r));
    await settled(id, ["confirmed"]);
    await stack.cloud.settle();
    assert.equal(callsTo(to).length, 1);
    assert.equal((await client.trigger({ order_id: id })).status, 409, "a confirmed order is never called again");
  });

  test("the worker SIGKILLed as Twilio places the call → exactly one call; the restarted worker never dials it again and the order is settled (retry on request works)", async () => {
    const to = phone();
    const id = await row(to, "row-kill");
    stack.cloud.nextCallee({ to, answer: "human", gatherAnswers: [{ speech: "yes" }] });
    assert.equal((await client.trigger({ order_id: id })).status, 202);
    await stack.cloud.waitForCall((c) => c.to === to);
    await stack.services.worker.kill();
    await stack.restart("worker");
    // The job taken again finds the order CALLED and does nothing; the call is settled by the gateway's
    // conversation (the customer said yes) or, when the dead worker missed the call's webhooks, by the sweep.
    const o = await settled(id, ["confirmed", "failed"]);
    await stack.cloud.settle();
    assert.equal(callsTo(to).length, 1, "exactly one call placed");
    assert.equal(o.confirmation_locked_at, null);
    if (o.confirmation_state === "failed") {
      stack.cloud.nextCallee({ to, answer: "human", gatherAnswers: [{ speech: "yes" }] });
      assert.equal((await client.trigger({ order_id: id }, { retry: true })).status, 202);
      await settled(id, ["confirmed"]);
      assert.equal(callsTo(to).length, 2);
    }
  });

  test("bad input: forged or missing API key → 401, malformed body → 400, unknown order → 404, unknown items / invalid phone refused at intake, a NEW order with an uncallable phone → FAILED with the reason — no call", async () => {
    assert.equal((await client.trigger({ row_id: "row-confirm" }, { key: null })).status, 401);
    assert.equal((await client.trigger({ row_id: "row-confirm" }, { key: `olk_${"0".repeat(48)}` })).status, 401);
    const both = await client.trigger({ row_id: "x", order_id: "00000000-0000-4000-8000-000000000000" });
    assert.equal(both.status, 400);
    assert.match(JSON.stringify(both.body), /exactly one of/);
    assert.equal((await client.trigger({ order_id: "not-a-uuid" })).status, 400);
    assert.equal((await client.trigger({ row_id: "no-such-row" })).status, 404);
    const unknown = await client.intake({ locationId: NY.id, customerName: "Ann", phone: "+14155550299", lines: [{ name: "sushi platter", quantity: 1 }] });
    assert.ok(!unknown.ok && unknown.error.code === "empty_order", JSON.stringify(unknown));
    const badPhone = await client.intake({ locationId: NY.id, customerName: "Ann", phone: "12", lines: [{ name: "coke", quantity: 1 }] });
    assert.ok(!badPhone.ok && badPhone.error.code === "invalid_phone", JSON.stringify(badPhone));
    // A possible but not dialable number (555 area code): taken in, but the worker notes why and never dials.
    const to = "+15551234567";
    const id = await row(to, "row-badphone");
    assert.equal((await client.trigger({ order_id: id })).status, 202);
    const o = await settled(id, ["failed"]);
    assert.match(o.confirmation_failure ?? "", /^not called: the customer phone is not a valid number/);
    assert.equal(callsTo(to).length, 0);
  });
});
