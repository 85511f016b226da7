import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  MENU_CONTROL_SUBJECTS,
  MenuStockResult,
  type RequestEnvelopeInput,
  SetIngredientStockResult,
  SetItemSoldOutResult,
  type ToolReply,
  toolReply,
  toolSubject,
} from "@orderline/contracts";
import { DEMO_LOCATIONS, seedUuid } from "@orderline/db";
import { createTestDatabase, openAroundTheClock, type TestDatabase } from "@orderline/db/testing";
import { connectNats, drainNats, type NatsConnection } from "@orderline/nats";
import { createLogger } from "@orderline/telemetry";
import { type LocalStack, startLocalStack } from "@orderline/testing";
import type { z } from "zod";
import { type MenuService, startMenuService } from "../src/service.ts";
import { caller, envelopeFor, err, NATS_URL, ok } from "./helpers.ts";

/**
 * Staff menu control against two menu-service replicas (in process, each with its own NATS connection and its
 * own LISTEN connection) and the real order service (its own process), all on one seeded database. Every
 * service reads the real clock, so the locations are open around the clock.
 */
const NY = DEMO_LOCATIONS.newYork;
const KNOTS = seedUuid("product:garlic-knots");
const MUSHROOMS = seedUuid("ingredient:mushrooms");
const FRESH_MOZZARELLA = seedUuid("ingredient:fresh-mozzarella");
const BASIL = seedUuid("ingredient:basil");
const logger = createLogger({ service: "menu-control-test", level: "silent" });

let tdb: TestDatabase;
let stack: LocalStack;
let nc: NatsConnection;
const replicas: { nc: NatsConnection; service: MenuService }[] = [];
let prefix: string;
let call: ReturnType<typeof caller>;

before(async () => {
  tdb = await createTestDatabase({ seed: true });
  await openAroundTheClock(tdb.db);
  stack = await startLocalStack({ database: false, services: [{ name: "order-service" }], env: { DATABASE_URL: tdb.url, LOG_LEVEL: "warn" } });
  prefix = stack.natsSubjectPrefix;
  nc = await connectNats({ url: NATS_URL, name: "menu-control-test" });
  for (const name of ["a", "b"]) {
    const replicaNc = await connectNats({ url: NATS_URL, name: `menu-service-${name}` });
    // Long safety-net lifetime: only the NATS event and NOTIFY can make a change visible.
    const service = startMenuService({ db: tdb.db, nc: replicaNc, subjectPrefix: prefix, logger, databaseUrl: tdb.url, cacheTtlMs: 600_000 });
    replicas.push({ nc: replicaNc, service });
  }
  await Promise.all(replicas.map((r) => r.service.ready()));
  call = caller(nc, prefix);
});
after(async () => {
  for (const r of replicas) {
    await r.service.stop();
    await drainNats(r.nc);
  }
  if (nc) await drainNats(nc);
  await stack?.stop();
  await tdb?.close();
});

async function staff<S extends z.ZodType>(subject: string, body: unknown, result: S): Promise<ToolReply<z.output<S>>> {
  const msg = await nc.request(subject, typeof body === "string" ? body : JSON.stringify(body), { timeout: 10_000 });
  return toolReply(result).parse(msg.json()) as ToolReply<z.output<S>>;
}
const setItem = (body: Record<string, unknown>) => staff(MENU_CONTROL_SUBJECTS.setItemSoldOut(prefix), { locationId: NY.id, actor: "dashboard:alice", ...body }, SetItemSoldOutResult);
const setInStock = (body: Record<string, unknown>) =>
  staff(MENU_CONTROL_SUBJECTS.setIngredientInStock(prefix), { locationId: NY.id, actor: "dashboard:bob", ...body }, SetIngredientStockResult);
const setCount = (body: Record<string, unknown>) =>
  staff(MENU_CONTROL_SUBJECTS.setIngredientCount(prefix), { locationId: NY.id, actor: "dashboard:bob", ...body }, SetIngredientStockResult);
const stockList = () => staff(MENU_CONTROL_SUBJECTS.stock(prefix), { locationId: NY.id }, MenuStockResult);

/** Both replicas' snapshots of New York loaded (what a busy service has in memory before the change). */
async function warm(): Promise<void> {
  for (const r of replicas) await r.service.cache.get(NY.id);
}

const CHECK = toolSubject("check_availability", "");
const servedChecks = () => replicas.map((r) => r.service.served.get(`${prefix}${CHECK}`) ?? 0);

/**
 * check_availability asked again and again until each replica has answered at least once (queue group:
 * either may take a request); every answer must be `expect`. Bounded.
 */
