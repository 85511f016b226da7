import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "@orderline/testing";

export const GATEWAY_DIR = join(REPO_ROOT, "services/telephony-gateway");

/**
 * The gateway's start command exactly as `pnpm start` (and the image) runs it — the package.json start script,
 * with its V8 and compile-cache settings — with this Node binary and `extraNodeArgs` (e.g. "--cpu-prof") added.
 * Run it with `sh -c "exec …"` in GATEWAY_DIR: the pid is the gateway's own.
 */
export function gatewayStartCommand(extraNodeArgs = ""): string {
  const start: string = JSON.parse(readFileSync(join(GATEWAY_DIR, "package.json"), "utf8")).scripts.start;
  if (!/(^|\s)node\s/.test(start)) throw new Error(`the gateway's start script does not run node: ${start}`);
  return start.replace(/(^|\s)node\s/, `$1${process.execPath} ${extraNodeArgs} `.replace(/\s+$/, " "));
}

/** The environment of a benched gateway: its own port, prefix and database, the shared Redis and NATS, no limits in the way. */
export function benchGatewayEnv(o: {
  port: number;
  publicBaseUrl: string;
  accountSid: string;
  authToken: string;
  realtimeUrl: string;
  databaseUrl: string;
  prefix: string;
}): Record<string, string> {
  return {
    PORT: String(o.port),
    PUBLIC_BASE_URL: o.publicBaseUrl,
    TWILIO_ACCOUNT_SID: o.accountSid,
    TWILIO_AUTH_TOKEN: o.authToken,
    OPENAI_API_KEY: "sk-bench",
    OPENAI_REALTIME_URL: o.realtimeUrl,
    DATABASE_URL: o.databaseUrl,
    REDIS_URL: "redis://127.0.0.1:6379",
    REDIS_KEY_PREFIX: `${o.prefix}:`,
    NATS_URL: "nats://127.0.0.1:4222",
    NATS_SUBJECT_PREFIX: `${o.prefix}.`,
    LOG_LEVEL: "warn",
    CALLER_MAX_CALLS_PER_HOUR: "10000",
    SWEEP_INTERVAL_MS: "0",
  };
}
