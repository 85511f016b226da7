import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { google, type sheets_v4 } from "googleapis";
import { parseA1, type SheetsEmulator, startSheetsEmulator } from "../src/index.ts";

const TOKEN = "ya29.test-token";

/** The real client with an OAuth2 client holding a fixed access token (docs/PROTOCOLS.md §14). */
function client(emu: SheetsEmulator, token = TOKEN, retry = false): sheets_v4.Sheets {
  const auth = new google.auth.OAuth2();
  auth.setCredentials({ access_token: token });
  return google.sheets({ version: "v4", auth, rootUrl: emu.url, retry });
}

/** The API's error as the client raises it: HTTP status and the body's `error`. */
async function apiError(p: Promise<unknown>): Promise<{ code: number; status: string; message: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { status?: number; response?: { data?: { error?: { code: number; status: string; message: string } } } };
    const body = e.response?.data?.error;
    assert.ok(body, `no API error body in ${String(err)}`);
    assert.equal(e.status, body.code);
    return body;
  }
  assert.fail("the request succeeded");
}

describe("Sheets API v4 emulator through the googleapis client", () => {
  let emu: SheetsEmulator;
  let sheets: sheets_v4.Sheets;

  before(async () => {
    emu = await startSheetsEmulator({ tokens: [TOKEN, "ya29.other"] });
    sheets = client(emu);
  });
  after(() => emu.close());

  it("reads an open range with ragged rows and no trailing empties, and says which range it read", async () => {
    emu.addSpreadsheet("s-read", {
      Orders: [
        ["id", "customer_name", "phone"],
        ["1", "John", "+12125550100", "", ""],
        [],
        ["3", "", "555"],
      ],
    });
    const res = await sheets.spreadsheets.values.get({ spreadsheetId: "s-read", range: "Orders!A2:C" });
    assert.equal(res.status, 200);
    assert.deepEqual(res.data, {
      range: "Orders!A2:C1000",
      majorDimension: "ROWS",
      values: [["1", "John", "+12125550100"], [], ["3", "", "555"]],
    });
    const empty = await sheets.spreadsheets.values.get({ spreadsheetId: "s-read", range: "Orders!E1:F9" });
    assert.deepEqual(empty.data, { range: "Orders!E1:F9", majorDimension: "ROWS" });
    const cols = await sheets.spreadsheets.values.get({ spreadsheetId: "s-read", range: "Orders!A1:B2", majorDimension: "COLUMNS" });
    assert.deepEqual(cols.data.values, [
      ["id", "1"],
      ["customer_name", "John"],
    ]);
  });

  it("quotes sheet titles with spaces and reads a bare title as the whole sheet", async () => {
    emu.addSpreadsheet("s-title", { "Week 1": [["a", "b"]] });
    const res = await sheets.spreadsheets.values.get({ spreadsheetId: "s-title", range: "'Week 1'!A1:B1" });
    assert.equal(res.data.range, "'Week 1'!A1:B1");
    const whole = await sheets.spreadsheets.values.get({ spreadsheetId: "s-title", range: "Week 1" });
    assert.deepEqual(whole.data.values, [["a", "b"]]);
  });

  it("updates RAW and USER_ENTERED values, skipping nulls and clearing with empty strings", async () => {
    emu.addSpreadsheet("s-put", { Sheet1: [["x", "keep", "drop"]] });
    const raw = await sheets.spreadsheets.values.update({
      spreadsheetId: "s-put",
      range: "Sheet1!A1:C2",
      valueInputOption: "RAW",
      requestBody: { values: [["42", null, ""], ['{"a":1}']] },
    });
    assert.deepEqual(raw.data, { spreadsheetId: "s-put", updatedRange: "Sheet1!A1:C2", updatedRows: 2, updatedColumns: 3, updatedCells: 3 });
    assert.deepEqual(emu.rows("s-put", "Sheet1"), [["42", "keep"], ['{"a":1}']]);
    await sheets.spreadsheets.values.update({ spreadsheetId: "s-put", range: "Sheet1!D1", valueInputOption: "USER_ENTERED", requestBody: { values: [["7"]] } });
    const typed = await sheets.spreadsheets.values.get({ spreadsheetId: "s-put", range: "Sheet1!A1:D1", valueRenderOption: "UNFORMATTED_VALUE" });
    assert.deepEqual(typed.data.values, [["42", "keep", "", 7]]);
  });

  it("appends after the table and batch-updates several ranges in one request", async () => {
    emu.addSpreadsheet("s-append", { Sheet1: [["id", "name"], ["1", "a"]] });
    const appended = await sheets.spreadsheets.values.append({
      spreadsheetId: "s-append",
      range: "Sheet1!A1:B",
      valueInputOption: "RAW",
      requestBody: { values: [["2", "b"]] },
    });
    assert.equal(appended.data.tableRange, "Sheet1!A1:B2");
    assert.equal(appended.data.updates?.updatedRange, "Sheet1!A3:B3");
    const batch = await sheets.spreadsheets.values.batchUpdate({
      spreadsheetId: "s-append",
      requestBody: {
        valueInputOption: "RAW",
        data: [
          { range: "Sheet1!B2", values: [["A"]] },
          { range: "Sheet1!C3", values: [["note"]] },
        ],
      },
    });
    assert.equal(batch.data.totalUpdatedCells, 2);
    assert.deepEqual(emu.rows("s-append", "Sheet1"), [["id", "name"], ["1", "A"], ["2", "b", "note"]]);
    assert.deepEqual(emu.requests.at(-1)?.ranges, ["Sheet1!B2", "Sheet1!C3"]);
  });

  it("rejects a whole batchUpdate when one range is bad, writing nothing", async () => {
    emu.addSpreadsheet("s-atomic", { Sheet1: [["a"]] });
    const err = await apiError(
      sheets.spreadsheets.values.batchUpdate({
        spreadsheetId: "s-atomic",
        requestBody: { valueInputOption: "RAW", data: [{ range: "Sheet1!A1", values: [["changed"]] }, { range: "Nope!A1", values: [["x"]] }] },
      }),
    );
    assert.deepEqual(err, { code: 400, status: "INVALID_ARGUMENT", message: "Unable to parse range: Nope!A1" });
    const tooWide = await apiError(
      sheets.spreadsheets.values.batchUpdate({
        spreadsheetId: "s-atomic",
        requestBody: { valueInputOption: "RAW", data: [{ range: "Sheet1!A1", values: [["changed"]] }, { range: "Sheet1!B1", values: [["x", "y"]] }] },
      }),
    );
    assert.equal(tooWide.status, "INVALID_ARGUMENT");
    assert.deepEqual(emu.rows("s-atomic", "Sheet1"), [["a"]]);
  });

  it("answers missing tokens 401, unshared sheets 403, unknown ids 404 and a missing valueInputOption 400", async () => {
    emu.addSpreadsheet("s-private", { Sheet1: [["a"]] }, { sharedWith: ["ya29.other"] });
    assert.equal((await apiError(client(emu, "ya29.nobody").spreadsheets.values.get({ spreadsheetId: "s-private", range: "A1" }))).status, "UNAUTHENTICATED");
    assert.deepEqual(await apiError(sheets.spreadsheets.values.get({ spreadsheetId: "s-private", range: "A1" })), {
      code: 403,
      status: "PERMISSION_DENIED",
      message: "The caller does not have permission",
    });
    emu.share("s-private", TOKEN);
    assert.equal((await sheets.spreadsheets.values.get({ spreadsheetId: "s-private", range: "A1" })).data.values?.[0]?.[0], "a");
    assert.equal((await apiError(sheets.spreadsheets.values.get({ spreadsheetId: "s-missing", range: "A1" }))).status, "NOT_FOUND");
    const noOption = await apiError(sheets.spreadsheets.values.update({ spreadsheetId: "s-private", range: "A1", requestBody: { values: [["b"]] } }));
    assert.equal(noOption.code, 400);
    assert.match(noOption.message, /valueInputOption/);
  });

  it("fails the next N requests with the injected code, and the client's own retries of a GET meet them", async () => {
    emu.addSpreadsheet("s-faults", { Sheet1: [["a"]] });
    emu.failNext(1, 429).failNext(1, 503);
    assert.equal((await apiError(sheets.spreadsheets.values.get({ spreadsheetId: "s-faults", range: "A1" }))).status, "RESOURCE_EXHAUSTED");
    assert.equal((await apiError(sheets.spreadsheets.values.get({ spreadsheetId: "s-faults", range: "A1" }))).status, "UNAVAILABLE");
    emu.failNext(1, 500);
    const before = emu.count("get");
    const retrying = client(emu, TOKEN, true);
    const res = await retrying.spreadsheets.values.get({ spreadsheetId: "s-faults", range: "A1" }, { retryConfig: { retryDelay: 1, retryDelayMultiplier: 1 } });
    assert.equal(res.data.values?.[0]?.[0], "a");
    assert.equal(emu.count("get") - before, 2, "one failed GET, one retried GET");
  });

  it("counts requests per token and minute against the quota, and a new minute refills it", async () => {
    const limited = await startSheetsEmulator({ readsPerMinute: 2, writesPerMinute: 1 });
    try {
      limited.addSpreadsheet("q", { Sheet1: [["a"]] });
      const c = client(limited);
      await c.spreadsheets.values.get({ spreadsheetId: "q", range: "A1" });
      await c.spreadsheets.values.get({ spreadsheetId: "q", range: "A1" });
      const err = await apiError(c.spreadsheets.values.get({ spreadsheetId: "q", range: "A1" }));
      assert.equal(err.code, 429);
      assert.match(err.message, /Read requests per minute per user/);
      await c.spreadsheets.values.update({ spreadsheetId: "q", range: "B1", valueInputOption: "RAW", requestBody: { values: [["w"]] } });
      assert.equal((await apiError(c.spreadsheets.values.update({ spreadsheetId: "q", range: "B1", valueInputOption: "RAW", requestBody: { values: [["w"]] } }))).code, 429);
      const other = client(limited, "ya29.someone-else");
      assert.equal((await other.spreadsheets.values.get({ spreadsheetId: "q", range: "A1" })).status, 200);
      limited.advanceClock(60_000);
      assert.equal((await c.spreadsheets.values.get({ spreadsheetId: "q", range: "A1" })).status, 200);
    } finally {
      await limited.close();
    }
  });
});

