import type { Migration } from "kysely/migration";
import * as m0001 from "./2026_11_22_0001_extensions.ts";
import * as m0002 from "./2026_11_22_0002_tenancy.ts";
import * as m0003 from "./2026_11_22_0003_catalog.ts";
import * as m0004 from "./2026_11_22_0004_orders.ts";
import * as m0005 from "./2026_11_22_0005_voice.ts";
import * as m0006 from "./2026_11_22_0006_catalog_notify.ts";
import * as m0100 from "./2026_11_22_0100_tool_requests.ts";
import * as m20261205_0001 from "./2026_12_05_0001_call_event_types.ts";
import * as m20261205_0002 from "./2026_12_05_0002_conversation_settings.ts";
import * as m20261205_0101 from "./2026_12_05_0101_worker.ts";
import * as m20261205_0201 from "./2026_12_05_0201_escalation.ts";
import * as m20261205_0301 from "./2026_12_05_0301_confirmation.ts";
import * as m20261205_0501 from "./2026_12_05_0501_dashboard.ts";
import * as m20261205_0601 from "./2026_12_05_0601_sheet_writebacks.ts";
import * as m20261205_0701 from "./2026_12_05_0701_menu_control.ts";
import * as m20261205_0801 from "./2026_12_05_0801_location_sheets.ts";

/**
 * Every migration, by name (file name without extension). Append new files here; never edit or rename one
 * that has shipped. Names sort by their timestamp prefix, which is the order kysely applies them in.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  "2026_11_22_0001_extensions": m0001,
  "2026_11_22_0002_tenancy": m0002,
  "2026_11_22_0003_catalog": m0003,
  "2026_11_22_0004_orders": m0004,
  "2026_11_22_0005_voice": m0005,
  "2026_11_22_0006_catalog_notify": m0006,
  "2026_11_22_0100_tool_requests": m0100,
  "2026_12_05_0001_call_event_types": m20261205_0001,
  "2026_12_05_0002_conversation_settings": m20261205_0002,
  "2026_12_05_0101_worker": m20261205_0101,
  "2026_12_05_0201_escalation": m20261205_0201,
  "2026_12_05_0301_confirmation": m20261205_0301,
  "2026_12_05_0501_dashboard": m20261205_0501,
  "2026_12_05_0601_sheet_writebacks": m20261205_0601,
  "2026_12_05_0701_menu_control": m20261205_0701,
  "2026_12_05_0801_location_sheets": m20261205_0801,
};
