import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import * as contracts from "@orderline/contracts";
import type { Kysely } from "kysely";
import type pg from "pg";
import { databaseExists, dropDatabase, quoteIdent, withAdminClient, withDatabase } from "./admin.ts";
import { createDb } from "./db.ts";
import { migrateToLatest } from "./migrate.ts";
import type { Database } from "./schema.ts";
import { seedDemoChain } from "./seed/seed.ts";

/** Server used for test databases: DATABASE_URL's server and credentials (its database name is ignored). */
export const DEFAULT_TEST_SERVER_URL = "postgres://postgres:postgres@127.0.0.1:5432/postgres";
const TEMPLATE_PREFIX = "orderline_tpl_";
const TEST_PREFIX = "orderline_test_";
/** Test databases carry the creating host, so the leak sweep only judges pids of this machine. */
const HOST_TAG = createHash("sha1").update(hostname()).digest("hex").slice(0, 6);
/** Templates of other migration versions are dropped once unused for this long. */
const STALE_TEMPLATE_MS = 60 * 60 * 1000;

export interface CreateTestDatabaseOptions {
  /** Load the demo chain (DEMO_BRAND, DEMO_LOCATIONS, …). Default false: migrated, empty. */
  seed?: boolean;
  /** Pool size for `db` (default 5). */
  max?: number;
}

