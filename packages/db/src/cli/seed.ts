#!/usr/bin/env node
// Usage: node src/cli/seed.ts — migrates to latest, then writes the demo chain (idempotent).
// DATABASE_URL selects the database (default postgres://postgres:postgres@127.0.0.1:5432/orderline).
import { createDb, redactUrl } from "../db.ts";
import { databaseUrlFromEnv } from "../env.ts";
import { migrateToLatest } from "../migrate.ts";
import { DEMO_BRAND, DEMO_LOCATION_LIST } from "../seed/constants.ts";
import { seedDemoChain } from "../seed/seed.ts";

if (process.argv.length > 2) {
  console.error("usage: seed (no arguments; DATABASE_URL selects the database)");
  process.exit(2);
}
const url = databaseUrlFromEnv();
let handle: ReturnType<typeof createDb> | undefined;
try {
  handle = createDb(url, { max: 1, applicationName: "orderline-seed" });
  await migrateToLatest(handle.db);
  const summary = await seedDemoChain(handle.db);
  console.log(`seeded ${DEMO_BRAND.name} into ${redactUrl(url)}`);
  for (const l of DEMO_LOCATION_LIST) console.log(`  ${l.slug.padEnd(18)} ${l.phone}  ${l.timezone.padEnd(17)} ${l.id}`);
  console.log(`  rows: ${Object.entries(summary.rows).map(([t, n]) => `${t}=${n}`).join(" ")}`);
  if (Object.keys(summary.deleted).length > 0) console.log(`  removed stale: ${JSON.stringify(summary.deleted)}`);
} catch (err) {
  console.error(`${err instanceof Error ? err.message : String(err)} (database: ${redactUrl(url)})`);
  process.exitCode = 1;
} finally {
  await handle?.close();
}
