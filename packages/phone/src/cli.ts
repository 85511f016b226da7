#!/usr/bin/env node
/**
 * `pnpm --filter @orderline/phone start -- --to +12125550100` (or `node src/cli.ts`): a phone in the terminal
 * against a running telephony gateway. See this package's README for the options.
 */
import { parseArgs } from "node:util";
import { createDb, DEMO_LOCATIONS } from "@orderline/db";
import { z } from "zod";
import { runPhone } from "./run-phone.ts";

const USAGE = `usage: orderline-phone [--gateway URL] [--public-base-url URL] [--account-sid AC…] [--auth-token TOKEN]
                      [--to +1… | --location newYork(default)|chicago|denver] [--from +1…|anonymous] [--database-url postgres://…]
Each option falls back to an environment variable: PHONE_GATEWAY_URL, PUBLIC_BASE_URL, TWILIO_ACCOUNT_SID,
TWILIO_AUTH_TOKEN, PHONE_TO, PHONE_FROM, DATABASE_URL. With standard input not a terminal, its lines are the
caller's turns (none: the standard order).`;

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, "must be an E.164 number like +12125550100");
const Config = z.object({
  gateway: z.url({ message: "must be the gateway's http(s) URL, e.g. http://127.0.0.1:8080" }).transform((u) => u.replace(/\/+$/, "")),
  publicBaseUrl: z.url({ message: "must be the gateway's PUBLIC_BASE_URL (https://…)" }).transform((u) => u.replace(/\/+$/, "")),
  accountSid: z.string().regex(/^AC[0-9a-f]{32}$/, "must be AC followed by 32 hex digits"),
  authToken: z.string().min(1, "is required (the gateway's TWILIO_AUTH_TOKEN)"),
  to: e164,
  from: z.union([e164, z.literal("anonymous")]),
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL"),
});

function config(): z.infer<typeof Config> {
  const { values } = parseArgs({
    options: {
      gateway: { type: "string" },
      "public-base-url": { type: "string" },
      "account-sid": { type: "string" },
      "auth-token": { type: "string" },
      to: { type: "string" },
      location: { type: "string" },
      from: { type: "string" },
      "database-url": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const env = process.env;
  const location = values.location ? DEMO_LOCATIONS[values.location as keyof typeof DEMO_LOCATIONS] : undefined;
  if (values.location && !location) fail([`--location: "${values.location}" is not one of ${Object.keys(DEMO_LOCATIONS).join(", ")}`]);
  const parsed = Config.safeParse({
    gateway: values.gateway ?? env.PHONE_GATEWAY_URL ?? "http://127.0.0.1:8080",
    publicBaseUrl: values["public-base-url"] ?? env.PUBLIC_BASE_URL,
    accountSid: values["account-sid"] ?? env.TWILIO_ACCOUNT_SID,
    authToken: values["auth-token"] ?? env.TWILIO_AUTH_TOKEN,
    to: values.to ?? location?.phone ?? env.PHONE_TO ?? DEMO_LOCATIONS.newYork.phone,
    from: values.from ?? env.PHONE_FROM ?? "+14155550123",
    databaseUrl: values["database-url"] ?? env.DATABASE_URL,
  });
  if (!parsed.success) fail(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  return parsed.data;
}

function fail(problems: string[]): never {
  process.stderr.write(`orderline-phone: bad configuration\n${problems.map((p) => `  ${p}`).join("\n")}\n\n${USAGE}\n`);
  process.exit(2);
}

const cfg = config();
const db = createDb(cfg.databaseUrl, { max: 2 });
try {
  const run = await runPhone({ ...cfg, gatewayUrl: cfg.gateway, db: db.db });
  process.exitCode = run.interactive || run.orders.length > 0 ? 0 : 1;
} catch (err) {
  process.stderr.write(`orderline-phone: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
} finally {
  await db.close();
}