export interface TestDatabase {
  /** Name of the fresh database. */
  name: string;
  /** Template it was copied from. */
  template: string;
  /** URL of the fresh database, for services started by the test. */
  url: string;
  db: Kysely<Database>;
  pool: pg.Pool;
  /** Closes the pool and drops the database; safe to call twice. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const serverUrl = (): string => process.env["DATABASE_URL"]?.trim() || DEFAULT_TEST_SERVER_URL;

const packageSrc = import.meta.dirname;

/** Hash of everything that shapes a template: migrations, seed, the contract enums they use, the seed year. */
const templateKey = async (seed: boolean): Promise<string> => {
  const h = createHash("sha256");
  for (const dir of seed ? ["migrations", "seed"] : ["migrations"]) {
    const files = (await readdir(join(packageSrc, dir))).filter((f) => f.endsWith(".ts")).sort();
    for (const f of files) h.update(`${dir}/${f}\0`).update(await readFile(join(packageSrc, dir, f))).update("\0");
  }
  for (const f of ["schema.ts", "schema-columns.ts", "schema-catalog.ts", "schema-orders.ts", "schema-staff.ts"]) h.update(await readFile(join(packageSrc, f)));
  const enums = Object.entries(contracts)
    .filter(([, v]) => typeof v === "object" && v !== null && "options" in v)
    .map(([k, v]) => [k, (v as { options: unknown }).options]);
  h.update(JSON.stringify([enums, contracts.ORDER_TRANSITIONS]));
  if (seed) h.update(`year:${new Date().getUTCFullYear()}`);
  // A separate template on demand (the concurrency test builds a private one and drops it).
  h.update(`salt:${process.env["ORDERLINE_TEST_TEMPLATE_SALT"] ?? ""}`);
  return h.digest("hex").slice(0, 16);
};

// Hash the files now, right after the migration and seed modules were imported, not at the first call: a file
// edited in between would otherwise label a template built from the old code with the new content's hash.
const templateKeys = new Map<boolean, Promise<string>>([
  [false, templateKey(false)],
  [true, templateKey(true)],
]);
for (const p of templateKeys.values()) p.catch(() => {});

const templates = new Map<boolean, Promise<string>>();

/** Builds (once per server, per migration+seed version) the template database and returns its name. */
const ensureTemplate = (seed: boolean): Promise<string> => {
  let p = templates.get(seed);
  if (!p) {
    p = buildTemplate(seed);
    p.catch(() => templates.delete(seed));
    templates.set(seed, p);
  }
  return p;
};

const buildTemplate = async (seed: boolean): Promise<string> => {
  const key = await templateKeys.get(seed)!;
  const name = `${TEMPLATE_PREFIX}${key}_${seed ? "seeded" : "empty"}`;
  const url = serverUrl();
  return withAdminClient(url, async (admin) => {
    if (await databaseExists(admin, name)) return name;
    // Builders in parallel test processes queue here; the first one builds, the others find it done.
    await admin.query("SELECT pg_advisory_lock(hashtext($1))", [name]);
    try {
      if (await databaseExists(admin, name)) return name;
      const building = `${TEMPLATE_PREFIX}${key}_build_${process.pid}`;
      await dropDatabase(admin, building);
      await admin.query(`CREATE DATABASE ${quoteIdent(building)} TEMPLATE template0 ENCODING 'UTF8'`);
      try {
        const handle = createDb(withDatabase(url, building), { max: 2, applicationName: "orderline-test-template" });
        try {
          await migrateToLatest(handle.db);
          if (seed) await seedDemoChain(handle.db);
        } finally {
          await handle.close();
        }
      } catch (err) {
        await dropDatabase(admin, building).catch(() => {});
        throw err;
      }
      await admin.query(`COMMENT ON DATABASE ${quoteIdent(building)} IS ${admin.escapeLiteral(`built ${new Date().toISOString()}`)}`);
      await admin.query(`ALTER DATABASE ${quoteIdent(building)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
      // Rename last: a template exists under its final name only when complete (and already read-only).
      await admin.query(`ALTER DATABASE ${quoteIdent(building)} RENAME TO ${quoteIdent(name)}`);
    } finally {
      await admin.query("SELECT pg_advisory_unlock(hashtext($1))", [name]);
    }
    await dropStaleTemplates(admin, name).catch(() => {});
    return name;
  });
};

/** Drops templates of other migration versions that are older than an hour (not needed by running suites). */
const dropStaleTemplates = async (admin: pg.Client, current: string): Promise<void> => {
  const { rows } = await admin.query<{ datname: string; comment: string | null }>(
    `SELECT d.datname, shobj_description(d.oid, 'pg_database') AS comment
       FROM pg_database d WHERE d.datname LIKE $1 AND d.datistemplate AND d.datname <> $2`,
    [`${TEMPLATE_PREFIX}%`, current],
  );
  for (const { datname, comment } of rows) {
    const built = Date.parse(comment?.replace(/^built /, "") ?? "");
    if (!Number.isFinite(built) || Date.now() - built < STALE_TEMPLATE_MS) continue;
    const locked = await admin.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext($1)) AS ok", [datname]);
    if (!locked.rows[0]?.ok) continue;
    try {
      await dropDatabase(admin, datname);
    } finally {
      await admin.query("SELECT pg_advisory_unlock(hashtext($1))", [datname]);
    }
  }
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
};

let leakSweep: Promise<void> | undefined;
/** Drops test databases left behind by test processes (on this machine) that died before closing them. */
const sweepLeakedDatabases = (): Promise<void> => {
  leakSweep ??= withAdminClient(serverUrl(), async (admin) => {
    const mine = `${TEST_PREFIX}${HOST_TAG}_`;
    const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [mine]);
    for (const { datname } of rows) {
      const pid = Number(/^(\d+)_/.exec(datname.slice(mine.length))?.[1]);
      if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) await dropDatabase(admin, datname).catch(() => {});
    }
  }).catch(() => {});
  return leakSweep;
};

/**
 * A fresh database for one test suite: a copy of a template that is migrated (and, with `seed`, holds the
 * demo chain). The template is built once per migration/seed version and shared by parallel test
 * processes; each copy takes a fraction of a second. Call `close()` in `after()`.
 */
export const createTestDatabase = async (opts: CreateTestDatabaseOptions = {}): Promise<TestDatabase> => {
  const seed = opts.seed ?? false;
  const [template] = await Promise.all([ensureTemplate(seed), sweepLeakedDatabases()]);
  const name = `${TEST_PREFIX}${HOST_TAG}_${process.pid}_${randomBytes(5).toString("hex")}`;
  const base = serverUrl();
  await withAdminClient(base, (admin) => admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`));
  const url = withDatabase(base, name);
  const handle = createDb(url, { max: opts.max ?? 5, applicationName: "orderline-test" });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await handle.close();
      await withAdminClient(base, (admin) => dropDatabase(admin, name));
    })();
    return closing;
  };
  return { name, template, url, db: handle.db, pool: handle.pool, close, [Symbol.asyncDispose]: close };
};

/**
 * Every location of a (throwaway) database open all day, every day, with no holiday exceptions; staff lines
 * answer whenever the location is open. For tests whose services read the real clock.
 */
export async function openAroundTheClock(db: Kysely<Database>): Promise<void> {
  const locations = await db.selectFrom("locations").select("id").execute();
  await db.deleteFrom("staff_line_hours").execute();
  await db.deleteFrom("location_hour_exceptions").execute();
  await db.deleteFrom("location_hours").execute();
  const rows = locations.flatMap((l) =>
    ([1, 2, 3, 4, 5, 6, 7] as const).map((weekday) => ({ location_id: l.id, weekday, is_closed: false, opens_at: "00:00", closes_at: "23:59:59" })),
  );
  await db.insertInto("location_hours").values(rows).execute();
}
