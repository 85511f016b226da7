import type { z } from "zod";
import { ConfigError } from "./config-error.ts";
import { type Env, parseEnv } from "./parse-env.ts";

/** sysexits.h EX_CONFIG: the process was started with bad configuration. */
export const EX_CONFIG = 78;

/**
 * For a service's `env.ts`: parses the environment once; on a `ConfigError` prints it to stderr and exits with
 * 78 (EX_CONFIG) — call it before anything listens or connects. Other errors are rethrown.
 */
export function loadConfigOrExit<S extends z.ZodType<Record<string, unknown>, Record<string, unknown>>>(
  schema: S,
  env: Env = process.env,
): z.output<S> {
  try {
    return parseEnv(schema, env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(EX_CONFIG);
    }
    throw err;
  }
}
