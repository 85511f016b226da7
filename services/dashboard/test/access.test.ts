import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DEMO_LOCATIONS } from "@orderline/db";
import { NOW } from "./support/history.ts";
import { type Client, type DashboardHarness, type Json, signedIn, startHarness, USERS } from "./support/stack.ts";

const NY = DEMO_LOCATIONS.newYork.id;
const CHI = DEMO_LOCATIONS.chicago.id;

describe("who sees what: staff of one location, managers of the chain", () => {
  let h: DashboardHarness;
  let manager: Client;
  let nyStaff: Client;
  let chiStaff: Client;
  let nyOrderId: string;
  let nyCallbackId: string;
  before(async () => {
    h = await startHarness();
    [manager, nyStaff, chiStaff] = await Promise.all([signedIn(h.url, USERS.manager.email), signedIn(h.url, USERS.newYorkStaff.email), signedIn(h.url, USERS.chicagoStaff.email)]);
    const order = await h.db.db.selectFrom("orders").select("id").where("location_id", "=", NY).where("business_date", "=", "2026-06-17").where("channel", "=", "voice").where("state", "=", "submitted").executeTakeFirstOrThrow();
    nyOrderId = order.id;
    const cb = await h.db.db
      .insertInto("callback_requests")
      .values({ location_id: NY, call_sid: "CAcallbackny000000000000000000000001", caller_phone: "+12125550142", reason: "complaint", summary: "Cold pizza", cause: "no_answer" })
      .returning("id")
      .executeTakeFirstOrThrow();
    nyCallbackId = cb.id;
  });
  after(() => h?.close());

  it("a staff member's session lists only their locations; a manager's lists the brand's", async () => {
    assert.deepEqual((await chiStaff.get("/api/auth/session")).body.user.locations.map((l: Json) => l.id), [CHI]);
    assert.equal((await manager.get("/api/auth/session")).body.user.locations.length, 3);
  });

  it("Chicago staff asking for New York's calls, KPIs, charts, board, live feed, callbacks or menu get 403, never the data", async () => {
    const paths = [
      `/api/calls?locationId=${NY}`,
      `/api/kpis?locationId=${NY}`,
      `/api/charts?locationId=${NY}`,
      `/api/orders/board?locationId=${NY}`,
      `/api/orders/stream?locationId=${NY}`,
      `/api/callbacks?locationId=${NY}`,
      `/api/menu/stock?locationId=${NY}`,
      `/api/menu/events?locationId=${NY}`,
    ];
    for (const path of paths) {
      const r = await chiStaff.get(path);
      assert.equal(r.status, 403, path);
      assert.equal(r.body.error.code, "forbidden", path);
      assert.match(r.body.error.message, new RegExp(`location ${NY} is not one of yours`), path);
    }
  });

  it("Chicago staff changing New York's menu are refused before the menu service is asked (403), for items and ingredients alike", async () => {
    const product = await h.db.db.selectFrom("products").select("id").executeTakeFirstOrThrow();
    const ingredient = await h.db.db.selectFrom("ingredients").select("id").executeTakeFirstOrThrow();
    const changes: [string, unknown][] = [
      [`/api/menu/items/${product.id}/sold-out`, { locationId: NY, soldOut: true }],
      [`/api/menu/ingredients/${ingredient.id}/in-stock`, { locationId: NY, inStock: false }],
      [`/api/menu/ingredients/${ingredient.id}/count`, { locationId: NY, quantity: 0 }],
    ];
    for (const [path, body] of changes) {
      const r = await chiStaff.post(path, body);
      assert.deepEqual([r.status, r.body.error?.code], [403, "forbidden"], path);
    }
    assert.equal((await h.db.db.selectFrom("menu_control_events").select("id").execute()).length, 0, "nothing was recorded");
  });

  it("without a location filter Chicago staff's charts, callbacks and searches cover Chicago only", async () => {
    const own = await chiStaff.get("/api/charts?from=2026-06-01&to=2026-06-17");
    const chicago = await manager.get(`/api/charts?locationId=${CHI}&from=2026-06-01&to=2026-06-17`);
    assert.equal(own.status, 200);
    assert.deepEqual(own.body.callsPerDay, chicago.body.callsPerDay);
    assert.deepEqual(own.body.outcomes, chicago.body.outcomes);
    const chain = await manager.get("/api/charts?from=2026-06-01&to=2026-06-17");
    assert.equal(chain.body.outcomes.completed, 3 * own.body.outcomes.completed, "the chain has three locations' calls, Chicago staff one");
    assert.ok(!(await chiStaff.get("/api/callbacks?state=all")).body.callbacks.some((c: Json) => c.id === nyCallbackId));
    // New York's caller number, and a cursor made from a New York call, find nothing of New York's.
    const nyCall = (await nyStaff.get(`/api/calls/${h.sampleCallId}`)).body;
    assert.deepEqual((await chiStaff.get(`/api/calls?from=2026-05-25&to=2026-06-17&q=${encodeURIComponent(nyCall.from)}`)).body.calls, []);
    const cursor = Buffer.from(`${nyCall.startedAt}|${nyCall.id}`).toString("base64url");
    const page = await chiStaff.get(`/api/calls?from=2026-06-17&to=2026-06-17&cursor=${cursor}`);
    assert.ok(page.body.calls.every((c: Json) => c.locationId === CHI));
  });

  it("without a location filter Chicago staff get Chicago's calls, board and KPIs only", async () => {
    const calls = await chiStaff.get("/api/calls?from=2026-06-17&to=2026-06-17");
    assert.equal(calls.status, 200);
    assert.equal(calls.body.calls.length, 5);
    assert.ok(calls.body.calls.every((c: Json) => c.locationId === CHI));
    const board = await chiStaff.get("/api/orders/board");
    assert.ok(board.body.orders.length > 0 && board.body.orders.every((o: Json) => o.locationId === CHI));
    const kpis = await chiStaff.get("/api/kpis");
    assert.deepEqual(Object.keys(kpis.body.periods.today.locations), [CHI]);
    assert.equal(kpis.body.periods.today.chain.calls, 5);
  });

  it("a New York call, order or callback asked for by id by Chicago staff is a 404 (as if it did not exist) and nothing changes", async () => {
    assert.equal((await chiStaff.get(`/api/calls/${h.sampleCallId}`)).status, 404);
    const ready = await chiStaff.post(`/api/orders/${nyOrderId}/ready`);
    assert.equal(ready.status, 404);
    const cb = await chiStaff.post(`/api/callbacks/${nyCallbackId}/state`, { action: "done" });
    assert.equal(cb.status, 404);
    assert.equal((await h.db.db.selectFrom("orders").select("state").where("id", "=", nyOrderId).executeTakeFirstOrThrow()).state, "submitted");
    assert.equal((await h.db.db.selectFrom("callback_requests").select("state").where("id", "=", nyCallbackId).executeTakeFirstOrThrow()).state, "open");
    assert.equal((await chiStaff.get("/api/calls/not-a-uuid")).status, 404);
  });

  it("caller numbers: New York staff see them in full on New York's calls; managers see them masked", async () => {
    const own = await nyStaff.get(`/api/calls/${h.sampleCallId}`);
    assert.equal(own.status, 200);
    assert.match(own.body.from, /^\+1917555\d{4}$/);
    const boss = await manager.get(`/api/calls/${h.sampleCallId}`);
    assert.equal(boss.body.from, `+1 ••••••••${own.body.from.slice(-2)}`);
    assert.equal(boss.body.orders[0].customerPhone, `+1 ••••••••${own.body.from.slice(-2)}`);
    const list = await manager.get(`/api/callbacks?locationId=${NY}`);
    assert.equal(list.body.callbacks[0].callerPhone, "+1 ••••••••42");
    const staffList = await nyStaff.get("/api/callbacks");
    assert.equal(staffList.body.callbacks[0].callerPhone, "+12125550142");
  });

  it("numbers said or written on a call are masked for managers (transcript, tool arguments, events, summaries); staff of the location see them", async (t) => {
    const sid = "CAmaskedtext0000000000000000000001";
    const call = await h.db.db
      .insertInto("voice_calls")
      .values({
        call_sid: sid,
        location_id: NY,
        direction: "inbound",
        phone_from: "+12125550199",
        phone_to: DEMO_LOCATIONS.newYork.phone,
        started_at: new Date(NOW.getTime() - 3_600_000),
        disposition: "transferred",
        escalation_reason: "complaint",
        transcript: JSON.stringify([{ role: "caller", text: "Call me back on (212) 555-0199, order 1042 was $25.03", at: new Date(NOW.getTime() - 3_590_000).toISOString() }]),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await h.db.db
      .insertInto("voice_call_events")
      .values([
        { call_id: call.id, event_type: "tool_call", event_data: JSON.stringify({ tool: "lookup_order", ok: true, args: { phone: "212.555.0199" } }), timestamp: new Date(NOW.getTime() - 3_585_000) },
        { call_id: call.id, event_type: "transfer", event_data: JSON.stringify({ to: "+12125550100", reason: "complaint" }), timestamp: new Date(NOW.getTime() - 3_580_000) },
      ])
      .execute();
    await h.db.db.insertInto("escalations").values({ call_sid: sid, location_id: NY, reason: "complaint", summary: "Wants a manager at 212-555-0199", state: "callback", decision: JSON.stringify({}) }).execute();
    await h.db.db.insertInto("callback_requests").values({ location_id: NY, call_sid: sid, caller_phone: "+12125550199", reason: "complaint", summary: "Call back on 212 555 0199", cause: "no_answer" }).execute();
    // The other tests count the generated history: this call and its rows go again at the end.
    t.after(async () => {
      await h.db.db.deleteFrom("callback_requests").where("call_sid", "=", sid).execute();
      await h.db.db.deleteFrom("escalations").where("call_sid", "=", sid).execute();
      await h.db.db.deleteFrom("voice_call_events").where("call_id", "=", call.id).execute();
      await h.db.db.deleteFrom("voice_calls").where("id", "=", call.id).execute();
    });

    const boss = (await manager.get(`/api/calls/${call.id}`)).body;
    assert.equal(boss.timeline[0].text, "Call me back on +1 ••••••••99, order 1042 was $25.03");
    assert.deepEqual(boss.timeline[1].arguments, { phone: "+1 ••••••••99" });
    assert.deepEqual(boss.timeline[2].data, { to: "+1 ••••••••00", reason: "complaint" });
    assert.equal(boss.escalation.summary, "Wants a manager at +1 ••••••••99");
    assert.equal(boss.callback.summary, "Call back on +1 ••••••••99");
    const listed = (await manager.get(`/api/callbacks?locationId=${NY}`)).body.callbacks.find((c: Json) => c.callId === call.id);
    assert.equal(listed.summary, "Call back on +1 ••••••••99");
    const own = (await nyStaff.get(`/api/calls/${call.id}`)).body;
    assert.equal(own.timeline[0].text, "Call me back on (212) 555-0199, order 1042 was $25.03");
    assert.deepEqual(own.timeline[1].arguments, { phone: "212.555.0199" });
    assert.equal(own.callback.summary, "Call back on 212 555 0199");
  });

  it("a call's page: transcript turns with sentiment, the order with its lines, cost, survey reply", async () => {
    const r = await nyStaff.get(`/api/calls/${h.sampleCallId}`);
    assert.equal(r.body.outcome, "completed");
    assert.deepEqual(
      r.body.timeline.map((t: Json) => [t.kind, t.role, t.sentiment]),
      [
        ["turn", "assistant", null],
        ["turn", "caller", 1],
      ],
    );
    assert.equal(r.body.orders.length, 1);
    assert.equal(r.body.orders[0].totalCents, 2_500); // slot 1
    assert.deepEqual(r.body.cost, { telephonyMicros: 1_000, aiMicros: 149_000, totalMicros: 150_000 });
    assert.deepEqual(r.body.engines, ["realtime"]);
    assert.equal(r.body.survey.score, 5);
  });

  it("calls list: filters by outcome, order, engine; search by phone and order number; keyset pages", async () => {
    const base = `/api/calls?locationId=${NY}&from=2026-06-17&to=2026-06-17`;
    assert.equal((await nyStaff.get(`${base}&outcome=transferred`)).body.calls.length, 1); // slot 4
    assert.equal((await nyStaff.get(`${base}&hasOrder=true`)).body.calls.length, 3); // slots 1–3
    assert.equal((await nyStaff.get(`${base}&hasOrder=false`)).body.calls.length, 2); // slots 0, 4
    assert.equal((await nyStaff.get(`${base}&engine=realtime`)).body.calls.length, 3); // slots 1, 2, 4
    assert.equal((await nyStaff.get(`${base}&transferReason=complaint`)).body.calls.length, 1);
    const sample = (await nyStaff.get(`/api/calls/${h.sampleCallId}`)).body;
    const byPhone = await nyStaff.get(`/api/calls?from=2026-05-25&to=2026-06-17&q=${encodeURIComponent(sample.from)}`);
    assert.deepEqual(byPhone.body.calls.map((c: Json) => c.id), [h.sampleCallId]);
    const number = sample.orders[0].orderNumber;
    const byNumber = await nyStaff.get(`/api/calls?from=2026-06-17&to=2026-06-17&q=%23${number}`);
    assert.ok(byNumber.body.calls.some((c: Json) => c.id === h.sampleCallId));
    const pages: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 5; i++) {
      const r: Json = await nyStaff.get(`${base}&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      pages.push(...r.body.calls.map((c: Json) => c.id));
      cursor = r.body.nextCursor;
      if (!cursor) break;
    }
    assert.equal(pages.length, 5);
    assert.equal(new Set(pages).size, 5);
  });

  it("SQL-looking search text is searched as text: 200, no rows, nothing dropped; a bad filter value is a 400", async () => {
    for (const q of ["'; DROP TABLE voice_calls; --", "1' OR '1'='1", "%", "_"]) {
      const r = await manager.get(`/api/calls?from=2026-06-01&to=2026-06-17&q=${encodeURIComponent(q)}`);
      assert.equal(r.status, 200, q);
      assert.deepEqual(r.body.calls, [], q);
    }
    assert.equal((await h.db.db.selectFrom("voice_calls").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n, h.callCount);
    const bad = await manager.get("/api/calls?outcome=exploded");
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /outcome/);
    assert.equal((await manager.get("/api/calls?cursor=bm9wZQ")).status, 400);
  });
});
