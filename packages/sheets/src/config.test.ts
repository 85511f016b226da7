import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseSheetConfig, SheetConfigError, sheetIdOf, sheetsClient } from "./config.ts";

const LOCATION = "0b6f2a52-4c1e-4b8a-9d55-3f1c2b7e9a10";
const SPREADSHEET = "1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms";
const KEY = {
  type: "service_account",
  project_id: "orderline-demo",
  private_key_id: "abc123",
  private_key: "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
  client_email: "orderline-sheets@orderline-demo.iam.gserviceaccount.com",
};

describe("sheet configuration", () => {
  it("accepts a service-account key as an object or as its JSON text, and defaults the tab to Sheet1", () => {
    const fromObject = parseSheetConfig({ locationId: LOCATION, spreadsheetId: SPREADSHEET, credentials: KEY });
    const fromText = parseSheetConfig({ locationId: LOCATION, spreadsheetId: SPREADSHEET, credentials: JSON.stringify(KEY) });
    assert.deepEqual(fromText, fromObject);
    assert.equal(fromObject.sheetName, "Sheet1");
    assert.equal(sheetIdOf(fromObject), `${SPREADSHEET}/Sheet1`);
    assert.ok(sheetsClient(fromObject).spreadsheets.values, "a client is built without contacting Google");
  });

  it("names every problem of a bad configuration", () => {
    assert.throws(
      () => parseSheetConfig({ locationId: "nyc", spreadsheetId: "https://docs.google.com/x", sheetName: " ", credentials: "{not json" }),
      (err: Error) => {
        assert.ok(err instanceof SheetConfigError);
        assert.match(err.message, /^invalid Google Sheets configuration: /);
        assert.match(err.message, /locationId: must be the location's id \(a UUID\)/);
        assert.match(err.message, /spreadsheetId: must be the id from the sheet's URL/);
        assert.match(err.message, /sheetName: must not be empty/);
        assert.match(err.message, /credentials: is not JSON \(expected the service-account key file's contents\)/);
        return true;
      },
    );
    assert.throws(
      () => parseSheetConfig({ locationId: LOCATION, spreadsheetId: SPREADSHEET, credentials: { ...KEY, type: "authorized_user" } }),
      /credentials: must be a service-account key \(JSON\) or \{ accessToken \}/,
    );
    assert.throws(() => parseSheetConfig({ locationId: LOCATION, spreadsheetId: SPREADSHEET, credentials: { accessToken: "t" }, sheet: "x" }), /Unrecognized key/);
  });
});
