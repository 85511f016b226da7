import { z } from "zod";
import { ConfigError, type ConfigIssue } from "./config-error.ts";

export type Env = Record<string, string | undefined>;

/**
 * Parses the environment with a zod object schema (usually built from the field builders in this package).
 * Empty or whitespace-only variables count as unset, so defaults apply. Returns the typed config, or throws a
 * `ConfigError` listing every problem, one line each — never the offending values, which may be secrets.
 */
export function parseEnv<S extends z.ZodType<Record<string, unknown>, Record<string, unknown>>>(
  schema: S,
  env: Env = process.env,
): z.output<S> {
  const input: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) input[key] = value === undefined || value.trim() === "" ? undefined : value;
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(toIssues(schema, input, result.error));
}

function toIssues(schema: z.ZodType, input: Env, error: z.ZodError): ConfigIssue[] {
  const shape = schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : {};
  return error.issues.map((issue) => {
    const key = issue.path.length > 0 ? String(issue.path[0]) : undefined;
    if (key === undefined) return { variable: "(config)", problem: issue.message, expected: "" };
    const expected = shape[key]?.description ?? "";
    // Plain zod schemas (not our builders) report a missing variable as an invalid_type; say it plainly.
    const problem = input[key] === undefined && issue.code === "invalid_type" ? "is not set" : issue.message;
    return { variable: key, problem, expected };
  });
}
