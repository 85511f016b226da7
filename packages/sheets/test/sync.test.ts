import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { waitFor } from "@orderline/testing";
import { recordSheetState, type SheetColumn, SheetFormatError, SheetsCallError, sheetIdOf, syncSheet } from "../src/index.ts";
import { type Fixture, HEADER, newSpreadsheetId, startFixture } from "./support/fixture.ts";

/** The cells of one data row by column name, as the sheet shows them. */
function rowOf(f: Fixture, spreadsheetId: string, rowId: string): Record<SheetColumn, string> {
  const rows = f.emu.rows(spreadsheetId, "Orders");
  const header = rows[0]!;
  const row = rows.find((r, i) => i > 0 && r[header.indexOf("id")] === rowId);
  assert.ok(row, `row ${rowId} is on the sheet`);
  return Object.fromEntries(header.map((h, i) => [h, row[i] ?? ""])) as Record<SheetColumn, string>;
}

describe("syncSheet against the Sheets emulator with the real googleapis client", () => {
  let f: Fixture;
  before(async () => {
    f = await startFixture();
  });
  after(() => f.close());

  it("takes each valid NEW row in once, however often it runs, with lines resolved on the menu and the phone in E.164", async () => {
    const id = newSpreadsheetId();
    f.emu.addSpreadsheet(id, {
      Orders: [
        HEADER,
        ["r1", "John", "(212) 555-0123", "2x large pepperoni pizzas, 1x fries", "NEW", "", "ring the bell"],
        ["r2", "Ana", "+1 415 555 0142", "3 large cheese pizzas and a coke", ""],
        ["r3", "Old", "+14155550143", "a coke", "CONFIRMED", '{"action":"confirm"}'],
      ],
    });
    const first = await syncSheet(f.config(id), f.deps());
    assert.deepEqual(
      first.intakes.map((i) => [i.rowId, i.rowNumber, i.created]),
      [
        ["r1", 2, true],
        ["r2", 3, true],
      ],
    );
    const second = await syncSheet(f.config(id), f.deps());
    assert.deepEqual(
      second.intakes.map((i) => [i.rowId, i.created]),
      [
        ["r1", false],
        ["r2", false],
      ],
    );
    const stored = (await f.intakes()).filter((r) => r.sheet_id === sheetIdOf({ spreadsheetId: id, sheetName: "Orders" }));
    assert.deepEqual(
      stored.map((r) => [r.row_id, r.phone]),
      [
        ["r1", "+12125550123"],
        ["r2", "+14155550142"],
      ],
    );
    const r1 = stored[0]!.request;
    assert.equal(r1.customerName, "John");
    assert.equal(r1.notes, "ring the bell");
    assert.deepEqual(
      r1.lines.map((l) => [l.name, l.size, l.quantity]),
      [
        ["Pepperoni Pizza", "Large", 2],
        ["French Fries", null, 1],
      ],
    );
    assert.deepEqual(r1.externalRef, { source: "sheet", sheetId: `${id}/Orders`, rowId: "r1" });
    assert.deepEqual(
      stored[1]!.request.lines.map((l) => [l.name, l.size, l.quantity]),
      [
        ["Cheese Pizza", "Large", 3],
        ["Coca-Cola", null, 1],
      ],
    );
    assert.equal(f.emu.count("batchUpdate"), 0, "nothing to write back yet");
  });

  it("keeps unknown items in `unmatched` and still takes the row in when something matched", async () => {
    const id = newSpreadsheetId();
    f.emu.addSpreadsheet(id, { Orders: [HEADER, ["u1", "Sam", "2125550150", "2x beef burgers, 1x garlic knots", "NEW"]] });
    const report = await syncSheet(f.config(id), f.deps());
    assert.equal(report.intakes.length, 1);
    const req = f.intake.calls.at(-1)!;
    assert.deepEqual(
      req.lines.map((l) => [l.name, l.quantity]),
      [["Garlic Knots", 1]],
    );
    assert.deepEqual(
      req.unmatched.map((u) => [u.text, u.quantity, u.reason]),
      [["beef burgers", 2, "not_on_menu"]],
    );
  });

  it("writes a clear note on every row it cannot take in, takes none of them in, and writes each note once", async () => {
    const id = newSpreadsheetId();
    f.emu.addSpreadsheet(id, {
      Orders: [
        HEADER,
        ["b1", "Bad Phone", "555", "1 coke", "NEW"],
        ["b2", "Empty", "2125550160", "", "NEW", "", "leave at door"],
        ["b3", "Nonsense", "2125550161", "sushi and a unicorn", "NEW"],
        ["d1", "Twin A", "2125550162", "1 coke", "NEW"],
        ["d1", "Twin B", "2125550163", "1 fries", "NEW"],
        ["s1", "Odd status", "2125550164", "1 coke", "PENDING"],
        ["", "No id", "2125550165", "1 coke", "NEW"],
      ],
    });
    const before = f.intake.calls.length;
    const report = await syncSheet(f.config(id), f.deps());
    assert.equal(f.intake.calls.length, before, "no intake for any bad row");
    assert.deepEqual(
      report.invalid.map((r) => r.rowNumber),
      [2, 3, 4, 5, 6, 7, 8],
    );
    const notes = f.emu.rows(id, "Orders").slice(1).map((r) => r[6] ?? "");
    assert.match(notes[0]!, /^OrderLine: not called — phone "555" is not a valid phone number/);
    assert.equal(notes[1]!.split("\n")[0], "leave at door", "the person's note is kept");
    assert.match(notes[1]!, /\nOrderLine: not called — order_text is empty/);
    assert.match(notes[2]!, /order_text names nothing on the menu \("sushi", "unicorn"\)/);
    assert.match(notes[3]!, /id "d1" is also used on row 6/);
    assert.match(notes[4]!, /id "d1" is also used on row 5/);
    assert.match(notes[5]!, /status "PENDING" is not one of NEW, CALLED, CONFIRMED, UPDATED, CANCELLED, FAILED/);
    assert.match(notes[6]!, /the id cell is empty/);
    const writes = f.emu.count("batchUpdate");
    await syncSheet(f.config(id), f.deps());
    assert.equal(f.emu.count("batchUpdate"), writes, "the same notes are not written again");

    f.emu.setCell(id, "Orders", "C2", "+1 212 555 0166");
    const fixed = await syncSheet(f.config(id), f.deps());
    assert.deepEqual(
      fixed.intakes.map((i) => i.rowId),
      ["b1"],
      "a fixed row is taken in",
    );
    assert.equal(f.intake.calls.at(-1)!.notes, null, "the adapter's own note is not the order's note");
  });

  it("mirrors state events back: status, final JSON, notes and timestamps, coalesced per row in one batchUpdate", async () => {
    const id = newSpreadsheetId();
    const sheetId = `${id}/Orders`;
    f.emu.addSpreadsheet(id, {
      Orders: [HEADER, ["m1", "John", "2125550170", "2 large pepperoni pizzas", "NEW"], ["m2", "Ana", "2125550171", "1 coke", "NEW"]],
    });
    await syncSheet(f.config(id), f.deps());
    const finalOrder = { action: "confirm", items: [{ name: "Pepperoni Pizza", qty: 2, size: "Large" }], notes: "", confirmed: true };
    const ref = (rowId: string) => ({ source: "sheet" as const, sheetId, rowId });
    await recordSheetState(f.tdb.db, { externalRef: ref("m1"), state: "CALLED", finalOrderJson: null, notes: null, lastUpdated: "2026-12-05T15:00:00Z", lockedAt: "2026-12-05T15:00:00Z" });
    await recordSheetState(f.tdb.db, { externalRef: ref("m1"), state: "CONFIRMED", finalOrderJson: finalOrder, notes: "confirmed by the customer", lastUpdated: "2026-12-05T15:02:30Z", lockedAt: null });
    // Late and repeated deliveries change nothing.
    await recordSheetState(f.tdb.db, { externalRef: ref("m1"), state: "CALLED", finalOrderJson: null, notes: null, lastUpdated: "2026-12-05T15:00:00Z", lockedAt: "2026-12-05T15:00:00Z" });
    await recordSheetState(f.tdb.db, { externalRef: ref("m2"), state: "called", finalOrderJson: null, notes: null, lastUpdated: "2026-12-05T15:01:00Z", lockedAt: "2026-12-05T15:01:00Z" });
    const writes = f.emu.count("batchUpdate");
    const report = await syncSheet(f.config(id), f.deps());
    assert.deepEqual(report.written.sort(), ["m1", "m2"]);
    assert.equal(f.emu.count("batchUpdate") - writes, 1, "one batchUpdate for every row");
    assert.deepEqual(rowOf(f, id, "m1"), {
      id: "m1",
      customer_name: "John",
      phone: "2125550170",
      order_text: "2 large pepperoni pizzas",
      status: "CONFIRMED",
      final_order_json: JSON.stringify(finalOrder),
      notes: "OrderLine: confirmed by the customer",
      locked_at: "",
      last_updated: "2026-12-05T15:02:30Z",
    });
    assert.equal(rowOf(f, id, "m2").status, "CALLED");
    assert.equal(rowOf(f, id, "m2").locked_at, "2026-12-05T15:01:00Z");
    const again = await syncSheet(f.config(id), f.deps());
    assert.deepEqual(again.written, [], "nothing pending after the write");
    assert.equal(again.intakes.length, 0, "rows that are not NEW any more are not taken in");
  });

  it("keeps the write-back pending while batchUpdate answers 429 then 503, catches up afterwards, and never takes a row in twice", async () => {
    const id = newSpreadsheetId();
    const sheetId = `${id}/Orders`;
    f.emu.addSpreadsheet(id, { Orders: [HEADER, ["f1", "John", "2125550180", "1 large cheese pizza", "NEW"], ["f2", "Ana", "2125550181", "2 cokes", "NEW"]] });
    await syncSheet(f.config(id), f.deps());
    for (const rowId of ["f1", "f2"]) {
      await recordSheetState(f.tdb.db, { externalRef: { source: "sheet", sheetId, rowId }, state: "CALLED", finalOrderJson: null, notes: null, lastUpdated: new Date(), lockedAt: new Date() });
    }
    // Three tries per run: the first run meets 429 three times, the second 503 three times.
    f.emu.failNext(3, 429, { operation: "batchUpdate" }).failNext(3, 503, { operation: "batchUpdate" });
    for (const expected of [/Sheets API 429 RESOURCE_EXHAUSTED: Quota exceeded/, /Sheets API 503 UNAVAILABLE/]) {
      const report = await waitFor(
        async () => {
          const r = await syncSheet(f.config(id), f.deps());
          return r.deferred.length > 0 ? r : undefined;
        },
        { message: "a run that finds the rows due and fails to write them" },
      );
      assert.deepEqual(report.deferred.sort(), ["f1", "f2"]);
      assert.match(report.writeError ?? "", expected);
      assert.deepEqual(report.intakes, [], "the sheet still says NEW, but Postgres knows the rows were taken in");
      assert.equal(rowOf(f, id, "f1").status, "NEW");
    }
    assert.equal(f.emu.pendingFaults, 0);
    const pending = await f.tdb.db.selectFrom("sheet_writebacks").select(["row_id", "attempts", "last_error"]).where("sheet_id", "=", sheetId).execute();
    assert.ok(pending.every((p) => p.attempts === 2 && /503 UNAVAILABLE/.test(p.last_error ?? "")), JSON.stringify(pending));

    await waitFor(
      async () => {
        await syncSheet(f.config(id), f.deps());
        return rowOf(f, id, "f1").status === "CALLED" && rowOf(f, id, "f2").status === "CALLED";
      },
      { message: "the sheet to catch up once the API answers again" },
    );
    assert.deepEqual(
      (await f.intakes()).filter((r) => r.sheet_id === sheetId).map((r) => r.row_id),
      ["f1", "f2"],
      "one intake per row",
    );
    const done = await f.tdb.db.selectFrom("sheet_writebacks").selectAll().where("sheet_id", "=", sheetId).execute();
    assert.ok(done.every((d) => d.written_version === d.version && d.attempts === 0 && d.last_error === null));
  });

  it("survives every request failing for a while (reads too): runs fail, nothing is lost, the sheet catches up", async () => {
    const id = newSpreadsheetId();
    const sheetId = `${id}/Orders`;
    f.emu.addSpreadsheet(id, { Orders: [HEADER, ["g1", "John", "2125550182", "1 coke", "NEW"]] });
    f.emu.failNext(4, 429).failNext(4, 503);
    const failures: string[] = [];
    await waitFor(
      async () => {
        try {
          await syncSheet(f.config(id), f.deps());
        } catch (err) {
          assert.ok(err instanceof SheetsCallError && err.retryable, String(err));
          failures.push(err.message);
          return false;
        }
        return (await f.intakes()).some((r) => r.sheet_id === sheetId);
      },
      { message: "a run that reads the sheet once the API answers" },
    );
    assert.ok(failures.length >= 2, `runs failed while the API did: ${failures.join(" | ")}`);
    await recordSheetState(f.tdb.db, { externalRef: { source: "sheet", sheetId, rowId: "g1" }, state: "FAILED", finalOrderJson: null, notes: "no answer", lastUpdated: new Date(), lockedAt: null });
    f.emu.failNext(2, 503);
    await waitFor(
      async () => {
        await syncSheet(f.config(id), f.deps()).catch(() => undefined);
        return rowOf(f, id, "g1").status === "FAILED";
      },
      { message: "the FAILED state on the sheet" },
    );
    assert.equal(rowOf(f, id, "g1").notes, "OrderLine: no answer");
    assert.equal((await f.intakes()).filter((r) => r.sheet_id === sheetId).length, 1);
  });

  it("waits out the per-minute quota: 429 RESOURCE_EXHAUSTED defers the write, the next minute writes it", async () => {
    const limited = await startFixture({ readsPerMinute: 60, writesPerMinute: 1 });
    try {
      const id = newSpreadsheetId();
      const sheetId = `${id}/Orders`;
      limited.emu.addSpreadsheet(id, { Orders: [HEADER, ["q1", "John", "2125550183", "1 coke", "NEW"], ["q2", "Ana", "2125550184", "1 fries", "NEW", "", "", "", ""]] });
      limited.emu.setCell(id, "Orders", "D3", "");
      const first = await syncSheet(limited.config(id), limited.deps());
      assert.equal(first.cellsWritten, 1, "the note on q2 used the minute's only write");
      await recordSheetState(limited.tdb.db, { externalRef: { source: "sheet", sheetId, rowId: "q1" }, state: "CALLED", finalOrderJson: null, notes: null, lastUpdated: new Date(), lockedAt: new Date() });
      const limitedRun = await waitFor(
        async () => {
          const r = await syncSheet(limited.config(id), limited.deps());
          return r.deferred.length > 0 ? r : undefined;
        },
        { message: "a run that meets the quota" },
      );
      assert.match(limitedRun.writeError ?? "", /429 RESOURCE_EXHAUSTED: Quota exceeded for quota metric 'Write requests'/);
      limited.emu.advanceClock(60_000);
      await waitFor(
        async () => {
          await syncSheet(limited.config(id), limited.deps());
          return rowOf(limited, id, "q1").status === "CALLED";
        },
        { message: "the write in the next minute" },
      );
      assert.equal((await limited.intakes()).length, 1);
    } finally {
      await limited.close();
    }
  });

  it("leaves a row a person changed during the call with a note instead of overwriting it, and does not take it in again", async () => {
    const id = newSpreadsheetId();
    const sheetId = `${id}/Orders`;
    f.emu.addSpreadsheet(id, { Orders: [HEADER, ["h1", "John", "2125550190", "1 coke", "NEW", "", "no ice"]] });
    await syncSheet(f.config(id), f.deps());
    const ref = { source: "sheet" as const, sheetId, rowId: "h1" };
    await recordSheetState(f.tdb.db, { externalRef: ref, state: "CALLED", finalOrderJson: null, notes: null, lastUpdated: "2026-12-05T16:00:00Z", lockedAt: "2026-12-05T16:00:00Z" });
    await syncSheet(f.config(id), f.deps());
    assert.equal(rowOf(f, id, "h1").status, "CALLED");

    f.emu.setCell(id, "Orders", "E2", "NEW");
    const callsBefore = f.intake.calls.length;
    const noticed = await syncSheet(f.config(id), f.deps());
    assert.equal(f.intake.calls.length, callsBefore, "a row already taken in is not handed to the intake again");
    assert.deepEqual(noticed.conflicts, [{ rowId: "h1", conflict: 'the status was changed by hand to "NEW" (OrderLine had written CALLED)' }]);
    assert.match(rowOf(f, id, "h1").notes, /^no ice\nOrderLine: the status was changed by hand to "NEW" .* will not be called again\.$/);

    await recordSheetState(f.tdb.db, { externalRef: ref, state: "CONFIRMED", finalOrderJson: { action: "confirm", items: [], notes: "", confirmed: true }, notes: null, lastUpdated: "2026-12-05T16:03:00Z", lockedAt: null });
    await syncSheet(f.config(id), f.deps());
    const row = rowOf(f, id, "h1");
    assert.equal(row.status, "NEW", "the person's status is not overwritten");
    assert.equal(row.final_order_json, "");
    assert.match(row.notes, /the order is CONFIRMED in OrderLine/);
    const stored = await f.tdb.db.selectFrom("sheet_writebacks").selectAll().where("sheet_id", "=", sheetId).executeTakeFirstOrThrow();
    assert.match(stored.conflict ?? "", /changed by hand/);

    f.emu.setCell(id, "Orders", "E2", "CALLED");
    await syncSheet(f.config(id), f.deps());
    assert.equal(rowOf(f, id, "h1").status, "CONFIRMED", "once the status is back, the newest state is written");
    assert.equal((await f.intakes()).filter((r) => r.sheet_id === sheetId).length, 1);
  });

  it("writes a state once when two runs flush the same sheet at the same time (the rows are claimed)", async () => {
    const id = newSpreadsheetId();
    const sheetId = `${id}/Orders`;
    f.emu.addSpreadsheet(id, { Orders: [HEADER, ["c1", "John", "2125550185", "1 coke", "NEW"]] });
    await syncSheet(f.config(id), f.deps());
    await recordSheetState(f.tdb.db, { externalRef: { source: "sheet", sheetId, rowId: "c1" }, state: "CALLED", finalOrderJson: null, notes: null, lastUpdated: new Date(), lockedAt: new Date() });
    const [a, b] = await Promise.all([syncSheet(f.config(id), f.deps()), syncSheet(f.config(id), f.deps())]);
    assert.deepEqual([...a.written, ...b.written], ["c1"]);
    assert.equal(rowOf(f, id, "c1").status, "CALLED");
  });

  it("refuses a state event it cannot store, saying what is wrong", async () => {
    await assert.rejects(
      recordSheetState(f.tdb.db, {
        externalRef: { source: "sheet", sheetId: "x/Orders", rowId: "" },
        state: "DONE" as "NEW",
        finalOrderJson: "[1]",
        notes: null,
        lastUpdated: "yesterday",
        lockedAt: null,
      }),
      (err: Error) => {
        assert.match(err.message, /^invalid sheet state event: /);
        for (const part of [/externalRef\.rowId/, /state: /, /finalOrderJson/, /lastUpdated: /]) assert.match(err.message, part);
        return true;
      },
    );
  });

  it("says which column is missing, and what to do when the sheet is not shared with the service account", async () => {
    const id = newSpreadsheetId();
    f.emu.addSpreadsheet(id, { Orders: [["id", "customer_name", "phone", "order", "status", "final_order_json", "notes", "locked_at", "last_updated"]] });
    await assert.rejects(syncSheet(f.config(id), f.deps()), (err: Error) => {
      assert.ok(err instanceof SheetFormatError);
      assert.match(err.message, /sheet "Orders" of spreadsheet .*: the header row has no "order_text" column \(it has "id", .*"order"/);
      return true;
    });
    const privateId = newSpreadsheetId();
    f.emu.addSpreadsheet(privateId, { Orders: [HEADER] }, { sharedWith: ["ya29.someone-else"] });
    await assert.rejects(syncSheet(f.config(privateId), f.deps()), (err: Error) => {
      assert.ok(err instanceof SheetsCallError);
      assert.equal(err.code, 403);
      assert.equal(err.retryable, false);
      assert.match(err.message, /PERMISSION_DENIED.*share the sheet with the service account's e-mail/);
      return true;
    });
  });

  it("reads columns in any order and header text in any case", async () => {
    const id = newSpreadsheetId();
    const header = ["Status", "Order Text", "ID", "Phone", "Customer Name", "Notes", "Final Order JSON", "Last Updated", "Locked At"];
    f.emu.addSpreadsheet(id, { Orders: [header, ["NEW", "1 diet coke", "x1", "2125550199", "Lee"]] });
    const report = await syncSheet(f.config(id), f.deps());
    assert.deepEqual(
      report.intakes.map((i) => i.rowId),
      ["x1"],
    );
    assert.deepEqual(
      f.intake.calls.at(-1)!.lines.map((l) => l.name),
      ["Diet Coke"],
    );
  });
});
