import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cellRange, columnLetters, columnMap, SheetFormatError, sheetRows, statusOf } from "./columns.ts";

const HEADER = ["id", "customer_name", "phone", "order_text", "status", "final_order_json", "notes", "locked_at", "last_updated"];

describe("sheet columns", () => {
  it("maps the header by name in any order and spelling of case and spaces", () => {
    const map = columnMap(["Last Updated", "ID", " status ", "order-text", "Customer Name", "phone", "notes", "final_order_json", "locked_at"], "sheet");
    assert.deepEqual(map, { id: 1, customer_name: 4, phone: 5, order_text: 3, status: 2, final_order_json: 7, notes: 6, locked_at: 8, last_updated: 0 });
  });

  it("names every missing column and every repeated one", () => {
    assert.throws(
      () => columnMap(["id", "phone"], 'sheet "Orders"'),
      (err: Error) =>
        err instanceof SheetFormatError &&
        err.message ===
          'sheet "Orders": the header row has no "customer_name", "order_text", "status", "final_order_json", "notes", "locked_at", "last_updated" column (it has "id", "phone")',
    );
    assert.throws(() => columnMap([...HEADER, "Phone"], "sheet"), /more than one "phone" column/);
    assert.throws(() => columnMap([], "sheet"), /it has nothing/);
  });

  it("reads ragged rows as trimmed text, skips blank rows and keeps the sheet's row numbers", () => {
    const rows = sheetRows([HEADER, ["1", " John "], [], ["", "", "", "", ""], ["3", "Ana", "555", "1 coke", "NEW", "", "", "", "", "extra"]], columnMap(HEADER, "s"));
    assert.deepEqual(
      rows.map((r) => [r.rowNumber, r.cells.id, r.cells.customer_name, r.cells.status]),
      [
        [2, "1", "John", ""],
        [5, "3", "Ana", "NEW"],
      ],
    );
  });

  it("knows the statuses in any case, reads a blank status as NEW, and nothing else", () => {
    assert.equal(statusOf("new"), "NEW");
    assert.equal(statusOf(" Confirmed "), "CONFIRMED");
    assert.equal(statusOf(""), "NEW");
    assert.equal(statusOf("PENDING"), undefined);
  });

  it("writes A1 cell references with quoted tab titles", () => {
    assert.deepEqual([0, 8, 25, 26, 27, 51, 52, 701, 702].map(columnLetters), ["A", "I", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    assert.equal(cellRange("Orders", 7, 4), "'Orders'!E7");
    assert.equal(cellRange("Tony's week 1", 2, 0), "'Tony''s week 1'!A2");
  });
});
