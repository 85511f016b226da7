import { Kysely, type KyselyConfig, PostgresDialect } from "kysely";
import pg from "pg";
import { traceQueries } from "./query-spans.ts";
import type { Database } from "./schema.ts";

/** Postgres type OIDs we parse differently from node-postgres' defaults. */
const OID = { int8: 20, date: 1082, int8Array: 1016, dateArray: 1182 } as const;

/** int8 → number; refuses values a JS number cannot hold exactly instead of silently rounding. */
export const parseInt8 = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`bigint value ${value} is outside Number.MAX_SAFE_INTEGER; select it as text instead`);
  }
  return n;
};

/** node-postgres' own parser for an OID its TypeId union does not list (array types). */
const builtinParser = (oid: number) => (pg.types.getTypeParser as (oid: number) => (value: string) => unknown)(oid);

const parseInt8Array = (value: string): number[] => {
  const parseArray = builtinParser(1007 /* int4[] */) as (v: string) => (number | null)[];
  return parseArray(value).map((v) => {
    if (v === null) throw new TypeError("null inside a bigint[] is not supported");
    if (!Number.isSafeInteger(v)) throw new RangeError(`bigint value ${v} is outside Number.MAX_SAFE_INTEGER`);
    return v;
  });
};

/**
 * Per-pool type parsers (the global `pg.types` registry stays untouched):
 * int8 → number (safe range checked), date → 'YYYY-MM-DD' string (the default would build a Date at local
 * midnight of the *process* timezone), numeric stays a string, timestamptz stays a Date.
 */
export const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (format === undefined || format === "text") {
      if (oid === OID.int8) return parseInt8;
      if (oid === OID.int8Array) return parseInt8Array;
      if (oid === OID.date) return (v: string) => v;
      if (oid === OID.dateArray) return builtinParser(1009 /* text[] */);
    }
    return format === undefined ? pg.types.getTypeParser(oid) : pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig["getTypeParser"],
};

export interface CreateDbOptions {
  /** Pool size (default 10). */
  max?: number;
  /** Shown in pg_stat_activity (default "orderline"). */
  applicationName?: string;
  /** Server-side statement timeout in ms (default none). */
  statementTimeoutMs?: number;
  /** Idle connections are closed after this many ms (default 10 000). */
  idleTimeoutMs?: number;
  /** Give up connecting after this many ms (default 5 000). */
  connectionTimeoutMs?: number;
  /** Errors of idle pooled clients (e.g. server restart). Default: process warning. Never crashes the process. */
  onIdleError?: (err: Error) => void;
  /** Kysely query log hook. */
  log?: KyselyConfig["log"];
}

export interface DbHandle {
  db: Kysely<Database>;
  pool: pg.Pool;
  /** Ends the pool; safe to call more than once. */
  close(): Promise<void>;
}

/** Validates a postgres:// URL up front so a typo fails with a clear message rather than ECONNREFUSED. */
export const assertPostgresUrl = (url: string): URL => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`database URL is not a valid URL: ${JSON.stringify(redactUrl(url))}`);
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new TypeError(`database URL must start with postgres:// or postgresql://, got ${parsed.protocol}//`);
  }
  return parsed;
};

/** The URL with its password replaced, for logs and error messages. */
export const redactUrl = (url: string): string => url.replace(/(\/\/[^:/@]+:)[^@/]*@/, "$1***@");

/**
 * Opens `count` pool connections now (at most the pool's size) and returns them to the pool idle: a service
 * that answers on a deadline (the gateway's incoming-call webhook) does not pay connection set-up on its first
 * requests. They stay open for the pool's idle timeout.
 */
export async function openConnections(pool: pg.Pool, count: number): Promise<void> {
  const clients = await Promise.all(Array.from({ length: Math.min(count, pool.options.max ?? 10) }, () => pool.connect()));
  try {
    await Promise.all(clients.map((c) => c.query("SELECT 1")));
  } finally {
    for (const c of clients) c.release();
  }
}

/** Creates the pg Pool and the typed Kysely instance over it. */
export const createDb = (url: string, opts: CreateDbOptions = {}): DbHandle => {
  const parsed = assertPostgresUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    idleTimeoutMillis: opts.idleTimeoutMs ?? 10_000,
    connectionTimeoutMillis: opts.connectionTimeoutMs ?? 5_000,
    application_name: opts.applicationName ?? "orderline",
    ...(opts.statementTimeoutMs === undefined ? {} : { statement_timeout: opts.statementTimeoutMs }),
    types: pgTypes,
  });
  let closing: Promise<void> | undefined;
  const onIdleError = opts.onIdleError ?? ((err: Error) => process.emitWarning(`idle postgres client error: ${err.message}`, "PostgresPoolWarning"));
  // pool.end() resolves before every socket has closed; errors of clients being closed are not news.
  pool.on("error", (err: Error) => {
    if (!closing) onIdleError(err);
  });
  // Statements run inside a trace (a tool request, a job) become spans of it.
  traceQueries(pool, { database: decodeURIComponent(parsed.pathname.slice(1)) || "postgres", host: parsed.hostname, port: Number(parsed.port || 5432) });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    ...(opts.log ? { log: opts.log } : {}),
  });
  return {
    db,
    pool,
    close: () => {
      closing ??= db.destroy();
      return closing;
    },
  };
};