async function everyReplicaSays(item: string, expect: (r: Awaited<ReturnType<typeof okCheck>>) => void): Promise<void> {
  const start = servedChecks();
  for (let i = 0; i < 60; i++) {
    expect(await okCheck(item));
    const now = servedChecks();
    if (now.every((n, k) => n > start[k]!)) return;
  }
  assert.fail(`check_availability never reached both replicas: ${servedChecks().join(", ")} served`);
}
async function okCheck(item: string) {
  return ok(await call("check_availability", { item_name: item }, envelopeFor(NY.id)));
}

let callerNo = 0;
/** A call with an open pickup order (its own caller number). */
async function newCall(): Promise<RequestEnvelopeInput> {
  const env = envelopeFor(NY.id, { callerPhone: `+1212555${String(2000 + callerNo++)}` });
  ok(await call("start_order", { order_type: "pickup" }, env));
  return env;
}

describe("an item 86'd by staff", () => {
  it("is refused by the next check_availability of every replica and by add_item, omitted by get_menu and get_item_details; back in stock it is accepted", async () => {
    await warm();
    assert.equal((await okCheck("garlic knots")).available, true);
    const off = ok(await setItem({ productId: KNOTS, soldOut: true, note: "oven down" }));
    assert.deepEqual([off.changed, off.soldOut, off.available, off.reason, off.name], [true, true, false, "sold_out", "Garlic Knots"]);

    await everyReplicaSays("garlic knots", (r) => {
      assert.deepEqual([r.available, r.reason], [false, "sold_out"]);
      assert.match(r.speech, /Sorry, the Garlic Knots is sold out right now/);
    });
    const env = await newCall();
    const refused = err(await call("add_item", { item: "garlic knots" }, env));
    assert.equal(refused.code, "out_of_stock");
    assert.match(refused.message, /Garlic Knots is sold out/);
    const sides = ok(await call("get_menu", { category: "sides" }, envelopeFor(NY.id)));
    assert.equal(sides.items?.find((i) => i.productId === KNOTS)?.available, false);
    assert.match(sides.speech, /The Garlic Knots isn't available right now\.$/);
    assert.equal(sides.speech.match(/Garlic Knots/g)?.length, 1, "not offered among the available items");
    const details = ok(await call("get_item_details", { item_name: "garlic knots" }, envelopeFor(NY.id)));
    assert.deepEqual([details.available, details.unavailableReason], [false, "sold_out"]);
    assert.match(details.speech, /Garlic Knots is sold out/);

    const back = ok(await setItem({ productId: KNOTS, soldOut: false }));
    assert.deepEqual([back.changed, back.soldOut, back.available], [true, false, true]);
    await everyReplicaSays("garlic knots", (r) => assert.equal(r.available, true));
    ok(await call("add_item", { item: "6 piece garlic knots" }, env));

    // The same state again changes and records nothing.
    assert.equal(ok(await setItem({ productId: KNOTS, soldOut: false })).changed, false);
    const records = await tdb.db
      .selectFrom("menu_control_events")
      .select(["action", "product_id", "subject_name", "actor", "note"])
      .where("product_id", "=", KNOTS)
      .orderBy("id")
      .execute();
    assert.deepEqual(records, [
      { action: "item_sold_out", product_id: KNOTS, subject_name: "Garlic Knots", actor: "dashboard:alice", note: "oven down" },
      { action: "item_back", product_id: KNOTS, subject_name: "Garlic Knots", actor: "dashboard:alice", note: null },
    ]);
  });
});

describe("ingredients", () => {
  it("counted down to zero by submitted orders: its items are refused by check_availability on every replica and by add_item; restocked they are back", async () => {
    const counted = ok(await setCount({ ingredientId: MUSHROOMS, quantity: 2 }));
    assert.deepEqual([counted.quantity, counted.quantityBefore, counted.available, counted.changed], [2, 40, true, true]);
    assert.ok(counted.usedBy.some((p) => p.name === "Mushroom Pizza"));
    await warm();

    const order = await newCall();
    ok(await call("add_item", { item: "large mushroom pizza", quantity: 2 }, order));
    const placed = ok(await call("submit_order", { customer_name: "Dee" }, order));
    assert.equal(placed.state, "submitted");

    await everyReplicaSays("mushroom pizza", (r) => {
      assert.deepEqual([r.available, r.reason], [false, "ingredient_out_of_stock"]);
      assert.match(r.speech, /Mushroom Pizza isn't available right now: we're out of mushrooms/);
    });
    const refused = err(await call("add_item", { item: "large supreme pizza" }, await newCall()));
    assert.equal(refused.code, "out_of_stock");
    assert.match(refused.message, /Supreme Pizza/);

    const list = ok(await stockList());
    const mushrooms = list.ingredients.find((i) => i.ingredientId === MUSHROOMS);
    assert.deepEqual([mushrooms?.quantity, mushrooms?.inStock, mushrooms?.available], [0, true, false]);
    const pizza = list.items.find((i) => i.name === "Mushroom Pizza");
    assert.deepEqual([pizza?.available, pizza?.reason, pizza?.missingIngredients], [false, "ingredient_out_of_stock", ["Mushrooms"]]);
    const counter = await tdb.db.selectFrom("menu_control_events").select(["action", "actor"]).where("order_id", "=", placed.orderId).execute();
    assert.deepEqual(counter, [{ action: "ingredient_counted_out", actor: "order-service" }]);

    const restocked = ok(await setCount({ ingredientId: MUSHROOMS, delta: 12, note: "delivery" }));
    assert.deepEqual([restocked.quantityBefore, restocked.quantity, restocked.available], [0, 12, true]);
    await everyReplicaSays("mushroom pizza", (r) => assert.equal(r.available, true));
    ok(await call("add_item", { item: "large mushroom pizza" }, await newCall()));
  });

  it("marked out by staff takes every item made with it off; back brings them back", async () => {
    await warm();
    const out = ok(await setInStock({ ingredientId: FRESH_MOZZARELLA, inStock: false, note: "bad batch" }));
    assert.deepEqual([out.inStock, out.available, out.quantity, out.changed], [false, false, 30, true]);
    await everyReplicaSays("margherita pizza", (r) => assert.deepEqual([r.available, r.reason], [false, "ingredient_out_of_stock"]));
    assert.equal(err(await call("add_item", { item: "large margherita pizza" }, await newCall())).code, "out_of_stock");
    assert.equal(ok(await setInStock({ ingredientId: FRESH_MOZZARELLA, inStock: true })).available, true);
    await everyReplicaSays("margherita pizza", (r) => assert.equal(r.available, true));
  });
});

describe("bad staff requests", () => {
  it("are refused with a clear error and change nothing", async () => {
    const before = await tdb.db.selectFrom("menu_control_events").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const unknownItem = err(await setItem({ productId: "00000000-0000-4000-8000-000000000000", soldOut: true }));
    assert.deepEqual([unknownItem.code, unknownItem.message], ["not_on_menu", "That item isn't on this location's menu."]);
    assert.equal(err(await setInStock({ ingredientId: "00000000-0000-4000-8000-000000000000", inStock: false })).code, "not_on_menu");
    assert.equal(err(await setItem({ locationId: "00000000-0000-4000-8000-000000000001", productId: KNOTS, soldOut: true })).code, "unknown_location");
    const noActor = err(await staff(MENU_CONTROL_SUBJECTS.setItemSoldOut(prefix), { locationId: NY.id, productId: KNOTS, soldOut: true }, SetItemSoldOutResult));
    assert.equal(noActor.code, "invalid_arguments");
    assert.match(noActor.message, /actor/);
    const both = err(await setCount({ ingredientId: MUSHROOMS, quantity: 5, delta: 2 }));
    assert.equal(both.code, "invalid_arguments");
    assert.match(both.message, /exactly one of quantity or delta/);
    assert.equal(err(await setCount({ ingredientId: MUSHROOMS, quantity: -1 })).code, "invalid_arguments");
    const uncounted = err(await setCount({ ingredientId: BASIL, delta: 5 }));
    assert.deepEqual([uncounted.code, uncounted.message], ["invalid_quantity", "Fresh Basil isn't counted at this location; set a quantity first."]);
    const mushrooms = await tdb.db.selectFrom("ingredient_stock").select("quantity").where("location_id", "=", NY.id).where("ingredient_id", "=", MUSHROOMS).executeTakeFirstOrThrow();
    const tooMany = err(await setCount({ ingredientId: MUSHROOMS, delta: -1_000 }));
    assert.equal(tooMany.code, "invalid_quantity");
    assert.match(tooMany.message, new RegExp(`Only ${mushrooms.quantity} Mushrooms counted`));
    assert.equal(err(await staff(MENU_CONTROL_SUBJECTS.stock(prefix), "not json", MenuStockResult)).code, "invalid_arguments");
    const afterCount = await tdb.db.selectFrom("menu_control_events").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    assert.equal(Number(afterCount.n), Number(before.n));
    const still = await tdb.db.selectFrom("ingredient_stock").select("quantity").where("location_id", "=", NY.id).where("ingredient_id", "=", MUSHROOMS).executeTakeFirstOrThrow();
    assert.equal(still.quantity, mushrooms.quantity);
  });
});
