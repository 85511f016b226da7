import { setTimeout as sleep } from "node:timers/promises";
import type { sheets_v4 } from "googleapis";
import { type ColumnMap, columnMap, type SheetRow, sheetRows, tabRange } from "./columns.ts";
import type { SheetConfig } from "./config.ts";

/**
 * The two calls the adapter makes (docs/PROTOCOLS.md §14) — read the tab, write cells with one batchUpdate — each
 * with a bounded retry and exponential backoff on 429, 5xx and network failures. Other errors (400, 403, 404) are
 * not retried: they need a person.
 */

export type RetryPolicy = {
  /** Tries per call, the first included (default 4). */
  attempts: number;
  /** Wait before the second try; doubled each time (default 1 s). */
  baseDelayMs: number;
  /** Longest wait between tries (default 16 s). */
  maxDelayMs: number;
};

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 1_000, maxDelayMs: 16_000 };

/** A Sheets API call failed (after its retries when `retryable`). */
export class SheetsCallError extends Error {
  override name = "SheetsCallError";
  /** HTTP status, undefined when no answer came. */
  readonly code: number | undefined;
  /** The API's status word (RESOURCE_EXHAUSTED, PERMISSION_DENIED…). */
  readonly status: string | undefined;
  /** 429, 5xx or no answer: trying later may work. */
  readonly retryable: boolean;
  constructor(message: string, code: number | undefined, status: string | undefined) {
    super(message);
    this.code = code;
    this.status = status;
    this.retryable = code === undefined || code === 408 || code === 429 || code >= 500;
  }
}

const HINTS: Readonly<Record<number, string>> = {
  403: " — share the sheet with the service account's e-mail as an Editor (docs/SHEETS.md)",
  404: " — check the spreadsheet id in the sheet's configuration",
};

/** The API's `{"error":{code,message,status}}` (or the network failure) as a SheetsCallError. */
export function callError(what: string, err: unknown): SheetsCallError {
  if (err instanceof SheetsCallError) return err;
  const e = err as { status?: number; code?: string | number; message?: string; response?: { status?: number; data?: { error?: { code?: number; message?: string; status?: string } } } };
  const body = e.response?.data?.error;
  const code = body?.code ?? e.response?.status ?? e.status;
  if (code === undefined) return new SheetsCallError(`${what}: no answer from the Sheets API (${e.message ?? String(err)})`, undefined, undefined);
  const message = body?.message ?? e.message ?? "error";
  return new SheetsCallError(`${what}: Sheets API ${code}${body?.status ? ` ${body.status}` : ""}: ${message}${HINTS[code] ?? ""}`, code, body?.status);
}

/** Runs `call` up to `policy.attempts` times while it fails with a retryable error. */
export async function withRetry<T>(what: string, policy: RetryPolicy, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (caught) {
      const err = callError(what, caught);
      if (!err.retryable || attempt >= policy.attempts) throw err;
      await sleep(backoffMs(policy, attempt));
    }
  }
}

/** The wait after the `failures`-th failure: base × 2^(failures−1), at most maxDelayMs, with up to 20 % jitter. */
export function backoffMs(policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">, failures: number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failures - 1));
  return Math.round(exp * (1 + Math.random() * 0.2));
}

export type SheetSnapshot = { columns: ColumnMap; rows: SheetRow[] };

/** Reads the whole tab and maps its header (a SheetFormatError when a column is missing). */
export async function readSheet(client: sheets_v4.Sheets, config: SheetConfig, policy: RetryPolicy): Promise<SheetSnapshot> {
  const where = `sheet "${config.sheetName}" of spreadsheet ${config.spreadsheetId}`;
  const res = await withRetry(`reading ${where}`, policy, () =>
    client.spreadsheets.values.get({ spreadsheetId: config.spreadsheetId, range: tabRange(config.sheetName), majorDimension: "ROWS" }),
  );
  const values = res.data.values ?? [];
  const columns = columnMap(values[0] ?? [], where);
  return { columns, rows: sheetRows(values, columns) };
}

/** One cell to write (A1 range of a single cell) and its text. */
export type CellWrite = { range: string; value: string };

/** Writes the cells in one batchUpdate (RAW: JSON and timestamps stay text). */
export async function writeCells(client: sheets_v4.Sheets, config: SheetConfig, cells: readonly CellWrite[], policy: RetryPolicy): Promise<void> {
  if (cells.length === 0) return;
  await withRetry(`writing ${cells.length} cell(s) to spreadsheet ${config.spreadsheetId}`, policy, () =>
    client.spreadsheets.values.batchUpdate({
      spreadsheetId: config.spreadsheetId,
      requestBody: { valueInputOption: "RAW", data: cells.map((c) => ({ range: c.range, majorDimension: "ROWS", values: [[c.value]] })) },
    }),
  );
}