describe("A1 notation", () => {
  const known = (t: string) => t === "Orders";
  it("parses open ranges, whole columns and rows, quoted titles and bare sheet titles", () => {
    assert.deepEqual(parseA1("Sheet1!A2:I", known), { sheet: "Sheet1", startRow: 1, startCol: 0, endRow: undefined, endCol: 8 });
    assert.deepEqual(parseA1("'It''s'!B:C", known), { sheet: "It's", startRow: undefined, startCol: 1, endRow: undefined, endCol: 2 });
    assert.deepEqual(parseA1("Orders", known), { sheet: "Orders", startRow: undefined, startCol: undefined, endRow: undefined, endCol: undefined });
    assert.deepEqual(parseA1("AA10", known), { sheet: undefined, startRow: 9, startCol: 26, endRow: 9, endCol: 26 });
    assert.deepEqual(parseA1("Orders!3:5", known), { sheet: "Orders", startRow: 2, startCol: undefined, endRow: 4, endCol: undefined });
  });
  it("rejects what is not a range", () => {
    for (const bad of ["Orders!A0", "Orders!B2:A1", "Orders!A1:B2:C3", "!", "Orders!1A"]) {
      assert.throws(() => parseA1(bad, known), /Unable to parse range/, bad);
    }
  });
});
