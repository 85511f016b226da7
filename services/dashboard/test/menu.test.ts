import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { type RequestEnvelopeInput, TOOLS, type ToolName, toolSubject } from "@orderline/contracts";
import { DEMO_LOCATIONS, seedUuid } from "@orderline/db";
import { openAroundTheClock } from "@orderline/db/testing";
import { requestTool } from "@orderline/nats";
import { type LocalStack, startLocalStack } from "@orderline/testing";
import { type Client, type DashboardHarness, type Json, signedIn, startHarness, USERS } from "./support/stack.ts";

const NY = DEMO_LOCATIONS.newYork.id;
const CHI = DEMO_LOCATIONS.chicago.id;
const KNOTS = seedUuid("product:garlic-knots");
const MUSHROOMS = seedUuid("ingredient:mushrooms");

describe("menu control through the dashboard: the real menu and order services see each change on the next tool call", () => {
  let h: DashboardHarness;
  let kit: LocalStack;
  let nyStaff: Client;
  let chiStaff: Client;
  let manager: Client;

  /** A tool call as a live call at New York makes it (the envelope the gateway sends). */
  const tool = (name: ToolName, args: unknown, envelope: RequestEnvelopeInput = { callSid: `CA${randomUUID().replaceAll("-", "")}`, locationId: NY, orderSessionId: randomUUID() }) =>
    requestTool(h.nc, toolSubject(name, h.natsPrefix), { envelope, args }, { timeoutMs: 5000, result: TOOLS[name].result }) as Promise<Json>;

  before(async () => {
    h = await startHarness({ history: false, clock: () => new Date() });
    await openAroundTheClock(h.db.db);
    kit = await startLocalStack({
      database: false,
      env: { DATABASE_URL: h.db.url, NATS_SUBJECT_PREFIX: h.natsPrefix, LOG_LEVEL: "warn" },
      services: [{ name: "menu-service" }, { name: "order-service" }],
    });
    [nyStaff, chiStaff, manager] = await Promise.all([signedIn(h.url, USERS.newYorkStaff.email), signedIn(h.url, USERS.chicagoStaff.email), signedIn(h.url, USERS.manager.email)]);
  });
  after(async () => {
    await kit?.stop();
    await h?.close();
  });

  it("lists the staff member's location's items and ingredients", async () => {
    const r = await nyStaff.get("/api/menu/stock");
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.locationId, NY);
    const knots = r.body.items.find((i: Json) => i.productId === KNOTS);
    assert.deepEqual([knots.name, knots.soldOut, knots.available], ["Garlic Knots", false, true]);
    assert.ok(r.body.ingredients.some((i: Json) => i.ingredientId === MUSHROOMS && i.name === "Mushrooms"));
  });

  it("an item 86'd is refused by the next check_availability and add_item; back on, it is accepted; the change is recorded with its actor", async () => {
    const off = await nyStaff.post(`/api/menu/items/${KNOTS}/sold-out`, { soldOut: true, note: "oven down" });
    assert.equal(off.status, 200, JSON.stringify(off.body));
    assert.deepEqual([off.body.soldOut, off.body.available, off.body.changed], [true, false, true]);
    const check = await tool("check_availability", { item_name: "garlic knots" });
    assert.deepEqual([check.ok, check.result.available, check.result.reason], [true, false, "sold_out"]);
    const envelope = { callSid: `CA${randomUUID().replaceAll("-", "")}`, locationId: NY, orderSessionId: randomUUID(), callerPhone: "+12125552001" };
    const started = await tool("start_order", { order_type: "pickup" }, envelope);
    assert.equal(started.ok, true, JSON.stringify(started));
    const add = await tool("add_item", { item: "garlic knots" }, envelope);
    assert.deepEqual([add.ok, add.error?.code], [false, "out_of_stock"]);

    const back = await nyStaff.post(`/api/menu/items/${KNOTS}/sold-out`, { soldOut: false });
    assert.deepEqual([back.body.soldOut, back.body.available], [false, true]);
    assert.equal((await tool("check_availability", { item_name: "garlic knots" })).result.available, true);
    const added = await tool("add_item", { item: "garlic knots", size: "6 piece" }, envelope);
    assert.equal(added.ok, true, JSON.stringify(added));

    const events = await nyStaff.get("/api/menu/events");
    assert.deepEqual(
      events.body.events.map((e: Json) => [e.action, e.name, e.actor, e.note]),
      [
        ["item_back", "Garlic Knots", "dashboard:ny@tonys.test", null],
        ["item_sold_out", "Garlic Knots", "dashboard:ny@tonys.test", "oven down"],
      ],
    );
  });

  it("an ingredient counted down to zero takes its items off; marked out and back in through the page's endpoints", async () => {
    const seeded = (await nyStaff.get("/api/menu/stock")).body.ingredients.find((i: Json) => i.ingredientId === MUSHROOMS);
    const counted = await nyStaff.post(`/api/menu/ingredients/${MUSHROOMS}/count`, { quantity: 3 });
    assert.equal(counted.status, 200, JSON.stringify(counted.body));
    assert.deepEqual([counted.body.quantity, counted.body.quantityBefore, counted.body.available], [3, seeded.quantity, true]);
    const zero = await nyStaff.post(`/api/menu/ingredients/${MUSHROOMS}/count`, { delta: -3, note: "spoiled" });
    assert.deepEqual([zero.body.quantity, zero.body.available], [0, false]);
    const check = await tool("check_availability", { item_name: "mushroom pizza" });
    assert.deepEqual([check.result.available, check.result.reason], [false, "ingredient_out_of_stock"]);

    assert.equal((await nyStaff.post(`/api/menu/ingredients/${MUSHROOMS}/count`, { quantity: null })).body.quantity, null);
    const out = await nyStaff.post(`/api/menu/ingredients/${MUSHROOMS}/in-stock`, { inStock: false });
    assert.deepEqual([out.body.inStock, out.body.available], [false, false]);
    assert.equal((await tool("check_availability", { item_name: "mushroom pizza" })).result.available, false);
    const back = await nyStaff.post(`/api/menu/ingredients/${MUSHROOMS}/in-stock`, { inStock: true });
    assert.deepEqual([back.body.inStock, back.body.available], [true, true]);
    assert.equal((await tool("check_availability", { item_name: "mushroom pizza" })).result.available, true);
  });

  it("bad input and other locations are refused with what was wrong, and nothing changes", async () => {
    // Mushrooms not counted: a delta is refused.
    assert.equal((await nyStaff.post(`/api/menu/ingredients/${MUSHROOMS}/count`, { quantity: null })).status, 200);
    const before = (await nyStaff.get("/api/menu/stock")).body;
    const cases: [Client, string, unknown, number, string][] = [
      [chiStaff, `/api/menu/items/${KNOTS}/sold-out`, { locationId: NY, soldOut: true }, 403, "forbidden"],
      [manager, `/api/menu/items/${KNOTS}/sold-out`, { soldOut: true }, 400, "invalid_request"],
      [nyStaff, `/api/menu/items/${KNOTS}/sold-out`, { soldOut: "yes" }, 400, "invalid_request"],
      [nyStaff, `/api/menu/items/not-a-uuid/sold-out`, { soldOut: true }, 400, "invalid_request"],
      [nyStaff, `/api/menu/items/${randomUUID()}/sold-out`, { soldOut: true }, 404, "not_on_menu"],
      [nyStaff, `/api/menu/ingredients/${MUSHROOMS}/count`, { quantity: 2, delta: 1 }, 400, "invalid_request"],
      [nyStaff, `/api/menu/ingredients/${MUSHROOMS}/count`, { delta: -1 }, 400, "invalid_quantity"],
      [nyStaff, `/api/menu/ingredients/${MUSHROOMS}/count`, { quantity: -5 }, 400, "invalid_request"],
    ];
    for (const [client, path, body, status, code] of cases) {
      const r = await client.post(path, body);
      assert.deepEqual([r.status, r.body.error?.code], [status, code], `${path} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
      assert.ok(r.body.error.message.length > 0);
    }
    const noCsrf = await nyStaff.post(`/api/menu/items/${KNOTS}/sold-out`, { soldOut: true }, { csrf: false });
    assert.deepEqual([noCsrf.status, noCsrf.body.error.code], [403, "csrf_token"]);
    assert.equal((await chiStaff.get(`/api/menu/stock?locationId=${NY}`)).status, 403);
    assert.equal((await manager.get(`/api/menu/stock?locationId=${CHI}`)).body.locationId, CHI);
    assert.deepEqual((await chiStaff.get("/api/menu/events")).body.events, [], "New York's changes are not Chicago's");
    assert.deepEqual((await nyStaff.get("/api/menu/stock")).body, before);
  });
});
