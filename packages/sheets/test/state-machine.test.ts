import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ConfirmationStateEvent } from "@orderline/contracts";
import { sql } from "kysely";
import { catchUpSheet, confirmationOrderRequestOf, IntakeRefusedError, sheetStateOf, syncSheet, unmatchedText } from "../src/index.ts";
import { type Fixture, HEADER, LOCATION_ID, newSpreadsheetId, startFixture } from "./support/fixture.ts";

const FINAL = {
  // Postgres's jsonb hands keys back sorted by length: the mirror must write the contract's order.
  notes: null,
  items: [{ qty: 2, name: "Pepperoni Pizza", size: "Large", notes: null, modifiers: [], unitPriceCents: 2299, lineTotalCents: 4598 }],
  action: "confirm",
  currency: "USD",
  taxCents: 408,
  confirmed: true,
  totalCents: 5006,
  subtotalCents: 4598,
  deliveryFeeCents: 0,
};

const event = (over: Partial<ConfirmationStateEvent> = {}): ConfirmationStateEvent => ({
  orderId: "0b5f3c1e-8d1a-4c53-9a43-3f1f2c3d4e5f",
  locationId: LOCATION_ID,
  externalRef: { source: "sheet", sheetId: "abc/Orders", rowId: "r1" },
  state: "confirmed",
  finalOrderJson: FINAL as ConfirmationStateEvent["finalOrderJson"],
  notes: null,
  lastUpdated: "2026-12-05T15:02:30.123Z",
  lockedAt: null,
  ...over,
});

describe("the sheet and the confirmation state machine", () => {
  it("a state event becomes the row's upper-case status with the final order in the seed's key order; CANCELLED shows as CANCELLED; other sources are not the sheet's", () => {
    const s = sheetStateOf(event())!;
    assert.equal(s.state, "CONFIRMED");
    assert.equal(
      s.finalOrderJson,
      '{"action":"confirm","items":[{"name":"Pepperoni Pizza","qty":2,"size":"Large","modifiers":[],"notes":null,"unitPriceCents":2299,"lineTotalCents":4598}],"notes":null,"confirmed":true,"subtotalCents":4598,"taxCents":408,"deliveryFeeCents":0,"totalCents":5006,"currency":"USD"}',
    );
    assert.equal(sheetStateOf(event({ state: "cancelled" }))!.state, "CANCELLED");
    assert.deepEqual(sheetStateOf(event({ state: "called", finalOrderJson: null, lockedAt: "2026-12-05T15:00:00.000Z" })), {
      externalRef: { source: "sheet", sheetId: "abc/Orders", rowId: "r1" },
      state: "CALLED",
      finalOrderJson: null,
      notes: null,
      lastUpdated: "2026-12-05T15:02:30.123Z",
      lockedAt: "2026-12-05T15:00:00.000Z",
    });
    assert.equal(sheetStateOf(event({ externalRef: { source: "web", sheetId: "", rowId: "w1" } })), null);
    assert.equal(sheetStateOf(event({ externalRef: null })), null);
  });

  it("a row's intake request becomes createConfirmationOrder's: product ids, sizes by name, modifiers, unmatched text with what it may have meant", () => {
    const req = confirmationOrderRequestOf({
      locationId: LOCATION_ID,
      customerName: "John",
      phone: "+12125550123",
      lines: [
        { text: "2 large pepperoni pizzas", productId: "p1", name: "Pepperoni Pizza", variationId: "v1", size: "Large", quantity: 2, modifiers: [{ name: "cheese", action: "extra" }] },
        { text: "coke", productId: "p2", name: "Coke", variationId: null, size: null, quantity: 1, modifiers: [] },
      ],
      unmatched: [{ text: "buffalo", quantity: 1, reason: "ambiguous", candidates: ["Buffalo Wings", "Buffalo Chicken Pizza"] }],
      notes: "ring the bell",
      externalRef: { source: "sheet", sheetId: "abc/Orders", rowId: "r1" },
    });
    assert.deepEqual(req.lines, [
      { productId: "p1", name: "Pepperoni Pizza", variation: "Large", modifiers: [{ name: "cheese", action: "extra" }], quantity: 2 },
      { productId: "p2", name: "Coke", quantity: 1 },
    ]);
    assert.deepEqual(req.unmatched, ["1x buffalo (several menu items fit; maybe: Buffalo Wings, Buffalo Chicken Pizza)"]);
    assert.equal(unmatchedText({ text: "sushi", quantity: 2, reason: "not_on_menu", candidates: [] }), "2x sushi (not on the menu)");
  });
});

