import type { IncomingMessage, ServerResponse } from "node:http";
import { LoopbackHttpServer } from "./loopback-server.ts";
import { A1Error, parseA1 } from "./sheets-a1.ts";
import {
  type Bounds,
  type CellValue,
  formatted,
  type InputValue,
  invalidArgument,
  SheetGrid,
  SheetsApiError,
  type UpdateValuesResponse,
} from "./sheets-grid.ts";

export type { CellValue } from "./sheets-grid.ts";

export type SheetsEmulatorOptions = {
  /** Bearer tokens the API accepts (default: any). A token outside the list gets 401 UNAUTHENTICATED. */
  tokens?: string[];
  /** Read and write requests per minute per token (default 60 each, the API's default quota). */
  readsPerMinute?: number;
  writesPerMinute?: number;
  port?: number;
};

export type SheetsRequestRecord = {
  index: number;
  method: string;
  /** "get" | "update" | "append" | "batchUpdate" | "unknown". */
  operation: string;
  spreadsheetId: string | undefined;
  /** Decoded range(s) the request named. */
  ranges: string[];
  token: string | undefined;
  status: number;
  /** The error status (`RESOURCE_EXHAUSTED`…) of a failed request. */
  error: string | undefined;
  body: unknown;
};

type Spreadsheet = { id: string; sheets: SheetGrid[]; sharedWith: Set<string> | undefined };
type Fault = { code: number; status: string; message: string; operation: string | undefined };

const STATUS_OF: Readonly<Record<number, string>> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  502: "UNAVAILABLE",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

const MESSAGE_OF: Readonly<Record<number, string>> = {
  429: "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user' of service 'sheets.googleapis.com'.",
  500: "Internal error encountered.",
  502: "Bad gateway.",
  503: "The service is currently unavailable.",
  504: "The service is currently unavailable.",
};

const WRITE_OPERATIONS = new Set(["update", "append", "batchUpdate"]);

/**
 * The Google Sheets API v4 values endpoints at the host root (docs/PROTOCOLS.md §14), for the real `googleapis`
 * client: `google.sheets({ version: "v4", auth, rootUrl: emu.url })`. Spreadsheets live in memory; bearer tokens,
 * sharing (403), unknown ids (404), bad ranges (400), a per-minute quota per token (429) and injected faults
 * behave like the API. Test controls: `addSpreadsheet`, `rows`, `setCell` (a person's edit), `failNext`,
 * `advanceClock`, `requests`.
 */
export class SheetsEmulator {
  readonly requests: SheetsRequestRecord[] = [];
  private readonly opts: SheetsEmulatorOptions;
  private readonly spreadsheets = new Map<string, Spreadsheet>();
  private readonly faults: Fault[] = [];
  private readonly used = new Map<string, number>();
  private clockOffsetMs = 0;
  private readonly http = new LoopbackHttpServer("SheetsEmulator (`await startSheetsEmulator()`)", (req, res) => void this.handle(req, res));

  constructor(opts: SheetsEmulatorOptions = {}) {
    this.opts = opts;
  }

  /** http://127.0.0.1:PORT — pass it as the client's `rootUrl`. */
  get url(): string {
    return this.http.url;
  }

  /** Creates (or replaces) a spreadsheet; `sharedWith` lists the tokens that may use it (default: every token). */
  addSpreadsheet(id: string, sheets: Record<string, CellValue[][]>, opts: { sharedWith?: string[] } = {}): void {
    const grids = Object.entries(sheets).map(([title, rows]) => new SheetGrid(title, rows));
    if (grids.length === 0) grids.push(new SheetGrid("Sheet1"));
    this.spreadsheets.set(id, { id, sheets: grids, sharedWith: opts.sharedWith ? new Set(opts.sharedWith) : undefined });
  }

  /** Shares a spreadsheet with one more token (as sharing it with the service account's e-mail would). */
  share(id: string, token: string): void {
    const s = this.spreadsheet(id);
    s.sharedWith ??= new Set();
    s.sharedWith.add(token);
  }

  /** The sheet's cells as the UI shows them: text, ragged rows without trailing empty cells. */
  rows(id: string, sheet: string): string[][] {
    const grid = this.grid(id, sheet);
    const out = grid.rows.map((r) => r.map((v) => String(formatted(v))));
    for (const r of out) while (r.length > 0 && r[r.length - 1] === "") r.pop();
    while (out.length > 0 && out[out.length - 1]!.length === 0) out.pop();
    return out;
  }

