import { randomBytes } from "node:crypto";
import { createTestDatabase, openAroundTheClock, type TestDatabase } from "@orderline/db/testing";
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
import { type CallRecord, readCallRecord, type StoredCall, storedCall } from "./call-record.ts";

export const PUBLIC_BASE_URL = "https://voice.orderline.test";

export type StackServiceName = "menu" | "order" | "escalation" | "gateway" | "worker";

export interface LocalStack {
  db: TestDatabase;
  /** http://127.0.0.1:PORT of the dashboard when `dashboard: true` was asked for (demo logins: docs/DASHBOARD-API.md). */
  dashboardUrl: string | undefined;
  cloud: TwilioCloud;
  realtime: RealtimeEmulator;
  /** The OpenAI Responses API emulator the gateway's text engine talks to. */
  responses: ResponsesEmulator;
  gatewayPort: number;
  redisUrl: string;
  redisPrefix: string;
  natsPrefix: string;
  services: Record<StackServiceName, StackService>;
  /** Stops and starts one service again (same ports and environment), e.g. after a test stopped it. */
  restart(name: StackServiceName): Promise<void>;
  /** The call's record as the worker stored it (voice_calls row + events; bounded wait). */
  callRecord(callSid: string, timeoutMs?: number): Promise<CallRecord>;
  /** The same, in the field names of the gateway's finalize job (the worker consumes that job). */
  storedCall(callSid: string, timeoutMs?: number): Promise<StoredCall>;
  /** Stops everything; the Redis keys under the stack's prefix are deleted. */
  close(): Promise<void>;
}

/**
 * The full stack on this machine, every service its own process (the testing kit's `startLocalStack`):
 * menu-service, order-service, escalation-service, telephony-gateway and worker on a fresh seeded database, the shared Redis and NATS
 * under their own key and subject prefixes; the Twilio cloud (call simulator + REST emulator), the Realtime
 * emulator and the Responses API emulator in this process.
 */
export async function startLocalStack(
  opts: {
    timeScale?: number;
    /** Extra environment for every service (e.g. OTEL_EXPORTER_OTLP_ENDPOINT). */
    env?: Record<string, string>;
    gatewayEnv?: Record<string, string>;
    escalationEnv?: Record<string, string>;
    alwaysOpen?: boolean;
    /** Also run the dashboard (its own process; the API and the web page on `dashboardUrl`). Default false. */
    dashboard?: boolean;
    dashboardEnv?: Record<string, string>;
    /** Extra worker settings (e.g. QUIET_HOURS "00:00-00:00" for an order-ready call at any hour). */
    workerEnv?: Record<string, string>;
  } = {},
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
    if (opts.alwaysOpen ?? true) await openAroundTheClock(db.db);
    const gatewayPort = await freePort();
    cloud = await startTwilioCloud({ accountSid, authToken, publicBaseUrl: PUBLIC_BASE_URL, target: `http://127.0.0.1:${gatewayPort}`, timeScale: opts.timeScale ?? 1 });
    realtime = await startRealtimeEmulator({ pace: opts.timeScale ?? 1 });
    responses = await startResponsesEmulator({ apiKey: "sk-local-emulator" });
    kit = await startKitStack({
      database: false,
      env: { DATABASE_URL: db.url, LOG_LEVEL: "warn", ...opts.env },
      services: [
        { name: "menu-service" },
        { name: "order-service" },
        {
          // Transfer decisions, dial outcomes, turn assessments; its staff SMS go to the Twilio REST emulator.
          name: "escalation-service",
          env: { TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken, TWILIO_API_BASE_URL: cloud.restUrl, ...opts.escalationEnv },
        },
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
        // The worker stores each call's record (and sends receipts) from the gateway's finalize jobs.
        { name: "worker", env: { ...workerEnv(accountSid, authToken, cloud.restUrl, await freePort()), ...opts.workerEnv } },
        // Managers' and staff's page: KPIs over the calls the worker stored, the live order board (mark ready → the worker's call).
        ...(opts.dashboard ? [{ name: "dashboard", http: true, env: { COOKIE_SECURE: "never", ...opts.dashboardEnv } }] : []),
      ],
    });
    const k = kit;
    const c = cloud;
    const r = realtime;
    const t = responses;
    const services: Record<StackServiceName, StackService> = {
      menu: k.services["menu-service"]!,
      order: k.services["order-service"]!,
      escalation: k.services["escalation-service"]!,
      gateway: k.services["telephony-gateway"]!,
      worker: k.services["worker"]!,
    };
    const processName: Record<StackServiceName, string> = { menu: "menu-service", order: "order-service", escalation: "escalation-service", gateway: "telephony-gateway", worker: "worker" };
    return {
      db,
      dashboardUrl: k.services["dashboard"]?.url,
      cloud: c,
      realtime: r,
      responses: t,
      gatewayPort,
      redisUrl: k.redisUrl,
      redisPrefix: k.redisKeyPrefix,
      natsPrefix: k.natsSubjectPrefix,
      services,
      async restart(name) {
        services[name] = await k.restartService(processName[name]);
      },
      callRecord: (callSid, timeoutMs) => readCallRecord(db.db, callSid, timeoutMs),
      storedCall: (callSid, timeoutMs) => storedCall(db.db, callSid, timeoutMs),
      async close() {
        await c.close().catch(() => {});
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

/** The worker's configuration in the local stack: the same Twilio account, example prices (USD). */
function workerEnv(accountSid: string, authToken: string, twilioApi: string, port: number): Record<string, string> {
  return {
    PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    TWILIO_ACCOUNT_SID: accountSid,
    TWILIO_AUTH_TOKEN: authToken,
    TWILIO_API_BASE_URL: twilioApi,
    WORKER_API_TOKEN: randomBytes(16).toString("hex"),
    MODEL_PRICES: JSON.stringify({
      "gpt-realtime": { audioInput: "32", cachedInput: "0.40", audioOutput: "64", textInput: "4", textOutput: "16" },
      "gpt-5-mini": { textInput: "0.25", cachedInput: "0.025", textOutput: "2" },
    }),
    TWILIO_INBOUND_PRICE_PER_MIN: "0.0085",
    TWILIO_OUTBOUND_PRICE_PER_MIN: "0.013",
    // A confirmation call answered by a person is handed to the gateway's conversation.
    CONVERSATION_BASE_URL: PUBLIC_BASE_URL,
    // Confirmation calls any time of day in tests and the demo.
    QUIET_HOURS: "00:00-00:00",
  };
}
