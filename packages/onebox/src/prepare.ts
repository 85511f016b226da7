import { spawnSync } from "node:child_process";
import { connect } from "node:net";
import { join } from "node:path";
import { createDb, DEMO_BRAND, DEMO_DASHBOARD_USERS, ensureDatabase, importChain, migrateToLatest, readChainFile, redactUrl, seedDemoChain } from "@orderline/db";
import type { OneboxEnv } from "./env.ts";
import type { RoutedNumber } from "./urls.ts";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

const reachable = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host: host.replace(/^\[|\]$/g, ""), port, timeout: 1000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("timeout", () => done(false));
    socket.once("error", () => done(false));
  });

type Server = { name: "postgres" | "redis" | "nats"; url: string; defaultPort: number; portVar: string };

/**
 * Postgres, Redis and NATS on this machine that do not answer are started with scripts/infra.sh (Docker when
 * it answers, else Debian packages, natively). Servers elsewhere are left to their operators.
 */
export async function ensureLocalInfra(env: OneboxEnv, root: string, log: (line: string) => void): Promise<void> {
  const servers: Server[] = [
    { name: "postgres", url: env.DATABASE_URL, defaultPort: 5432, portVar: "INFRA_PG_PORT" },
    { name: "redis", url: env.REDIS_URL, defaultPort: 6379, portVar: "INFRA_REDIS_PORT" },
    { name: "nats", url: env.NATS_URL.split(",")[0]!, defaultPort: 4222, portVar: "INFRA_NATS_PORT" },
  ];
  const missing: Server[] = [];
  for (const s of servers) {
    const u = new URL(s.url);
    const port = Number(u.port || s.defaultPort);
    if (LOOPBACK.has(u.hostname) && !(await reachable(u.hostname, port))) missing.push(s);
  }
  if (missing.length === 0) return;
  log(`not answering on this machine: ${missing.map((s) => s.name).join(", ")} — running scripts/infra.sh`);
  const ports = Object.fromEntries(missing.map((s) => [s.portVar, new URL(s.url).port || String(s.defaultPort)]));
  const r = spawnSync("bash", [join(root, "scripts", "infra.sh")], { stdio: "inherit", env: { ...process.env, ...ports } });
  if (r.status !== 0) throw new Error(`scripts/infra.sh failed (exit ${r.status ?? r.signal}); start ${missing.map((s) => s.name).join(", ")} yourself or fix the URLs in .env`);
}

export type LoadChoice = { kind: "none" } | { kind: "demo" } | { kind: "chain"; path: string };

export type PreparedDatabase = {
  numbers: RoutedNumber[];
  /** The demo chain's dashboard users exist (this start or an earlier one loaded the demo chain). */
  demoLogins: boolean;
};

/**
 * Creates the database if it is missing, migrates it, loads the demo chain or a chain file; returns the routed
 * numbers and whether the demo dashboard logins exist.
 */
export async function prepareDatabase(env: OneboxEnv, load: LoadChoice, log: (line: string) => void): Promise<PreparedDatabase> {
  if (await ensureDatabase(env.DATABASE_URL)) log(`created database ${redactUrl(env.DATABASE_URL)}`);
  const handle = createDb(env.DATABASE_URL, { max: 1, applicationName: "orderline-onebox" });
  try {
    const applied = await migrateToLatest(handle.db);
    log(applied.length === 0 ? "migrations: up to date" : `migrations: applied ${applied.map((m) => m.migrationName).join(", ")}`);
    if (load.kind === "demo") {
      await seedDemoChain(handle.db);
      log(`loaded the demo chain (${DEMO_BRAND.name})`);
    } else if (load.kind === "chain") {
      const summary = await importChain(handle.db, await readChainFile(load.path));
      const changed = Object.values(summary.changed).reduce((a, b) => a + b, 0);
      log(`imported ${load.path}: ${summary.brand.name}, ${summary.locations.length} location(s), ${changed === 0 ? "no changes" : `${changed} row(s) written`}`);
    }
    const routed = await handle.db
      .selectFrom("phone_numbers as n")
      .innerJoin("locations as l", "l.id", "n.location_id")
      .select(["n.e164", "l.name"])
      .where("n.purpose", "=", "main")
      .where("l.active", "=", true)
      .orderBy("n.e164")
      .execute();
    const byNumber = new Map(routed.map((r) => [r.e164, r.name]));
    const wanted = env.TWILIO_PHONE_NUMBERS.length > 0 ? env.TWILIO_PHONE_NUMBERS : [...byNumber.keys()];
    const demoUsers = await handle.db
      .selectFrom("dashboard_users")
      .select("id")
      .where("id", "in", Object.values(DEMO_DASHBOARD_USERS).map((u) => u.id))
      .where("active", "=", true)
      .execute();
    return { numbers: wanted.map((e164) => ({ e164, location: byNumber.get(e164) ?? null })), demoLogins: demoUsers.length > 0 };
  } finally {
    await handle.close();
  }
}