  /** A person typing into one cell (`"B3"`): no request, no quota. */
  setCell(id: string, sheet: string, cell: string, value: CellValue): void {
    const a1 = parseA1(cell, () => false);
    this.grid(id, sheet).setCell(a1.startRow ?? 0, a1.startCol ?? 0, value);
  }

  /** A person adding a row at the bottom. */
  appendRow(id: string, sheet: string, row: CellValue[]): void {
    const grid = this.grid(id, sheet);
    const at = lastFilledRow(grid) + 1;
    for (const [c, v] of row.entries()) grid.setCell(at, c, v);
  }

  /**
   * The next `count` authenticated requests (of `operation` only, when given: "get", "update", "append",
   * "batchUpdate") fail with `code` (429, 500, 503…) and the API's error body. Faults queue in order.
   */
  failNext(count: number, code: number, opts: { message?: string; operation?: string } = {}): this {
    const fault = { code, status: STATUS_OF[code] ?? "UNKNOWN", message: opts.message ?? MESSAGE_OF[code] ?? "Error.", operation: opts.operation };
    for (let i = 0; i < count; i++) this.faults.push({ ...fault });
    return this;
  }

  /** Faults still queued. */
  get pendingFaults(): number {
    return this.faults.length;
  }

  /** Moves the quota clock forward (a new minute refills every quota). */
  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
  }

  /** Requests of one operation ("get", "update", "append", "batchUpdate"), optionally only the successful ones. */
  count(operation?: string, opts: { ok?: boolean } = {}): number {
    return this.requests.filter((r) => (operation === undefined || r.operation === operation) && (!opts.ok || r.status === 200)).length;
  }

  async start(): Promise<this> {
    await this.http.start(this.opts.port);
    return this;
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private spreadsheet(id: string): Spreadsheet {
    const s = this.spreadsheets.get(id);
    if (!s) throw new Error(`SheetsEmulator: no spreadsheet ${id}`);
    return s;
  }

  private grid(id: string, sheet: string): SheetGrid {
    const grid = this.spreadsheet(id).sheets.find((g) => g.title === sheet);
    if (!grid) throw new Error(`SheetsEmulator: spreadsheet ${id} has no sheet ${sheet}`);
    return grid;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://emulator");
    const route = routeOf(req.method ?? "GET", url.pathname);
    const rec: SheetsRequestRecord = {
      index: this.requests.length,
      method: req.method ?? "GET",
      operation: route?.operation ?? "unknown",
      spreadsheetId: route?.spreadsheetId,
      ranges: route?.range !== undefined ? [route.range] : [],
      token: /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1],
      status: 200,
      error: undefined,
      body: undefined,
    };
    this.requests.push(rec);
    try {
      const raw = Buffer.concat(chunks).toString("utf8");
      if (raw) {
        try {
          rec.body = JSON.parse(raw);
        } catch {
          throw invalidArgument(`Invalid JSON payload received. Unable to parse: ${raw.slice(0, 40)}`);
        }
      }
      if (!route) throw new SheetsApiError(404, "NOT_FOUND", `The requested URL ${url.pathname} was not found on this server.`);
      const answer = this.answer(route, url.searchParams, rec);
      res.writeHead(200, { "Content-Type": "application/json; charset=UTF-8" });
      res.end(JSON.stringify(answer));
    } catch (caught) {
      const err =
        caught instanceof SheetsApiError
          ? caught
          : caught instanceof A1Error
            ? invalidArgument(caught.message)
            : new SheetsApiError(500, "INTERNAL", `emulator failure: ${String(caught)}`);
      rec.status = err.code;
      rec.error = err.status;
      res.writeHead(err.code, { "Content-Type": "application/json; charset=UTF-8" });
      res.end(JSON.stringify({ error: { code: err.code, message: err.message, status: err.status } }));
    }
  }

  private answer(route: Route, query: URLSearchParams, rec: SheetsRequestRecord): unknown {
    this.authorize(rec);
    const at = this.faults.findIndex((f) => f.operation === undefined || f.operation === route.operation);
    if (at >= 0) {
      const [fault] = this.faults.splice(at, 1);
      throw new SheetsApiError(fault!.code, fault!.status, fault!.message);
    }
    this.chargeQuota(rec.token ?? "", WRITE_OPERATIONS.has(route.operation) ? "write" : "read");
    const sheet = this.spreadsheets.get(route.spreadsheetId);
    if (!sheet) throw new SheetsApiError(404, "NOT_FOUND", "Requested entity was not found.");
    if (sheet.sharedWith && !sheet.sharedWith.has(rec.token ?? "")) throw new SheetsApiError(403, "PERMISSION_DENIED", "The caller does not have permission");
    const body = (rec.body ?? {}) as Record<string, unknown>;
    switch (route.operation) {
      case "get": {
        const { grid, bounds } = this.locate(sheet, route.range!);
        const dim = majorDimensionOf(query.get("majorDimension"));
        const render = query.get("valueRenderOption") === "UNFORMATTED_VALUE" ? (v: CellValue) => v : formatted;
        return grid.read(bounds, dim, render);
      }
      case "update": {
        const userEntered = inputOption(query.get("valueInputOption"));
        if (typeof body["range"] === "string" && !sameRange(sheet, body["range"], route.range!)) {
          throw invalidArgument(`Requested writing within range [${route.range}], but tried writing to [${body["range"]}]`);
        }
        const { grid, bounds } = this.locate(sheet, route.range!);
        return grid.write(sheet.id, bounds, route.range!, valuesOf(body), majorDimensionOf(stringOrNull(body["majorDimension"])), userEntered);
      }
      case "append":
        return this.append(sheet, route.range!, query, body);
      case "batchUpdate":
        return this.batchUpdate(sheet, body, rec);
      default:
        throw new SheetsApiError(404, "NOT_FOUND", "Requested entity was not found.");
    }
  }

  private authorize(rec: SheetsRequestRecord): void {
    const token = rec.token;
    if (!token) {
      throw new SheetsApiError(
        401,
        "UNAUTHENTICATED",
        "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
      );
    }
    if (this.opts.tokens && !this.opts.tokens.includes(token)) {
      throw new SheetsApiError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.");
    }
  }

  private chargeQuota(token: string, kind: "read" | "write"): void {
    const minute = Math.floor((Date.now() + this.clockOffsetMs) / 60_000);
    const key = `${kind}:${token}:${minute}`;
    const used = (this.used.get(key) ?? 0) + 1;
    this.used.set(key, used);
    const limit = kind === "read" ? (this.opts.readsPerMinute ?? 60) : (this.opts.writesPerMinute ?? 60);
    if (used > limit) {
      const metric = kind === "read" ? "Read requests" : "Write requests";
      throw new SheetsApiError(
        429,
        "RESOURCE_EXHAUSTED",
        `Quota exceeded for quota metric '${metric}' and limit '${metric} per minute per user' of service 'sheets.googleapis.com'.`,
      );
    }
  }

  private locate(sheet: Spreadsheet, range: string): { grid: SheetGrid; bounds: Bounds } {
    const a1 = parseA1(range, (t) => sheet.sheets.some((g) => g.title === t));
    const grid = a1.sheet === undefined ? sheet.sheets[0]! : sheet.sheets.find((g) => g.title === a1.sheet);
    if (!grid) throw invalidArgument(`Unable to parse range: ${range}`);
    return { grid, bounds: grid.bounds(a1, range) };
  }

  private append(sheet: Spreadsheet, range: string, query: URLSearchParams, body: Record<string, unknown>): unknown {
    const userEntered = inputOption(query.get("valueInputOption"));
    const insert = query.get("insertDataOption") === "INSERT_ROWS";
    const { grid, bounds } = this.locate(sheet, range);
    const values = valuesOf(body);
    const table = grid.table(bounds);
    const at = table ? table.endRow + 1 : bounds.startRow;
    grid.makeRoom(at, values.length, insert);
    const target: Bounds = { startRow: at, startCol: bounds.startCol, endRow: at + Math.max(values.length, 1) - 1, endCol: grid.columnCount - 1 };
    const updates = grid.write(sheet.id, target, range, values, majorDimensionOf(stringOrNull(body["majorDimension"])), userEntered);
    return { spreadsheetId: sheet.id, ...(table ? { tableRange: grid.a1(table) } : {}), updates };
  }

  /** All ranges checked before anything is written: one bad range fails the whole request, like the API. */
  private batchUpdate(sheet: Spreadsheet, body: Record<string, unknown>, rec: SheetsRequestRecord): unknown {
    const userEntered = inputOption(stringOrNull(body["valueInputOption"]));
    const data = body["data"];
    if (!Array.isArray(data)) throw invalidArgument("Invalid data: expected a list of ValueRange");
    const planned = data.map((d: Record<string, unknown>, i) => {
      if (typeof d?.["range"] !== "string") throw invalidArgument(`Invalid data[${i}]: range is required`);
      rec.ranges.push(d["range"]);
      return { ...this.locate(sheet, d["range"]), range: d["range"], values: valuesOf(d), dim: majorDimensionOf(stringOrNull(d["majorDimension"])) };
    });
    const responses: UpdateValuesResponse[] = [];
    const snapshot = planned.map((p) => p.grid.rows.map((r) => [...r]));
    try {
      for (const p of planned) responses.push(p.grid.write(sheet.id, p.bounds, p.range, p.values, p.dim, userEntered));
    } catch (err) {
      for (const [i, p] of planned.entries()) p.grid.rows.splice(0, p.grid.rows.length, ...snapshot[i]!);
      throw err;
    }
    const sum = (k: "updatedRows" | "updatedColumns" | "updatedCells") => responses.reduce((n, r) => n + r[k], 0);
    return {
      spreadsheetId: sheet.id,
      totalUpdatedRows: sum("updatedRows"),
      totalUpdatedColumns: sum("updatedColumns"),
      totalUpdatedCells: sum("updatedCells"),
      totalUpdatedSheets: new Set(planned.map((p) => p.grid.title)).size,
      responses,
    };
  }
}

