import { DEMO_LOCATIONS } from "@orderline/db";
import { SHEET_COLUMNS, type SheetColumn, sheetIdOf } from "@orderline/sheets";
import { type SheetsEmulator, startSheetsEmulator } from "@orderline/testing";
import { type ConfirmationClient, confirmationClient } from "./confirmation.ts";
import { type LocalStack, startLocalStack } from "./local-stack.ts";

/** The service account's token the emulator accepts; the worker gets it through the variable `location_sheets` names. */
const SHEETS_TOKEN = "ya29.local-sheets-emulator";
const CREDENTIALS_VAR = "ORDERLINE_SHEETS_KEY_NY";

export interface SheetStack {
  stack: LocalStack;
  sheets: SheetsEmulator;
  /** The New York location's confirmation sheet: spreadsheet id, tab and the orders' external sheet key. */
  spreadsheetId: string;
  tab: string;
  sheetId: string;
  /** An integration of the demo brand with no sheet of its own: `{"row_id"}` finds the location's configured sheet. */
  client: ConfirmationClient;
  /** A person adds a row at the bottom of the tab (cells by column name). */
  addRow(cells: Partial<Record<SheetColumn, string>>): void;
  /** The row with this id as the sheet shows it (cells by column name), or undefined. */
  row(id: string): Record<SheetColumn, string> | undefined;
  close(): Promise<void>;
}

/**
 * The local stack with the Google Sheets emulator wired in as a location's confirmation sheet: a tab with the
 * seed's columns, a `location_sheets` row for New York (its key by reference: an environment variable of the worker
 * holding the token), conversations by `<Gather>` with the local agent, and the worker reading the sheet every
 * `syncIntervalMs`.
 */
export async function startSheetStack(opts: { timeScale?: number; syncIntervalMs?: number; workerEnv?: Record<string, string> } = {}): Promise<SheetStack> {
  const sheets = await startSheetsEmulator({ tokens: [SHEETS_TOKEN], readsPerMinute: 100_000, writesPerMinute: 100_000 });
  const spreadsheetId = "1OrderLineDemoConfirmationSheet0000000000000";
  const tab = "Orders";
  sheets.addSpreadsheet(spreadsheetId, { [tab]: [[...SHEET_COLUMNS]] });
  let stack: LocalStack | undefined;
  try {
    stack = await startLocalStack({
      timeScale: opts.timeScale ?? 0,
      workerEnv: {
        SHEET_SYNC_INTERVAL_MS: String(opts.syncIntervalMs ?? 500),
        SHEET_WRITE_WINDOW_MS: "200",
        [CREDENTIALS_VAR]: JSON.stringify({ accessToken: SHEETS_TOKEN }),
        ...opts.workerEnv,
      },
    });
    const ny = DEMO_LOCATIONS.newYork;
    await stack.db.db.insertInto("location_conversation_settings").values({ location_id: ny.id, mode: "gather", text_engine: "local" }).execute();
    await stack.db.db
      .insertInto("location_sheets")
      .values({ location_id: ny.id, spreadsheet_id: spreadsheetId, sheet_name: tab, credentials_ref: `env:${CREDENTIALS_VAR}`, root_url: sheets.url })
      .execute();
    const client = await confirmationClient(stack, null);
    const s = stack;
    const row = (id: string) => {
      const [header, ...rows] = sheets.rows(spreadsheetId, tab);
      const found = rows.find((r) => r[header!.indexOf("id")] === id);
      return found ? (Object.fromEntries(SHEET_COLUMNS.map((c) => [c, found[header!.indexOf(c)] ?? ""])) as Record<SheetColumn, string>) : undefined;
    };
    return {
      stack: s,
      sheets,
      spreadsheetId,
      tab,
      sheetId: sheetIdOf({ spreadsheetId, sheetName: tab }),
      client,
      addRow: (cells) => sheets.appendRow(spreadsheetId, tab, SHEET_COLUMNS.map((c) => cells[c] ?? "")),
      row,
      async close() {
        await client.close();
        await s.close();
        await sheets.close();
      },
    };
  } catch (err) {
    await stack?.close();
    await sheets.close();
    throw err;
  }
}
