import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { EVENT_SUBJECTS, ORDER_ADMIN_SUBJECTS, OrderStatusEvent, type SetOrderStateResult, type ToolReply } from "@orderline/contracts";
import { DEMO_LOCATIONS } from "@orderline/db";
import { type Harness, NY, startHarness } from "./harness.ts";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

async function setState(body: unknown): Promise<ToolReply<SetOrderStateResult>> {
  const msg = await h.nc.request(ORDER_ADMIN_SUBJECTS.setState(h.prefix), JSON.stringify(body), { timeout: 10_000 });
  return msg.json();
}

async function placedOrder(): Promise<string> {
  const env = h.envelope({ callerPhone: "+12125550123" });
  await h.ok("start_order", { order_type: "pickup" }, env);
  await h.ok("add_item", { item: "large coke" }, env);
  return (await h.ok("submit_order", { customer_name: "Eve" }, env)).orderId;
}

describe("staff-side order state changes", () => {
  it("moves an order submitted → in_progress → ready → completed, recording and publishing each change", async () => {
    const orderId = await placedOrder();
    const events: OrderStatusEvent[] = [];
    const sub = h.nc.subscribe(EVENT_SUBJECTS.orderStatusAll(h.prefix), { callback: (_e, m) => {
        events.push(OrderStatusEvent.parse(m.json()));
      },
    });
    await h.nc.flush();
    for (const to of ["in_progress", "ready", "completed"] as const) {
      const r = await setState({ orderId, locationId: NY.id, to, actor: "staff:kitchen-1" });
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(r.result.to, to);
      assert.equal(r.result.changed, true);
    }
    const again = await setState({ orderId, locationId: NY.id, to: "completed", actor: "staff:kitchen-1" });
    assert.ok(again.ok && again.result.changed === false, "repeating the current state is a no-op");
    const rows = await h.db.selectFrom("order_status_events").select(["from_state", "to_state", "actor"]).where("order_id", "=", orderId).orderBy("id").execute();
    assert.deepEqual(
      rows.map((r) => `${r.from_state}->${r.to_state}`),
      ["draft->submitted", "submitted->in_progress", "in_progress->ready", "ready->completed"],
    );
    const order = await h.db.selectFrom("orders").select(["state", "ready_at", "completed_at"]).where("id", "=", orderId).executeTakeFirstOrThrow();
    assert.equal(order.state, "completed");
    assert.ok(order.ready_at && order.completed_at);
    await h.nc.flush();
    await sub.drain();
    assert.deepEqual(
      events.filter((e) => e.orderId === orderId).map((e) => e.to),
      ["in_progress", "ready", "completed"],
    );
  });

  it("refuses transitions the state machine doesn't allow", async () => {
    const orderId = await placedOrder();
    await setState({ orderId, locationId: NY.id, to: "cancelled", actor: "staff:manager" });
    const r = await setState({ orderId, locationId: NY.id, to: "ready", actor: "staff:kitchen-1" });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.code, "order_not_editable");
  });

  it("refuses another location's order and unknown orders alike", async () => {
    const orderId = await placedOrder();
    for (const body of [
      { orderId, locationId: DEMO_LOCATIONS.chicago.id, to: "ready", actor: "staff:x" },
      { orderId: randomUUID(), locationId: NY.id, to: "ready", actor: "staff:x" },
    ]) {
      const r = await setState(body);
      assert.equal(!r.ok && r.error.code, "wrong_location");
    }
    const order = await h.db.selectFrom("orders").select("state").where("id", "=", orderId).executeTakeFirstOrThrow();
    assert.equal(order.state, "submitted");
  });

  it("rejects malformed requests with a clear message", async () => {
    const r = await setState({ orderId: "nope", locationId: NY.id, to: "ready" });
    assert.equal(!r.ok && r.error.code, "invalid_arguments");
    assert.match(!r.ok ? r.error.message : "", /orderId/);
  });
});
