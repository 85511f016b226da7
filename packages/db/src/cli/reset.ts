#!/usr/bin/env node
// Usage: node src/cli/reset.ts — drops and recreates the database named in DATABASE_URL, migrates and seeds it.
// Refuses to touch the maintenance databases (postgres, template0, template1).
import { createDb, redactUrl } from "../db.ts";
import { databaseUrlFromEnv } from "../env.ts";
import { migrateToLatest } from "../migrate.ts";
import { recreateDatabase } from "../admin.ts";
import { seedDemoChain } from "../seed/seed.ts";

const url = databaseUrlFromEnv();
try {
  await recreateDatabase(url);
  const { db, close } = createDb(url, { max: 1, applicationName: "orderline-reset" });
  try {
    await migrateToLatest(db);
    await seedDemoChain(db);
  } finally {
    await close();
  }
  console.log(`reset, migrated and seeded ${redactUrl(url)}`);
} catch (err) {
  console.error(`${err instanceof Error ? err.message : String(err)} (database: ${redactUrl(url)})`);
  process.exitCode = 1;
}
