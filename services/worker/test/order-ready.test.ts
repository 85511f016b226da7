import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { EVENT_SUBJECTS, ORDER_ADMIN_SUBJECTS, type OrderStatusEvent, QUEUES, redisKeys } from "@orderline/contracts";
import { Queue } from "bullmq";
import { DEMO_BRAND, DEMO_LOCATIONS } from "@orderline/db";
import { connectNats, type NatsConnection } from "@orderline/nats";
import { insertOrder } from "./support/orders.ts";
import { API_TOKEN, eventually, startWorkerStack, type WorkerStack } from "./support/worker-stack.ts";

const NY = DEMO_LOCATIONS.newYork;
const CHI = DEMO_LOCATIONS.chicago;

describe("order-ready calls (worker + order-service processes, Twilio REST emulator behind the real client)", () => {
  let stack: WorkerStack;
  let nc: NatsConnection;
  before(async () => {
    stack = await startWorkerStack({ orderService: true, env: { READY_SWEEP_INTERVAL_MS: "300" } });
    nc = await connectNats({ url: stack.kit.natsUrl, name: "order-ready-test" });
  });
  after(async () => {
    await nc?.close();
    await stack?.close();
  });

  const outcome = (orderId: string) => () =>
    stack.db.db.selectFrom("orders").select(["ready_call_outcome", "ready_call_detail", "ready_notified_at"]).where("id", "=", orderId).where("ready_call_outcome", "is not", null).executeTakeFirst();
  const attempts = (orderId: string) =>
    stack.db.db.selectFrom("order_notifications").selectAll().where("order_id", "=", orderId).where("kind", "=", "ready_call").orderBy("attempt").execute();
  const callsTo = (phone: string) => [...stack.cloud.calls.values()].filter((c) => c.to === phone && c.direction === "outbound-api");
  const readyCall = (orderId: string, locationId: string, token = API_TOKEN) =>
    fetch(`${stack.baseUrl}/v1/orders/${orderId}/ready-call`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ locationId }),
    });

  test("ready three times (order service event, a repeat of it, the POS endpoint): one call, a person hears the greeting", async () => {
    const phone = "+14155550111";
    const order = await insertOrder(stack.db, { locationId: NY.id, phone, state: "submitted", orderNumber: 47 });
    stack.cloud.nextCallee({ answer: "human", to: phone });
    const reply = await nc.request(ORDER_ADMIN_SUBJECTS.setState(stack.kit.natsSubjectPrefix), JSON.stringify({ orderId: order.id, locationId: NY.id, to: "ready", actor: "staff:kitchen-1" }), { timeout: 5000 });
    assert.equal((reply.json() as { ok: boolean }).ok, true, reply.string());
    const event: OrderStatusEvent = { orderId: order.id, locationId: NY.id, orderNumber: 47, from: "submitted", to: "ready", at: new Date().toISOString(), actor: "staff:kitchen-1" };
    nc.publish(EVENT_SUBJECTS.orderStatus(NY.id, "ready", stack.kit.natsSubjectPrefix), JSON.stringify(event));
    assert.equal((await readyCall(order.id, NY.id)).status, 202);

    const done = await eventually("the ready call's outcome", outcome(order.id));
    assert.equal(done.ready_call_outcome, "answered");
    assert.ok(done.ready_notified_at);
    await stack.cloud.settle();
    const calls = callsTo(phone);
    assert.equal(calls.length, 1, "exactly one call placed");
    assert.deepEqual(calls[0]!.said.map((s) => s.text), ["Hi Mike, your order number 47 from Tony's Pizzeria Midtown is ready for pickup."]);
    const rows = await attempts(order.id);
    assert.deepEqual(
      rows.map((r) => [r.attempt, r.state, r.answered_by, r.provider_sid]),
      [[1, "answered", "human", calls[0]!.sid]],
    );
    // Asked again after the fact: still the one call.
    const again = (await (await readyCall(order.id, NY.id)).json()) as { jobId: string };
    const queue = new Queue(QUEUES.orderReadyCall, { connection: stack.redis, prefix: redisKeys(stack.kit.redisKeyPrefix).bullPrefix() });
    await eventually("the repeated job to be done", async () => (await queue.getJob(again.jobId)) === undefined);
    await queue.close();
    await stack.cloud.settle();
    assert.equal(callsTo(phone).length, 1);
  });

  test("an order that turned ready while its event was missed is called by the sweep", async () => {
    const phone = "+14155550116";
    stack.cloud.nextCallee({ answer: "human", to: phone });
    const order = await insertOrder(stack.db, { locationId: NY.id, phone, orderNumber: 49 });
    await stack.db.db.updateTable("orders").set({ ready_at: new Date() }).where("id", "=", order.id).execute();
    assert.equal((await eventually("the swept order's call", outcome(order.id))).ready_call_outcome, "answered");
    await stack.cloud.settle();
    assert.equal(callsTo(phone).length, 1);
  });

  test("an answering machine gets the voicemail after the beep", async () => {
    const phone = "+14155550112";
    const order = await insertOrder(stack.db, { locationId: NY.id, phone, orderNumber: 48 });
    stack.cloud.nextCallee({ answer: "machine_end_beep", to: phone });
    assert.equal((await readyCall(order.id, NY.id)).status, 202);
    assert.equal((await eventually("the voicemail outcome", outcome(order.id))).ready_call_outcome, "voicemail");
    await stack.cloud.settle();
    assert.deepEqual(callsTo(phone)[0]!.said.map((s) => s.text), ["Hi Mike, this is Tony's Pizzeria Midtown. Your order number 48 is ready for pickup. Thank you!"]);
  });

  test("no answer is retried; the second attempt reaches the customer", async () => {
    const phone = "+14155550113";
    const order = await insertOrder(stack.db, { locationId: NY.id, phone });
    stack.cloud.nextCallee({ answer: "no-answer", to: phone });
    stack.cloud.nextCallee({ answer: "human", to: phone });
    assert.equal((await readyCall(order.id, NY.id)).status, 202);
    assert.equal((await eventually("the outcome after a retry", outcome(order.id))).ready_call_outcome, "answered");
    assert.deepEqual(
      (await attempts(order.id)).map((r) => [r.attempt, r.state]),
      [
        [1, "no_answer"],
        [2, "answered"],
      ],
    );
    assert.equal(callsTo(phone).length, 2);
  });

  test("a customer who texted STOP is not called; START opts back in", async () => {
    const phone = "+14155550114";
    const inbound = `${stack.baseUrl}/twilio/sms/inbound`;
    const sms = (body: string) => stack.cloud.postSigned(inbound, { MessageSid: `SM${"a".repeat(32)}`, AccountSid: stack.cloud.accountSid, From: phone, To: NY.phone, Body: body, NumMedia: "0" });
    assert.equal(await sms(" stop "), 200);
    const customer = () => stack.db.db.selectFrom("customers").select("sms_opt_out").where("phone", "=", phone).where("brand_id", "=", DEMO_BRAND.id).executeTakeFirstOrThrow();
    assert.equal((await customer()).sms_opt_out, true);
    const order = await insertOrder(stack.db, { locationId: NY.id, phone });
    assert.equal((await readyCall(order.id, NY.id)).status, 202);
    const done = await eventually("the opted-out outcome", outcome(order.id));
    assert.deepEqual([done.ready_call_outcome, done.ready_call_detail], ["opted_out", "the customer replied STOP"]);
    assert.equal(callsTo(phone).length, 0);
    assert.equal(await sms("START"), 200);
    assert.equal((await customer()).sms_opt_out, false);
    // An unsigned webhook changes nothing.
    const forged = await fetch(inbound, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `From=${encodeURIComponent(phone)}&To=${encodeURIComponent(NY.phone)}&Body=STOP` });
    assert.equal(forged.status, 403);
    assert.equal((await customer()).sms_opt_out, false);
  });

  test("a phone that is not a valid number: no call, the reason recorded", async () => {
    const order = await insertOrder(stack.db, { locationId: NY.id, phone: "+15551234567" });
    assert.equal((await readyCall(order.id, NY.id)).status, 202);
    const done = await eventually("the invalid-phone outcome", outcome(order.id));
    assert.deepEqual([done.ready_call_outcome, done.ready_call_detail], ["invalid_phone", "the customer phone is not a valid number"]);
    assert.equal(callsTo("+15551234567").length, 0);
  });

  test("the endpoint rejects a bad token, an unknown order and another location's order", async () => {
    const order = await insertOrder(stack.db, { locationId: NY.id, phone: "+14155550115" });
    assert.equal((await readyCall(order.id, NY.id, "wrong-token")).status, 401);
    assert.equal((await readyCall("6f0b8e5e-3c1a-4f7e-9d7e-8a2f1f0c1b2a", NY.id)).status, 404);
    const other = await readyCall(order.id, CHI.id);
    assert.equal(other.status, 404);
    assert.match(JSON.stringify(await other.json()), /no order .* at location/);
    const bad = await fetch(`${stack.baseUrl}/v1/orders/not-a-uuid/ready-call`, { method: "POST", headers: { authorization: `Bearer ${API_TOKEN}`, "content-type": "application/json" }, body: "{}" });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(await bad.json()), /orderId.*locationId/);
    assert.equal((await attempts(order.id)).length, 0);
  });
});
