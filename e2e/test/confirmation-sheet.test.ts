import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { waitFor } from "@orderline/testing";
import { type SheetStack, startSheetStack } from "../src/confirmation-sheet.ts";

/** The final order JSON on the sheet for two large pepperoni in New York, in the seed's key order. */
// 2 × $22.99 = $45.98; tax 8.875 % = $4.0807… → $4.08; total $50.06.
const TWO_PEPPERONI =
  '{"action":"confirm","items":[{"name":"Pepperoni Pizza","qty":2,"size":"Large","modifiers":[],"notes":null,"unitPriceCents":2299,"lineTotalCents":4598}],"notes":null,"confirmed":true,"subtotalCents":4598,"taxCents":408,"deliveryFeeCents":0,"totalCents":5006,"currency":"USD"}';

describe("order confirmations from a Google Sheet: worker, gateway and order service as processes, the Sheets emulator, the Twilio simulator as the customer", () => {
  let s: SheetStack;
  let n = 0;
  const phone = () => `+1415555${String(300 + n++).padStart(4, "0")}`;

  before(async () => {
    s = await startSheetStack();
  });
  after(async () => {
    await s?.close();
  });

  const orderOf = (rowId: string) =>
    s.stack.db.db.selectFrom("orders").selectAll().where("external_source", "=", "sheet").where("external_sheet_id", "=", s.sheetId).where("external_row_id", "=", rowId).executeTakeFirst();
  const takenIn = (rowId: string) => waitFor(() => orderOf(rowId), { timeoutMs: 30_000, message: `row ${rowId} taken in as an order` });
  const rowShows = (rowId: string, status: string, extra: (r: Record<string, string>) => boolean = () => true) =>
    waitFor(
      () => {
        const r = s.row(rowId);
        return r && r.status === status && extra(r) ? r : undefined;
      },
      { timeoutMs: 60_000, message: `row ${rowId} to show ${status}` },
    );
  const callsTo = (to: string) => [...s.stack.cloud.calls.values()].filter((c) => c.to === to);

  test("a NEW row → taken in → POST /orders/call {row_id} → the customer confirms → CONFIRMED with the seed-shaped JSON in Postgres and on the sheet", async () => {
    const to = phone();
    s.addRow({ id: "s-confirm", customer_name: "John Smith", phone: to, order_text: "2x large pepperoni pizza", status: "NEW", notes: "ring the bell" });
    const order = await takenIn("s-confirm");
    assert.deepEqual([order.confirmation_state, order.customer_phone, order.notes], ["new", to, "ring the bell"]);
    s.stack.cloud.nextCallee({ to, answer: "human", gatherAnswers: [{ speech: "Yes, please confirm it." }] });
    // The integration has no sheet of its own: the row is found on the location's configured sheet.
    const res = await s.client.trigger({ row_id: "s-confirm" });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const row = await rowShows("s-confirm", "CONFIRMED");
    const o = await orderOf("s-confirm");
    assert.equal(o!.confirmation_state, "confirmed");
    // The row's notes are the order's notes.
    const final = TWO_PEPPERONI.replace('"notes":null,"confirmed"', '"notes":"ring the bell","confirmed"');
    assert.deepEqual(o!.final_order_json, JSON.parse(final));
    assert.equal(row.final_order_json, final);
    assert.equal(row.locked_at, "");
    assert.equal(row.last_updated, `${o!.confirmation_updated_at!.toISOString().slice(0, 19)}Z`);
    assert.equal(row.notes, "ring the bell", "the person's note is kept; a confirmation adds none");
    assert.equal(callsTo(to).length, 1);
  });

  test("'make it 3 … instead' → UPDATED on the sheet and in Postgres with the new JSON and total", async () => {
    const to = phone();
    s.addRow({ id: "s-modify", customer_name: "John Smith", phone: to, order_text: "2 large pepperoni pizzas", status: "" });
    await takenIn("s-modify");
    s.stack.cloud.nextCallee({ to, answer: "human", gatherAnswers: [{ speech: "Make it 3 pepperoni pizzas instead." }, { speech: "Yes." }] });
    assert.equal((await s.client.trigger({ row_id: "s-modify", sheet_id: s.spreadsheetId })).status, 202);
    const row = await rowShows("s-modify", "UPDATED");
    // 3 × $22.99 = $68.97; tax 8.875 % = $6.1210… → $6.12; total $75.09.
    assert.equal(
      row.final_order_json,
      '{"action":"modify","items":[{"name":"Pepperoni Pizza","qty":3,"size":"Large","modifiers":[],"notes":null,"unitPriceCents":2299,"lineTotalCents":6897}],"notes":null,"confirmed":true,"subtotalCents":6897,"taxCents":612,"deliveryFeeCents":0,"totalCents":7509,"currency":"USD"}',
    );
    const o = await orderOf("s-modify");
    assert.deepEqual([o!.confirmation_state, o!.total_cents], ["updated", 7509]);
    assert.deepEqual(o!.final_order_json, JSON.parse(row.final_order_json));
    assert.equal(callsTo(to).length, 1);
  });

  test("the Sheets API failing for a while (503 on reads, 429 on writes) → the rows are taken in and the sheet catches up; still exactly one call per row", async () => {
    const phones = [phone(), phone()];
    const failedBefore = s.sheets.requests.filter((r) => r.status !== 200).length;
    // Six reads fail: a whole run (four tries) and half the next; then eight writes: two runs' write-backs.
    s.sheets.failNext(6, 503, { operation: "get" }).failNext(8, 429, { operation: "batchUpdate" });
    s.addRow({ id: "s-flaky-1", customer_name: "Ana", phone: phones[0]!, order_text: "2x large pepperoni pizza", status: "NEW" });
    s.addRow({ id: "s-flaky-2", customer_name: "Bo", phone: phones[1]!, order_text: "2x large pepperoni pizza", status: "NEW" });
    for (const [i, id] of ["s-flaky-1", "s-flaky-2"].entries()) {
      await takenIn(id);
      s.stack.cloud.nextCallee({ to: phones[i]!, answer: "human", gatherAnswers: [{ speech: "yes" }] });
      assert.equal((await s.client.trigger({ row_id: id })).status, 202);
    }
    for (const id of ["s-flaky-1", "s-flaky-2"]) {
      const row = await rowShows(id, "CONFIRMED");
      assert.equal(row.final_order_json, TWO_PEPPERONI);
    }
    assert.equal(s.sheets.pendingFaults, 0, "every injected failure was met");
    assert.ok(s.sheets.requests.filter((r) => r.status !== 200).length - failedBefore >= 14);
    await s.stack.cloud.settle();
    for (const to of phones) assert.equal(callsTo(to).length, 1, `one call to ${to}`);
    const orders = await s.stack.db.db.selectFrom("orders").select("external_row_id").where("external_row_id", "in", ["s-flaky-1", "s-flaky-2"]).execute();
    assert.equal(orders.length, 2, "one order per row");
  });

  test("bad rows (invalid phone, empty or unreadable order_text, a duplicated id, an unknown status) → a note on each, no order, no call", async () => {
    const bad = [
      { id: "s-bad-phone", phone: "555", order_text: "1 large cheese pizza", status: "NEW", note: 'phone "555" is not a valid phone number (US numbers may omit the country code)' },
      { id: "s-bad-empty", phone: "+14155550390", order_text: "", status: "NEW", note: "order_text is empty" },
      { id: "s-bad-text", phone: "+14155550391", order_text: "sushi and a unicorn", status: "NEW", note: "order_text names nothing on the menu" },
      { id: "s-bad-status", phone: "+14155550392", order_text: "1 coke", status: "PENDING", note: 'status "PENDING" is not one of NEW, CALLED, CONFIRMED, UPDATED, CANCELLED, FAILED' },
      { id: "s-dup", phone: "+14155550393", order_text: "1 coke", status: "NEW", note: 'id "s-dup" is also used on row' },
      { id: "s-dup", phone: "+14155550394", order_text: "1 fries", status: "NEW", note: 'id "s-dup" is also used on row' },
    ];
    for (const b of bad) s.addRow({ id: b.id, customer_name: "Bad Row", phone: b.phone, order_text: b.order_text, status: b.status });
    await waitFor(
      () => {
        const [header, ...rows] = s.sheets.rows(s.spreadsheetId, s.tab);
        const notes = rows.filter((r) => r[header!.indexOf("customer_name")] === "Bad Row").map((r) => r[header!.indexOf("notes")] ?? "");
        return notes.length === bad.length && notes.every((note, i) => note.startsWith(`OrderLine: not called — `) && note.includes(bad[i]!.note));
      },
      { timeoutMs: 30_000, message: "a note on every bad row" },
    );
    const orders = await s.stack.db.db.selectFrom("orders").select("external_row_id").where("external_row_id", "in", [...new Set(bad.map((b) => b.id))]).execute();
    assert.deepEqual(orders, []);
    for (const b of bad) assert.equal(callsTo(b.phone).length, 0);
  });

  test("a person sets the row back to NEW while its call is in progress → a note, the status not overwritten, no second call", async () => {
    const to = phone();
    s.addRow({ id: "s-edited", customer_name: "John Smith", phone: to, order_text: "2x large pepperoni pizza", status: "NEW" });
    await takenIn("s-edited");
    let answer!: () => void;
    const thinking = new Promise<void>((resolve) => {
      answer = resolve;
    });
    s.stack.cloud.nextCallee({ to, answer: "human", gatherAnswers: [{ speech: "yes", thinkUntil: thinking }] });
    assert.equal((await s.client.trigger({ row_id: "s-edited" })).status, 202);
    const called = await rowShows("s-edited", "CALLED", (r) => r["locked_at"] !== "");
    assert.match(called.locked_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // The call is ringing on at the customer's end; a person changes the row meanwhile.
    const header = s.sheets.rows(s.spreadsheetId, s.tab)[0]!;
    const rowNumber = s.sheets.rows(s.spreadsheetId, s.tab).findIndex((r) => r[header.indexOf("id")] === "s-edited") + 1;
    s.sheets.setCell(s.spreadsheetId, s.tab, `E${rowNumber}`, "NEW");
    await rowShows("s-edited", "NEW", (r) => /the status was changed by hand to "NEW" \(OrderLine had written CALLED\); the order is CALLED in OrderLine/.test(r["notes"] ?? ""));
    assert.equal((await orderOf("s-edited"))!.confirmation_state, "called");
    answer();
    const row = await rowShows("s-edited", "NEW", (r) => /the order is CONFIRMED in OrderLine\. The row was not overwritten and will not be called again\./.test(r["notes"] ?? ""));
    assert.equal(row.final_order_json, "");
    assert.equal((await orderOf("s-edited"))!.confirmation_state, "confirmed");
    await s.stack.cloud.settle();
    assert.equal(callsTo(to).length, 1, "called once");
    const orders = await s.stack.db.db.selectFrom("orders").select("id").where("external_row_id", "=", "s-edited").execute();
    assert.equal(orders.length, 1);
  });
});
