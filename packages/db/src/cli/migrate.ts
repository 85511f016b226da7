#!/usr/bin/env node
// Usage: node src/cli/migrate.ts <latest|up|down> [--all]
//   latest      apply every pending migration
//   up          apply the next pending migration
//   down        revert the last applied migration; with --all revert every migration
// DATABASE_URL selects the database (default postgres://postgres:postgres@127.0.0.1:5432/orderline).
import { parseArgs } from "node:util";
import type { MigrationResult } from "kysely/migration";
import { createDb, redactUrl } from "../db.ts";
import { databaseUrlFromEnv } from "../env.ts";
import { MigrationError, migrateDown, migrateDownOne, migrateToLatest, migrateUp } from "../migrate.ts";

const USAGE = "usage: migrate <latest|up|down> [--all]";

const { positionals, values } = parseArgs({ allowPositionals: true, options: { all: { type: "boolean", default: false } } });
const command = positionals[0];
if (positionals.length !== 1 || !["latest", "up", "down"].includes(command ?? "")) {
  console.error(`${USAGE}\n(got: ${positionals.join(" ") || "no command"})`);
  process.exit(2);
}
if (values.all && command !== "down") {
  console.error(`--all only applies to "down"\n${USAGE}`);
  process.exit(2);
}

const url = databaseUrlFromEnv();
const print = (results: readonly MigrationResult[]) => {
  for (const r of results) console.log(`${r.status.padEnd(11)} ${r.direction.padEnd(4)} ${r.migrationName}`);
};
let handle: ReturnType<typeof createDb> | undefined;
try {
  handle = createDb(url, { max: 1, applicationName: "orderline-migrate" });
  const run = command === "latest" ? migrateToLatest : command === "up" ? migrateUp : values.all ? migrateDown : migrateDownOne;
  const results = await run(handle.db);
  print(results);
  if (results.length === 0) console.log("nothing to do");
  console.log(`database: ${redactUrl(url)}`);
} catch (err) {
  if (err instanceof MigrationError) print(err.results);
  console.error(`${err instanceof Error ? err.message : String(err)} (database: ${redactUrl(url)})`);
  process.exitCode = 1;
} finally {
  await handle?.close();
}
