import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DEMO_LOCATIONS } from "@orderline/db";
import { type LocalStack, startLocalStack } from "@orderline/testing";
import { waitFor } from "@orderline/testing/wait-for";
import { openEventStream } from "./support/sse.ts";
import { type Client, type DashboardHarness, signedIn, startHarness, USERS } from "./support/stack.ts";

const NY = DEMO_LOCATIONS.newYork.id;
const CHI = DEMO_LOCATIONS.chicago.id;

describe("order board live feed, mark ready and callbacks through the real order and escalation services", () => {
  let h: DashboardHarness;
  let kit: LocalStack;
  let nyStaff: Client;
  let chiStaff: Client;
  const todays = async (locationId: string) =>
    (await h.db.db.selectFrom("orders").select("id").where("location_id", "=", locationId).where("business_date", "=", "2026-06-17").where("channel", "=", "voice").where("state", "=", "submitted").orderBy("order_number").execute()).map((o) => o.id);

  before(async () => {
    h = await startHarness();
    kit = await startLocalStack({
      database: false,
      env: { DATABASE_URL: h.db.url, NATS_SUBJECT_PREFIX: h.natsPrefix, LOG_LEVEL: "warn" },
      services: [{ name: "order-service" }, { name: "escalation-service" }],
    });
    [nyStaff, chiStaff] = await Promise.all([signedIn(h.url, USERS.newYorkStaff.email), signedIn(h.url, USERS.chicagoStaff.email)]);
  });
  after(async () => {
    await kit?.stop();
    await h?.close();
  });

  it("the board lists today's orders of the staff member's location by state", async () => {
    const r = await nyStaff.get("/api/orders/board");
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.days, [{ locationId: NY, date: "2026-06-17" }]);
    // Today per location: 3 voice orders and 1 web order submitted, 1 cancelled voice order.
    assert.deepEqual(r.body.orders.map((o: { state: string }) => o.state).sort(), ["cancelled", "submitted", "submitted", "submitted", "submitted"]);
  });

  it("mark ready moves the order through the order service; the live stream of that location gets it, another location's does not", async () => {
    const ny = await openEventStream(`${h.url}/api/orders/stream`, nyStaff.cookie);
    const chi = await openEventStream(`${h.url}/api/orders/stream`, chiStaff.cookie);
    try {
      assert.equal(ny.status, 200);
      const [orderId] = await todays(NY);
      const r = await nyStaff.post(`/api/orders/${orderId}/ready`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body, { orderId, from: "submitted", to: "ready", changed: true });
      await waitFor(() => ny.events.find((e) => e.data.orderId === orderId), { timeoutMs: 10_000, message: "the ready event on New York's stream" });
      const event = ny.events.find((e) => e.data.orderId === orderId)!;
      assert.equal(event.event, "order");
      assert.equal(event.data.to, "ready");
      assert.equal(event.data.order.state, "ready");
      assert.equal(event.data.actor, "dashboard:ny@tonys.test");
      const history = await h.db.db.selectFrom("order_status_events").select(["from_state", "to_state", "actor"]).where("order_id", "=", orderId!).execute();
      assert.deepEqual(history, [{ from_state: "submitted", to_state: "ready", actor: "dashboard:ny@tonys.test" }]);
      // A Chicago change afterwards is the first thing Chicago's stream sees: New York's never reached it.
      const [chiOrder] = await todays(CHI);
      assert.equal((await chiStaff.post(`/api/orders/${chiOrder}/ready`)).status, 200);
      await waitFor(() => chi.events.length > 0, { timeoutMs: 10_000, message: "Chicago's own event" });
      assert.deepEqual(chi.events.map((e) => e.data.orderId), [chiOrder]);
      const again = await nyStaff.post(`/api/orders/${orderId}/ready`);
      assert.deepEqual(again.body, { orderId, from: "ready", to: "ready", changed: false });
    } finally {
      ny.close();
      chi.close();
    }
  });

  it("a completed order cannot be marked ready: 409 with the order service's reason", async () => {
    const done = await h.db.db.selectFrom("orders").select("id").where("location_id", "=", NY).where("state", "=", "completed").executeTakeFirstOrThrow();
    const r = await nyStaff.post(`/api/orders/${done.id}/ready`);
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, "order_not_editable");
  });

  it("callback requests: called back, then reopened, through the escalation service", async () => {
    const cb = await h.db.db
      .insertInto("callback_requests")
      .values({ location_id: NY, call_sid: "CAlivecallback00000000000000000000001", caller_phone: "+12125550199", reason: "caller_request", summary: "Wants a manager", cause: "outside_hours" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const list = await nyStaff.get("/api/callbacks");
    assert.deepEqual(list.body.callbacks.map((c: { id: string }) => c.id), [cb.id]);
    const done = await nyStaff.post(`/api/callbacks/${cb.id}/state`, { action: "called_back" });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.deepEqual(done.body, { callbackRequestId: cb.id, from: "open", to: "done", changed: true });
    const row = await h.db.db.selectFrom("callback_requests").select(["state", "note", "done_by"]).where("id", "=", cb.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { state: "done", note: "called back", done_by: "dashboard:ny@tonys.test" });
    assert.deepEqual((await nyStaff.get("/api/callbacks")).body.callbacks, []);
    assert.equal((await nyStaff.post(`/api/callbacks/${cb.id}/state`, { action: "reopen" })).body.to, "open");
    const bad = await nyStaff.post(`/api/callbacks/${cb.id}/state`, { action: "explode" });
    assert.equal(bad.status, 400);
  });

  it("with the order service stopped, mark ready answers 503 (not 500) and the order is unchanged", async () => {
    await kit.services["order-service"]!.stop();
    const [, orderId] = await todays(NY);
    const r = await nyStaff.post(`/api/orders/${orderId}/ready`);
    assert.equal(r.status, 503);
    assert.equal(r.body.error.code, "service_unavailable");
    assert.equal((await h.db.db.selectFrom("orders").select("state").where("id", "=", orderId!).executeTakeFirstOrThrow()).state, "submitted");
  });
});
