import { type CatalogCache, createCatalogCache } from "@orderline/catalog";
import { DEMO_LOCATIONS } from "@orderline/db";
import { createTestDatabase, type TestDatabase } from "@orderline/db/testing";
import { type SheetsEmulator, startSheetsEmulator } from "@orderline/testing";
import { sql } from "kysely";
import type { ConfirmationIntake, ConfirmationIntakeRequest, SheetConfigInput, SyncSheetDeps } from "../../src/index.ts";

/**
 * The test's side of the seam: a ConfirmationIntake over a real Postgres table of this fixture (UNIQUE on the
 * external reference, as the confirmation state machine's must be), the seeded demo chain's menu through the
 * catalog cache, and the Sheets emulator that the real googleapis client reaches.
 */

export const TOKEN = "ya29.sheets-test";
export const LOCATION_ID = DEMO_LOCATIONS.newYork.id;
export const HEADER = ["id", "customer_name", "phone", "order_text", "status", "final_order_json", "notes", "locked_at", "last_updated"];

export type Fixture = {
  tdb: TestDatabase;
  emu: SheetsEmulator;
  menus: CatalogCache;
  intake: ConfirmationIntake & { calls: ConfirmationIntakeRequest[] };
  /** Rows of the intake table, oldest first. */
  intakes(): Promise<{ sheet_id: string; row_id: string; phone: string; request: ConfirmationIntakeRequest }[]>;
  config(spreadsheetId: string, sheetName?: string): SheetConfigInput;
  deps(extra?: Partial<SyncSheetDeps>): SyncSheetDeps;
  close(): Promise<void>;
};

export async function startFixture(emulatorOptions: Parameters<typeof startSheetsEmulator>[0] = {}): Promise<Fixture> {
  const tdb = await createTestDatabase({ seed: true });
  await sql`
    CREATE TABLE test_confirmation_intakes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      source text NOT NULL,
      sheet_id text NOT NULL,
      row_id text NOT NULL,
      location_id uuid NOT NULL REFERENCES locations (id),
      phone text NOT NULL CHECK (is_e164(phone)),
      request jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      UNIQUE (source, sheet_id, row_id)
    )`.execute(tdb.db);
  // The API's quota is 60 requests a minute; a suite makes more, so only the quota test keeps a small one.
  const emu = await startSheetsEmulator({ tokens: [TOKEN], readsPerMinute: 100_000, writesPerMinute: 100_000, ...emulatorOptions });
  const menus = createCatalogCache({ db: tdb.db });
  const calls: ConfirmationIntakeRequest[] = [];
  const intake = {
    calls,
    async create(req: ConfirmationIntakeRequest) {
      calls.push(req);
      const ref = req.externalRef;
      const inserted = await sql<{ id: string }>`
        INSERT INTO test_confirmation_intakes (source, sheet_id, row_id, location_id, phone, request)
        VALUES (${ref.source}, ${ref.sheetId}, ${ref.rowId}, ${req.locationId}, ${req.phone}, ${JSON.stringify(req)})
        ON CONFLICT (source, sheet_id, row_id) DO NOTHING RETURNING id`.execute(tdb.db);
      if (inserted.rows[0]) return { confirmationId: inserted.rows[0].id, created: true };
      const existing = await sql<{ id: string }>`
        SELECT id FROM test_confirmation_intakes WHERE source = ${ref.source} AND sheet_id = ${ref.sheetId} AND row_id = ${ref.rowId}`.execute(tdb.db);
      return { confirmationId: existing.rows[0]!.id, created: false };
    },
  };
  return {
    tdb,
    emu,
    menus,
    intake,
    async intakes() {
      const r = await sql<{ sheet_id: string; row_id: string; phone: string; request: ConfirmationIntakeRequest }>`
        SELECT sheet_id, row_id, phone, request FROM test_confirmation_intakes ORDER BY created_at, row_id`.execute(tdb.db);
      return r.rows;
    },
    config: (spreadsheetId, sheetName = "Orders") => ({
      locationId: LOCATION_ID,
      spreadsheetId,
      sheetName,
      credentials: { accessToken: TOKEN },
      rootUrl: emu.url,
    }),
    deps: (extra = {}) => ({ db: tdb.db, intake, menus, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 4 }, ...extra }),
    async close() {
      await menus.close();
      await emu.close();
      await tdb.close();
    },
  };
}

let sheetCounter = 0;
/** A fresh spreadsheet id (the API's are 44 characters of [A-Za-z0-9_-]). */
export function newSpreadsheetId(): string {
  sheetCounter += 1;
  return `1TestSheet${process.pid}x${sheetCounter}${"a".repeat(20)}`;
}
