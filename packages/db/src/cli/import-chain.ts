#!/usr/bin/env node
// Usage: pnpm import-chain <file.yaml|file.json> [--dry-run]
//   Migrates the database to latest, then writes the chain the file describes (brand, locations, numbers, hours,
//   staff lines, menu, specials). Idempotent: importing the same file again changes nothing; what the file no
//   longer lists is hidden, not deleted. --dry-run only validates the file. Format: docs/OPERATIONS.md.
// DATABASE_URL selects the database (default postgres://postgres:postgres@127.0.0.1:5432/orderline).
import { parseArgs } from "node:util";
import { ChainFileError, type ImportSummary, importChain, readChainFile } from "../chain/import-chain.ts";
import { createDb, redactUrl } from "../db.ts";
import { databaseUrlFromEnv } from "../env.ts";
import { migrateToLatest } from "../migrate.ts";

const USAGE = "usage: import-chain <file.yaml|file.json> [--dry-run]";
let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({ allowPositionals: true, options: { "dry-run": { type: "boolean", default: false } } });
}
try {
  args = parse();
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (args.positionals.length !== 1) {
  console.error(USAGE);
  process.exit(2);
}

/** What the import did, for a person: counts per table, what changed, what was hidden. */
export function describeImport(s: ImportSummary): string[] {
  const changed = Object.entries(s.changed);
  const deleted = Object.entries(s.deleted);
  const hidden = Object.entries(s.hidden).filter(([, n]) => n > 0);
  return [
    `${s.brand.name} (${s.brand.slug})`,
    ...s.locations.map((l) => `  ${l.slug.padEnd(24)} ${l.numbers.join(", ")}`),
    `  rows: ${Object.entries(s.rows).map(([t, n]) => `${t}=${n}`).join(" ")}`,
    changed.length === 0 && deleted.length === 0 && hidden.length === 0 ? "  no changes (the database already matched the file)" : "",
    changed.length > 0 ? `  written: ${changed.map(([t, n]) => `${t}=${n}`).join(" ")}` : "",
    deleted.length > 0 ? `  removed: ${deleted.map(([t, n]) => `${t}=${n}`).join(" ")}` : "",
    hidden.length > 0 ? `  hidden (no longer in the file): ${hidden.map(([t, n]) => `${t}=${n}`).join(" ")}` : "",
  ].filter(Boolean);
}

const path = args.positionals[0]!;
const url = databaseUrlFromEnv();
let handle: ReturnType<typeof createDb> | undefined;
try {
  const file = await readChainFile(path);
  if (args.values["dry-run"]) {
    console.log(`${path}: valid (${file.locations.length} locations, ${file.menu.categories.reduce((n, c) => n + c.items.length, 0)} items)`);
  } else {
    handle = createDb(url, { max: 1, applicationName: "orderline-import-chain" });
    await migrateToLatest(handle.db);
    const summary = await importChain(handle.db, file);
    console.log(`imported ${path} into ${redactUrl(url)}`);
    for (const line of describeImport(summary)) console.log(line);
  }
} catch (err) {
  if (err instanceof ChainFileError) console.error(err.message);
  else console.error(`${err instanceof Error ? err.message : String(err)} (database: ${redactUrl(url)})`);
  process.exitCode = 1;
} finally {
  await handle?.close();
}