describe("catch-up from Postgres and refused rows (seeded database, Sheets emulator)", () => {
  let f: Fixture;
  before(async () => {
    f = await startFixture();
  });
  after(async () => {
    await f.close();
  });

  it("records every sheet order whose confirmation changed after what the mirror holds, once; a newer change is recorded again", async () => {
    const sheetId = "catchup/Orders";
    const insert = (rowId: string, state: string, final: unknown) => sql`
      INSERT INTO orders (location_id, channel, order_type, state, order_session_id, customer_name, customer_phone, confirmation_state,
                          confirmation_updated_at, final_order_json, external_source, external_sheet_id, external_row_id)
      VALUES (${LOCATION_ID}, 'sheet', 'pickup', 'draft', ${`confirm:${rowId}`}, 'John', '+12125550123', ${state},
              '2026-12-05T15:02:30.123456Z', ${final === null ? null : JSON.stringify(final)}, 'sheet', ${sheetId}, ${rowId})`.execute(f.tdb.db);
    await insert("c1", "confirmed", FINAL);
    await insert("c2", "new", null);
    assert.equal(await catchUpSheet(f.tdb.db, sheetId), 2);
    assert.equal(await catchUpSheet(f.tdb.db, sheetId), 0, "nothing new: nothing recorded");
    const rows = await f.tdb.db.selectFrom("sheet_writebacks").select(["row_id", "state", "final_order_json", "version"]).where("sheet_id", "=", sheetId).orderBy("row_id").execute();
    assert.deepEqual(
      rows.map((r) => [r.row_id, r.state, r.version]),
      [
        ["c1", "CONFIRMED", 1],
        ["c2", "NEW", 1],
      ],
    );
    assert.match(rows[0]!.final_order_json!, /^\{"action":"confirm","items":/);
    await f.tdb.db.updateTable("orders").set({ confirmation_state: "failed", confirmation_failure: "no answer", confirmation_updated_at: new Date("2026-12-05T15:10:00Z") }).where("external_row_id", "=", "c2").execute();
    assert.equal(await catchUpSheet(f.tdb.db, sheetId), 1);
    const c2 = await f.tdb.db.selectFrom("sheet_writebacks").select(["state", "notes", "version"]).where("sheet_id", "=", sheetId).where("row_id", "=", "c2").executeTakeFirstOrThrow();
    assert.deepEqual(c2, { state: "FAILED", notes: "no answer", version: 2 });
  });

  it("a row the state machine refuses gets its reason as a note; an empty customer_name is noted before any intake", async () => {
    const id = newSpreadsheetId();
    f.emu.addSpreadsheet(id, { Orders: [HEADER, ["x1", "John", "2125550123", "1 coke", "NEW", "", "no ice"], ["x2", "", "2125550124", "1 coke", "NEW"]] });
    const refusing = { create: async () => Promise.reject(new IntakeRefusedError("Nothing in the order matches the menu: 1x coke (sold out)")) };
    const report = await syncSheet(f.config(id), f.deps({ intake: refusing }));
    assert.deepEqual(
      report.intakeErrors.map((e) => e.rowId),
      ["x1"],
    );
    const notes = f.emu.rows(id, "Orders").slice(1).map((r) => r[6] ?? "");
    assert.equal(notes[0], "no ice\nOrderLine: not called — Nothing in the order matches the menu: 1x coke (sold out). Fix the row and set its status to NEW.");
    assert.equal(notes[1], "OrderLine: not called — the customer_name cell is empty. Fix the row and set its status to NEW.");
  });
});
