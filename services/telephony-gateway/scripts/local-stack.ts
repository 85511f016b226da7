import { randomBytes } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@orderline/db/testing";
import { type RealtimeEmulator, startRealtimeEmulator, startTwilioCloud, type TwilioCloud } from "@orderline/testing";
import { freePort, type ServiceProcess, startService, stopService } from "./processes.ts";

export const PUBLIC_BASE_URL = "https://voice.orderline.test";

export interface LocalStack {
  db: TestDatabase;
  cloud: TwilioCloud;
  realtime: RealtimeEmulator;
  gatewayPort: number;
  redisPrefix: string;
  natsPrefix: string;
  services: Record<"menu" | "order" | "gateway", ServiceProcess>;
  close(): Promise<void>;
}

/**
 * The full stack on this machine, every service its own process: a fresh seeded Postgres database, menu-service,
 * order-service and telephony-gateway on the shared Redis and NATS (with their own key and subject prefixes),
 * the Twilio cloud (call simulator + REST emulator) and the Realtime emulator in this process.
 */
export async function startLocalStack(
  opts: { timeScale?: number; gatewayEnv?: Record<string, string>; alwaysOpen?: boolean } = {},
): Promise<LocalStack> {
  const id = randomBytes(4).toString("hex");
  const redisPrefix = `stack-${id}:`;
  const natsPrefix = `stack-${id}.`;
  const accountSid = `AC${randomBytes(16).toString("hex")}`;
  const authToken = randomBytes(16).toString("hex");
  const db = await createTestDatabase({ seed: true });
  const started: ServiceProcess[] = [];
  try {
    // The demo chain keeps real opening hours; a demo or test must not depend on the time of day it runs at.
    if (opts.alwaysOpen ?? true) await openAroundTheClock(db);
    const [gatewayPort, menuOps, orderOps] = await Promise.all([freePort(), freePort(), freePort()]);
    const cloud = await startTwilioCloud({ accountSid, authToken, publicBaseUrl: PUBLIC_BASE_URL, target: `http://127.0.0.1:${gatewayPort}`, timeScale: opts.timeScale ?? 1 });
    const realtime = await startRealtimeEmulator({ pace: opts.timeScale ?? 1 });
    const common = { DATABASE_URL: db.url, NATS_URL: "nats://127.0.0.1:4222", NATS_SUBJECT_PREFIX: natsPrefix, LOG_LEVEL: "warn" };
    const [menu, order] = await Promise.all([
      startService("services/menu-service", { ...common, OPS_PORT: String(menuOps) }, `http://127.0.0.1:${menuOps}/readyz`),
      startService("services/order-service", { ...common, OPS_PORT: String(orderOps) }, `http://127.0.0.1:${orderOps}/readyz`),
    ]);
    started.push(menu, order);
    const gateway = await startService(
      "services/telephony-gateway",
      {
        ...common,
        PORT: String(gatewayPort),
        PUBLIC_BASE_URL,
        TWILIO_ACCOUNT_SID: accountSid,
        TWILIO_AUTH_TOKEN: authToken,
        TWILIO_API_BASE_URL: cloud.restUrl,
        OPENAI_API_KEY: "sk-local-emulator",
        OPENAI_REALTIME_URL: realtime.url,
        REDIS_URL: "redis://127.0.0.1:6379",
        REDIS_KEY_PREFIX: redisPrefix,
        ...opts.gatewayEnv,
      },
      `http://127.0.0.1:${gatewayPort}/readyz`,
    );
    started.push(gateway);
    return {
      db,
      cloud,
      realtime,
      gatewayPort,
      redisPrefix,
      natsPrefix,
      services: { menu, order, gateway },
      async close() {
        await cloud.close().catch(() => {});
        await Promise.all(started.map((s) => stopService(s)));
        await realtime.close().catch(() => {});
        await db.close();
      },
    };
  } catch (err) {
    await Promise.all(started.map((s) => stopService(s)));
    await db.close();
    throw err;
  }
}

/** Every location of the (throwaway) database open all day, every day, with no holiday exceptions. */
async function openAroundTheClock(db: TestDatabase): Promise<void> {
  const locations = await db.db.selectFrom("locations").select("id").execute();
  await db.db.deleteFrom("location_hour_exceptions").execute();
  await db.db.deleteFrom("location_hours").execute();
  const rows = locations.flatMap((l) =>
    ([1, 2, 3, 4, 5, 6, 7] as const).map((weekday) => ({ location_id: l.id, weekday, is_closed: false, opens_at: "00:00", closes_at: "23:59:59" })),
  );
  await db.db.insertInto("location_hours").values(rows).execute();
}
