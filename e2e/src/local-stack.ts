import { randomBytes } from "node:crypto";
import type { CallFinalizeJob } from "@orderline/contracts";
import { createTestDatabase, type TestDatabase } from "@orderline/db/testing";
import {
  freePort,
  type LocalStack as KitStack,
  type RealtimeEmulator,
  type ResponsesEmulator,
  type StackService,
  startLocalStack as startKitStack,
  startRealtimeEmulator,
  startResponsesEmulator,
  startTwilioCloud,
  type TwilioCloud,
} from "@orderline/testing";
import { Redis } from "ioredis";
import { finalizeJob } from "./finalize-job.ts";

export const PUBLIC_BASE_URL = "https://voice.orderline.test";

export interface LocalStack {
  db: TestDatabase;
  cloud: TwilioCloud;
  realtime: RealtimeEmulator;
  /** The OpenAI Responses API emulator the gateway's text engine talks to. */
  responses: ResponsesEmulator;
  gatewayPort: number;
  redisPrefix: string;
  natsPrefix: string;
  services: Record<"menu" | "order" | "gateway", StackService>;
  /** The finalization job the gateway enqueued for a call (bounded wait). */
  finalizeJob(callSid: string, timeoutMs?: number): Promise<CallFinalizeJob>;
  /** Stops everything; the Redis keys under the stack's prefix are deleted. */
  close(): Promise<void>;
}

/**
 * The full stack on this machine, every service its own process (the testing kit's `startLocalStack`):
 * menu-service, order-service and telephony-gateway on a fresh seeded database, the shared Redis and NATS
 * under their own key and subject prefixes; the Twilio cloud (call simulator + REST emulator), the Realtime
 * emulator and the Responses API emulator in this process.
 */
export async function startLocalStack(
  opts: { timeScale?: number; gatewayEnv?: Record<string, string>; alwaysOpen?: boolean } = {},
): Promise<LocalStack> {
  const accountSid = `AC${randomBytes(16).toString("hex")}`;
  const authToken = randomBytes(16).toString("hex");
  const db = await createTestDatabase({ seed: true });
  let kit: KitStack | undefined;
  let cloud: TwilioCloud | undefined;
  let realtime: RealtimeEmulator | undefined;
  let responses: ResponsesEmulator | undefined;
  try {
    // The demo chain keeps real opening hours; a demo or test must not depend on the time of day it runs at.
    if (opts.alwaysOpen ?? true) await openAroundTheClock(db);
    const gatewayPort = await freePort();
    cloud = await startTwilioCloud({ accountSid, authToken, publicBaseUrl: PUBLIC_BASE_URL, target: `http://127.0.0.1:${gatewayPort}`, timeScale: opts.timeScale ?? 1 });
    realtime = await startRealtimeEmulator({ pace: opts.timeScale ?? 1 });
    responses = await startResponsesEmulator({ apiKey: "sk-local-emulator" });
    kit = await startKitStack({
      database: false,
      env: { DATABASE_URL: db.url, LOG_LEVEL: "warn" },
      services: [
        { name: "menu-service" },
        { name: "order-service" },
        {
          name: "telephony-gateway",
          env: {
            PORT: String(gatewayPort),
            PUBLIC_BASE_URL,
            TWILIO_ACCOUNT_SID: accountSid,
            TWILIO_AUTH_TOKEN: authToken,
            TWILIO_API_BASE_URL: cloud.restUrl,
            OPENAI_API_KEY: "sk-local-emulator",
            OPENAI_REALTIME_URL: realtime.url,
            OPENAI_BASE_URL: `${responses.url}/v1`,
            ...opts.gatewayEnv,
          },
        },
      ],
    });
    const k = kit;
    const redis = new Redis(k.redisUrl);
    const c = cloud;
    const r = realtime;
    const t = responses;
    return {
      db,
      cloud: c,
      realtime: r,
      responses: t,
      gatewayPort,
      redisPrefix: k.redisKeyPrefix,
      natsPrefix: k.natsSubjectPrefix,
      services: { menu: k.services["menu-service"]!, order: k.services["order-service"]!, gateway: k.services["telephony-gateway"]! },
      finalizeJob: (callSid, timeoutMs) => finalizeJob(redis, k.redisKeyPrefix, callSid, timeoutMs),
      async close() {
        await c.close().catch(() => {});
        await redis.quit().catch(() => redis.disconnect());
        await k.stop().catch(() => {});
        await r.close().catch(() => {});
        await t.close().catch(() => {});
        await db.close();
      },
    };
  } catch (err) {
    await cloud?.close().catch(() => {});
    await kit?.stop().catch(() => {});
    await realtime?.close().catch(() => {});
    await responses?.close().catch(() => {});
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
