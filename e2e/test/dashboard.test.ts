import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DEMO_DASHBOARD_USERS, DEMO_LOCATIONS } from "@orderline/db";
import { waitFor } from "@orderline/testing";
import { type LocalStack, PUBLIC_BASE_URL, startLocalStack } from "../src/local-stack.ts";
import { STANDARD_ORDER_CALLER, STANDARD_ORDER_MODEL } from "../src/standard-order.ts";

const NY = DEMO_LOCATIONS.newYork;

/** A signed-in browser session against the dashboard: cookie and CSRF token kept. */
async function login(base: string, email: string, password: string) {
  const r = await fetch(`${base}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
  assert.equal(r.status, 200, await r.clone().text());
  const cookie = r.headers.getSetCookie()[0]!.split(";")[0]!;
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  return {
    get: async <T>(path: string): Promise<T> => (await fetch(base + path, { headers: { cookie } })).json() as Promise<T>,
    post: (path: string) => fetch(base + path, { method: "POST", headers: { cookie, "x-csrf-token": csrfToken, "content-type": "application/json" }, body: "{}" }),
  };
}

describe("end to end: the dashboard over a real call", () => {
  let stack: LocalStack;
  before(async () => {
    stack = await startLocalStack({ timeScale: 0.5, dashboard: true, workerEnv: { QUIET_HOURS: "00:00-00:00" } });
  });
  after(() => stack?.close());

  test("the standard order's call shows up for Midtown staff with its transcript; mark ready makes the worker call the customer", async () => {
    stack.realtime.script(STANDARD_ORDER_MODEL);
    const from = "+14155550477";
    const call = stack.cloud.placeCall({ url: `${PUBLIC_BASE_URL}/voice/incoming`, statusCallback: `${PUBLIC_BASE_URL}/voice/status`, from, to: NY.phone, caller: STANDARD_ORDER_CALLER });
    await call.done;
    const record = await stack.callRecord(call.sid);
    const staff = await login(stack.dashboardUrl!, DEMO_DASHBOARD_USERS.midtownStaff.email, DEMO_DASHBOARD_USERS.midtownStaff.password);

    const list = await staff.get<{ calls: { id: string; from: string; outcome: string }[] }>(`/api/calls?q=${encodeURIComponent(from)}`);
    assert.deepEqual(list.calls.map((c) => [c.id, c.from, c.outcome]), [[record.call.id, from, "completed"]]);
    const page = await staff.get<{ timeline: { kind: string; name?: string }[]; orders: { id: string; customerPhone: string }[] }>(`/api/calls/${record.call.id}`);
    assert.ok(page.timeline.some((t) => t.kind === "turn"));
    assert.ok(page.timeline.some((t) => t.kind === "tool" && t.name === "submit_order"));
    const order = page.orders[0]!;
    assert.equal(order.customerPhone, "+15551234567", "staff of the location see the number in full");

    const manager = await login(stack.dashboardUrl!, DEMO_DASHBOARD_USERS.manager.email, DEMO_DASHBOARD_USERS.manager.password);
    const kpis = await manager.get<{ periods: { today: { chain: { calls: number } } } }>("/api/kpis");
    assert.ok(kpis.periods.today.chain.calls >= 1);

    // The standard order's spoken number (555-123-4567) is not a dialable one: the worker would record invalid_phone.
    await stack.db.db.updateTable("orders").set({ customer_phone: from }).where("id", "=", order.id).execute();
    stack.cloud.nextCallee({ answer: "human", to: from });
    const ready = await staff.post(`/api/orders/${order.id}/ready`);
    assert.equal(ready.status, 200, await ready.clone().text());
    await waitFor(
      () => [...stack.cloud.calls.values()].find((c) => c.to === from && c.direction === "outbound-api"),
      { timeoutMs: 30_000, message: "the worker's order-ready call to the customer" },
    );
  });
});
