import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { AGENT_MENU_SUBJECT, AgentMenu, MENU_CONTROL_SUBJECTS, SetItemSoldOutResult } from "@orderline/contracts";
import { DEMO_LOCATIONS, seedUuid } from "@orderline/db";
import { createTestDatabase, openAroundTheClock, type TestDatabase } from "@orderline/db/testing";
import { adminRequest, connectNats, drainNats, type NatsConnection } from "@orderline/nats";
import { createLogger } from "@orderline/telemetry";
import { type MenuService, startMenuService } from "../src/service.ts";
import { err, NATS_URL, ok } from "./helpers.ts";

/** The local agent's whole-menu read (AGENT_MENU_SUBJECT) against one in-process menu service on the seeded chain. */
const NY = DEMO_LOCATIONS.newYork;
const KNOTS = seedUuid("product:garlic-knots");

let tdb: TestDatabase;
let nc: NatsConnection;
let service: MenuService;
const prefix = `agent-menu-${randomUUID().slice(0, 8)}.`;

before(async () => {
  tdb = await createTestDatabase({ seed: true });
  await openAroundTheClock(tdb.db);
  nc = await connectNats({ url: NATS_URL, name: "agent-menu-test" });
  // Long safety-net lifetime: only the staff change's own invalidation can make it visible.
  service = startMenuService({ db: tdb.db, nc, subjectPrefix: prefix, logger: createLogger({ service: "agent-menu-test", level: "silent" }), cacheTtlMs: 600_000 });
});
after(async () => {
  await service?.stop();
  if (nc) await drainNats(nc);
  await tdb?.close();
});

const readMenu = (body: unknown) => adminRequest(nc, AGENT_MENU_SUBJECT(prefix), body, AgentMenu, 5000);

describe("the local agent's menu read", () => {
  it("lists every item of the location with its sizes, the location's prices, aliases and choices, from the cached snapshot", async () => {
    const menu = ok(await readMenu({ locationId: NY.id }));
    const misses = service.cache.stats.misses;
    const snapshot = await service.cache.get(NY.id);
    assert.equal(service.cache.stats.misses, misses, "the request filled the service's own snapshot cache: no second load");
    assert.deepEqual(
      menu.items.map((i) => i.name),
      snapshot.products.map((p) => p.name),
    );
    assert.deepEqual(
      menu.categories.map((c) => c.name),
      snapshot.categories.map((c) => c.name),
    );
    const pep = menu.items.find((i) => i.name === "Pepperoni Pizza")!;
    assert.ok(pep.aliases.includes("pep"), JSON.stringify(pep.aliases));
    // The chain's small pepperoni is $14.49; New York's large is its own $22.99 (the seed's location price).
    assert.deepEqual(
      pep.sizes.map((s) => [s.name, s.priceCents, s.isDefault]),
      [
        ["Small", 1449, false],
        ["Medium", 1749, true],
        ["Large", 2299, false],
      ],
    );
    assert.ok(pep.modifierGroups.some((g) => g.choices.some((c) => c.name === "Pepperoni" && c.kind === "removable" && c.inStock)));
    assert.deepEqual([pep.available, pep.unavailableReason], [true, null]);
    assert.ok(menu.items.find((i) => i.name === "Coca-Cola")!.aliases.includes("coke"));
    // The seed has New York's tiramisu sold out.
    const tiramisu = menu.items.find((i) => i.name === "Tiramisu")!;
    assert.deepEqual([tiramisu.available, tiramisu.unavailableReason], [false, "sold_out"]);
  });

  it("shows an item staff just 86'd as sold out", async () => {
    assert.equal(ok(await readMenu({ locationId: NY.id })).items.find((i) => i.productId === KNOTS)!.available, true);
    const change = ok(await adminRequest(nc, MENU_CONTROL_SUBJECTS.setItemSoldOut(prefix), { locationId: NY.id, productId: KNOTS, soldOut: true, actor: "staff:test" }, SetItemSoldOutResult, 10_000));
    assert.equal(change.changed, true);
    const knots = ok(await readMenu({ locationId: NY.id })).items.find((i) => i.productId === KNOTS)!;
    assert.deepEqual([knots.available, knots.unavailableReason], [false, "sold_out"]);
  });

  it("refuses an unknown location and a malformed request, saying what was wrong", async () => {
    assert.equal(err(await readMenu({ locationId: randomUUID() })).code, "unknown_location");
    const bad = err(await readMenu({ locationId: "not-a-uuid", extra: 1 }));
    assert.equal(bad.code, "invalid_arguments");
    assert.match(bad.message, /locationId/);
    assert.match(bad.message, /extra/);
  });
});
