import { type Attributes, context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type pg from "pg";

const tracer = trace.getTracer("@orderline/db");

/** Longest statement text put on a span. */
const MAX_STATEMENT_CHARS = 4000;

type Query = (...args: unknown[]) => unknown;

/**
 * Traces the SQL of every client the pool opens: a CLIENT span per statement (`SELECT orderline`, database
 * semantic conventions: `db.system.name` postgresql, `db.namespace`, `db.operation.name`, `db.query.text` —
 * the statement as sent, with `$n` placeholders and never the parameter values —, `server.address`/`port`,
 * `db.response.returned_rows`), a child of the active span. Only statements run inside a trace get a span
 * (a tool request, a job, a webhook): pool health checks and background loops stay out, and outside a
 * trace the cost is one context lookup. Only the promise form `query(text, values?)` (what Kysely sends) is
 * traced; callback and streaming (cursor) queries pass through untouched.
 *
 * Hand-rolled rather than `@opentelemetry/instrumentation-pg`: that one patches `pg` through require hooks,
 * which must be registered before `pg` is first loaded (`--import` preloading) — our services import it
 * through ESM at start-up, before tracing is set up.
 */
export function traceQueries(pool: pg.Pool, where: { database: string; host: string; port: number }): void {
  const base: Attributes = {
    "db.system": "postgresql",
    "db.system.name": "postgresql",
    "db.namespace": where.database,
    "server.address": where.host,
    "server.port": where.port,
  };
  pool.on("connect", (client) => {
    const query = client.query as unknown as Query;
    (client as unknown as { query: Query }).query = function tracedQuery(this: pg.PoolClient, ...args: unknown[]): unknown {
      const [config, values, callback] = args;
      if (
        typeof config !== "string" ||
        typeof values === "function" ||
        callback !== undefined ||
        trace.getSpan(context.active()) === undefined
      ) {
        return query.apply(this, args);
      }
      const operation = /^\s*([A-Za-z]+)/.exec(config)?.[1]?.toUpperCase() ?? "QUERY";
      const span = tracer.startSpan(`${operation} ${where.database}`, {
        kind: SpanKind.CLIENT,
        attributes: { ...base, "db.operation.name": operation, "db.query.text": config.length > MAX_STATEMENT_CHARS ? config.slice(0, MAX_STATEMENT_CHARS) : config },
      });
      let pending: Promise<pg.QueryResult>;
      try {
        pending = query.apply(this, args) as Promise<pg.QueryResult>;
      } catch (err) {
        fail(span, err);
        throw err;
      }
      return pending.then(
        (result) => {
          if (typeof result?.rowCount === "number") span.setAttribute("db.response.returned_rows", result.rowCount);
          span.end();
          return result;
        },
        (err: unknown) => {
          fail(span, err);
          throw err;
        },
      );
    };
  });
}

function fail(span: ReturnType<typeof tracer.startSpan>, err: unknown): void {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string") span.setAttribute("db.response.status_code", code);
  span.recordException(err instanceof Error ? err : new Error(String(err)));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
  span.end();
}
