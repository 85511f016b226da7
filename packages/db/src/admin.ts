import pg from "pg";
import { assertPostgresUrl, pgTypes, redactUrl } from "./db.ts";

/** Databases the helpers here never drop. */
const PROTECTED = new Set(["postgres", "template0", "template1"]);

/** Postgres identifier quoting. */
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** The database name in a postgres URL. */
export const databaseNameOf = (url: string): string => {
  const name = decodeURIComponent(assertPostgresUrl(url).pathname.replace(/^\//, ""));
  if (!name) throw new TypeError(`database URL names no database: ${redactUrl(url)}`);
  return name;
};

/** The same server and credentials, another database. */
export const withDatabase = (url: string, database: string): string => {
  const u = assertPostgresUrl(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
};

/** Runs `fn` with a short-lived client on the server's maintenance database ("postgres"). */
export const withAdminClient = async <T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres"), types: pgTypes, application_name: "orderline-db-admin" });
  client.on("error", () => {}); // errors surface through the awaited queries
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
};

export const databaseExists = async (client: pg.Client, name: string): Promise<boolean> =>
  (await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1;

/** DROP DATABASE … WITH (FORCE): disconnects remaining sessions first; clears the template flag if set. */
export const dropDatabase = async (client: pg.Client, name: string): Promise<void> => {
  if (PROTECTED.has(name)) throw new Error(`refusing to drop the ${name} database`);
  const r = await client.query<{ datistemplate: boolean }>("SELECT datistemplate FROM pg_database WHERE datname = $1", [name]);
  if (r.rows[0]?.datistemplate) await client.query(`ALTER DATABASE ${quoteIdent(name)} WITH IS_TEMPLATE false`);
  await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
};

/** Drops (if present) and recreates the database named in `url`, empty. */
export const recreateDatabase = async (url: string): Promise<void> => {
  const name = databaseNameOf(url);
  await withAdminClient(url, async (client) => {
    await dropDatabase(client, name);
    await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
  });
};

/** Creates the database named in `url` when it does not exist yet (a fresh server); true if it was created. */
export const ensureDatabase = async (url: string): Promise<boolean> => {
  const name = databaseNameOf(url);
  return withAdminClient(url, async (client) => {
    if (await databaseExists(client, name)) return false;
    await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
    return true;
  });
};
