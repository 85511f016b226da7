import { randomBytes } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@orderline/db/testing";
import { freePort, type LocalStack, type StackService, startLocalStack, startTwilioCloud, type TwilioCloud } from "@orderline/testing";
import { type Truthy, waitFor } from "@orderline/testing/wait-for";
import { Redis } from "ioredis";

/** Test prices (USD per 1M tokens / per minute), passed as configuration like production. */
export const TEST_MODEL_PRICES = {
  "gpt-realtime": { audioInput: "32", cachedInput: "0.40", audioOutput: "64", textInput: "4", textOutput: "16" },
  "gpt-5-mini": { textInput: "0.25", cachedInput: "0.025", textOutput: "2" },
};
export const API_TOKEN = "test-api-token-0123456789";

export interface WorkerStack {
  db: TestDatabase;
  cloud: TwilioCloud;
  kit: LocalStack;
  worker: StackService;
  /** http://127.0.0.1:PORT — also the worker's PUBLIC_BASE_URL (signed as written). */
  baseUrl: string;
  redis: Redis;
  close(): Promise<void>;
}

/**
 * The worker as its own process (and, when asked, the order service) on a fresh seeded database, the shared
 * Redis/NATS under the stack's prefixes, and the Twilio cloud's REST emulator behind the real `twilio` client.
 */
export async function startWorkerStack(opts: { env?: Record<string, string>; orderService?: boolean; twilioApiBaseUrl?: (cloud: TwilioCloud) => string } = {}): Promise<WorkerStack> {
  const db = await createTestDatabase({ seed: true });
  const cloud = await startTwilioCloud({ accountSid: `AC${randomBytes(16).toString("hex")}`, timeScale: 0 });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const kit = await startLocalStack({
    database: false,
    env: { DATABASE_URL: db.url, LOG_LEVEL: "debug" },
    services: [
      ...(opts.orderService ? [{ name: "order-service" }] : []),
      {
        name: "worker",
        env: {
          PORT: String(port),
          PUBLIC_BASE_URL: baseUrl,
          TWILIO_ACCOUNT_SID: cloud.accountSid,
          TWILIO_AUTH_TOKEN: cloud.authToken,
          TWILIO_API_BASE_URL: opts.twilioApiBaseUrl ? opts.twilioApiBaseUrl(cloud) : cloud.restUrl,
          WORKER_API_TOKEN: API_TOKEN,
          MODEL_PRICES: JSON.stringify(TEST_MODEL_PRICES),
          TWILIO_INBOUND_PRICE_PER_MIN: "0.0085",
          TWILIO_OUTBOUND_PRICE_PER_MIN: "0.013",
          // Tests run at any hour: no quiet hours unless a test asks for them.
          QUIET_HOURS: "00:00-00:00",
          ORDER_READY_RETRY_DELAY_MS: "0",
          ORDER_READY_OUTCOME_TIMEOUT_MS: "20000",
          JOB_LOCK_MS: "1500",
          JOB_STALLED_INTERVAL_MS: "1000",
          ...opts.env,
        },
      },
    ],
  });
  const redis = new Redis(kit.redisUrl);
  return {
    db,
    cloud,
    kit,
    worker: kit.services["worker"]!,
    baseUrl,
    redis,
    async close() {
      await cloud.close().catch(() => {});
      await kit.stop().catch(() => {});
      await redis.quit().catch(() => {});
      await db.close();
    },
  };
}

/** Polls until `read` yields a truthy value (the testing kit's `waitFor`), or fails naming what never happened. */
export function eventually<T>(what: string, read: () => Promise<T>, timeoutMs = 20_000): Promise<Truthy<T>> {
  return waitFor(read, { message: what, timeoutMs, intervalMs: 100 });
}
