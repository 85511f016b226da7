import type { Kysely } from "kysely";
import { type MigrationProvider, type MigrationResult, type MigrationResultSet, Migrator, NO_MIGRATIONS } from "kysely/migration";
import { migrations } from "./migrations/index.ts";

/** Provider over the explicit, imported list in migrations/index.ts (no directory scanning at runtime). */
export const migrationProvider: MigrationProvider = { getMigrations: async () => ({ ...migrations }) };

/** Names of all migrations this build knows, oldest first. */
export const migrationNames = (): string[] => Object.keys(migrations).sort();

/** Thrown when a migration step fails; `results` tells which ran, which failed and which were skipped. */
export class MigrationError extends Error {
  override readonly name = "MigrationError";
  readonly results: readonly MigrationResult[];
  constructor(action: string, cause: unknown, results: readonly MigrationResult[]) {
    const failed = results.find((r) => r.status === "Error")?.migrationName;
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`${action} failed${failed ? ` in ${failed}` : ""}: ${reason}`, { cause });
    this.results = results;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: the Migrator works on any schema
export const createMigrator = (db: Kysely<any>): Migrator => new Migrator({ db, provider: migrationProvider });

const unwrap = (action: string, set: MigrationResultSet): MigrationResult[] => {
  const results = [...(set.results ?? [])];
  if (set.error !== undefined) throw new MigrationError(action, set.error, results);
  return results;
};

/** Applies every pending migration (kysely serializes concurrent migrators with a lock). */
// biome-ignore lint/suspicious/noExplicitAny: the Migrator works on any schema
export const migrateToLatest = async (db: Kysely<any>): Promise<MigrationResult[]> =>
  unwrap("migrate to latest", await createMigrator(db).migrateToLatest());

/** Applies the next pending migration only. */
// biome-ignore lint/suspicious/noExplicitAny: the Migrator works on any schema
export const migrateUp = async (db: Kysely<any>): Promise<MigrationResult[]> =>
  unwrap("migrate up", await createMigrator(db).migrateUp());

/** Reverts the last applied migration only. */
// biome-ignore lint/suspicious/noExplicitAny: the Migrator works on any schema
export const migrateDownOne = async (db: Kysely<any>): Promise<MigrationResult[]> =>
  unwrap("migrate down", await createMigrator(db).migrateDown());

/** Reverts every applied migration (all the way down: no OrderLine tables are left). */
// biome-ignore lint/suspicious/noExplicitAny: the Migrator works on any schema
export const migrateDown = async (db: Kysely<any>): Promise<MigrationResult[]> =>
  unwrap("migrate down (all)", await createMigrator(db).migrateTo(NO_MIGRATIONS));