type Route = { operation: string; spreadsheetId: string; range: string | undefined };

/** `/v4/spreadsheets/{id}/values/{range}`, `…/values/{range}:append`, `…/values:batchUpdate`. */
function routeOf(method: string, path: string): Route | undefined {
  const m = /^\/v4\/spreadsheets\/([^/]+)\/values(?::batchUpdate|\/([^/]+))$/.exec(path);
  if (!m) return undefined;
  const spreadsheetId = decodeURIComponent(m[1]!);
  if (m[2] === undefined) return method === "POST" ? { operation: "batchUpdate", spreadsheetId, range: undefined } : undefined;
  const append = m[2].endsWith(":append");
  const range = decodeURIComponent(append ? m[2].slice(0, -":append".length) : m[2]);
  if (append) return method === "POST" ? { operation: "append", spreadsheetId, range } : undefined;
  if (method === "GET") return { operation: "get", spreadsheetId, range };
  if (method === "PUT") return { operation: "update", spreadsheetId, range };
  return undefined;
}

function inputOption(value: string | null): boolean {
  if (value === "RAW") return false;
  if (value === "USER_ENTERED") return true;
  throw invalidArgument(`Invalid valueInputOption: ${value ?? "INPUT_VALUE_OPTION_UNSPECIFIED"}`);
}

