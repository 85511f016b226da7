import { join } from "node:path";
import { pathToFileURL } from "node:url";

const repo = join(import.meta.dirname, "..", "..");

/** What a deployable's environment schema reads: every variable, and those it cannot start without. */
export type ServiceEnv = { reads: Set<string>; required: Set<string> };

type Field = { safeParse(v: unknown): { success: boolean } };
type Schema = { shape: Record<string, Field>; safeParse(v: unknown): unknown };
const isSchema = (v: unknown): v is Schema =>
  typeof v === "object" && v !== null && typeof (v as Schema).safeParse === "function" && typeof (v as Schema).shape === "object";

/**
 * Loads `services/<service>/src/env.ts` and reads its exported zod object schema (the one the service parses
 * at start): a variable is required when its field rejects "unset". Throws unless the file exports exactly one.
 */
export async function serviceEnv(service: string): Promise<ServiceEnv> {
  const file = join(repo, "services", service, "src", "env.ts");
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const schemas = Object.values(mod).filter(isSchema);
  if (schemas.length !== 1) throw new Error(`${file} exports ${schemas.length} zod object schemas; expected exactly one`);
  const shape = schemas[0]!.shape;
  const required = Object.entries(shape).filter(([, field]) => !field.safeParse(undefined).success);
  return { reads: new Set(Object.keys(shape)), required: new Set(required.map(([name]) => name)) };
}