function majorDimensionOf(value: string | null): "ROWS" | "COLUMNS" {
  if (value === null || value === "ROWS" || value === "DIMENSION_UNSPECIFIED") return "ROWS";
  if (value === "COLUMNS") return "COLUMNS";
  throw invalidArgument(`Invalid value at 'major_dimension' (type.googleapis.com/google.apps.sheets.v4.Dimension), "${value}"`);
}

function stringOrNull(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

function valuesOf(body: Record<string, unknown>): InputValue[][] {
  const values = body["values"];
  if (values === undefined) return [];
  if (!Array.isArray(values) || !values.every((r) => Array.isArray(r))) throw invalidArgument("Invalid values: expected a list of lists");
  return values as InputValue[][];
}

function sameRange(sheet: Spreadsheet, a: string, b: string): boolean {
  const known = (t: string) => sheet.sheets.some((g) => g.title === t);
  const first = sheet.sheets[0]!.title;
  const pa = parseA1(a, known);
  const pb = parseA1(b, known);
  return JSON.stringify({ ...pa, sheet: pa.sheet ?? first }) === JSON.stringify({ ...pb, sheet: pb.sheet ?? first });
}

function lastFilledRow(grid: SheetGrid): number {
  for (let r = grid.rows.length - 1; r >= 0; r--) if ((grid.rows[r] ?? []).some((v) => v !== "")) return r;
  return -1;
}

/** Starts an emulator on a free loopback port. */
export function startSheetsEmulator(opts: SheetsEmulatorOptions = {}): Promise<SheetsEmulator> {
  return new SheetsEmulator(opts).start();
}
