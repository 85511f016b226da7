import { randomBytes } from "node:crypto";
import { type CallFinalizeJob, QUEUES, redisKeys } from "@orderline/contracts";
import { createTestDatabase, type TestDatabase } from "@orderline/db/testing";
import { createLogger } from "@orderline/telemetry";
import {
  freePort,
  type RealtimeEmulator,
  type RealtimeEmulatorOptions,
  startRealtimeEmulator,
  startTwilioCloud,
  type TwilioCloud,
  waitFor,
} from "@orderline/testing";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { type GatewayConfig, parseGatewayEnv } from "../src/env.ts";
import { type Gateway, startGateway } from "../src/service.ts";


export { freePort };

export const PUBLIC_BASE_URL = "https://voice.orderline.test";

export interface StackOptions {
  env?: Record<string, string>;
  realtime?: RealtimeEmulatorOptions;
  /** Simulator wall ms per media ms (default 0.5). */
  timeScale?: number;
  /** Reuse a database (several gateways on one stack). */
  testDb?: TestDatabase;
}

/**
 * One isolated test stack: a seeded database of its own, its own Redis key prefix and NATS subject prefix, the
 * Twilio cloud (simulator + REST emulator) and the Realtime emulator. The gateway itself is started by
 * `startInProcess()` (or as a process by the test, with `env()`).
 */
export class Stack {
  readonly id = randomBytes(4).toString("hex");
  readonly redisPrefix = `gwtest-${this.id}:`;
  readonly natsPrefix = `gwtest-${this.id}.`;
  readonly accountSid = `AC${randomBytes(16).toString("hex")}`;
  readonly authToken = randomBytes(16).toString("hex");
  testDb!: TestDatabase;
  cloud!: TwilioCloud;
  realtime!: RealtimeEmulator;
  port = 0;
  redis!: Redis;
  gateway: Gateway | undefined;
  private ownsDb = true;
  private readonly opts: StackOptions;

  constructor(opts: StackOptions = {}) {
    this.opts = opts;
  }

  async start(): Promise<this> {
    if (this.opts.testDb) {
      this.testDb = this.opts.testDb;
      this.ownsDb = false;
    } else this.testDb = await createTestDatabase({ seed: true });
    this.port = await freePort();
    this.cloud = await startTwilioCloud({
      accountSid: this.accountSid,
      authToken: this.authToken,
      publicBaseUrl: PUBLIC_BASE_URL,
      target: `http://127.0.0.1:${this.port}`,
      timeScale: this.opts.timeScale ?? 0.5,
    });
    this.realtime = await startRealtimeEmulator({ pace: this.opts.timeScale ?? 0.5, ...this.opts.realtime });
    this.redis = new Redis("redis://127.0.0.1:6379");
    return this;
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      PORT: String(this.port),
      PUBLIC_BASE_URL,
      TWILIO_ACCOUNT_SID: this.accountSid,
      TWILIO_AUTH_TOKEN: this.authToken,
      TWILIO_API_BASE_URL: this.cloud.restUrl,
      OPENAI_API_KEY: "sk-test",
      OPENAI_REALTIME_URL: this.realtime.url,
      DATABASE_URL: this.testDb.url,
      REDIS_URL: "redis://127.0.0.1:6379",
      REDIS_KEY_PREFIX: this.redisPrefix,
      NATS_URL: "nats://127.0.0.1:4222",
      NATS_SUBJECT_PREFIX: this.natsPrefix,
      LOG_LEVEL: "warn",
      SHUTDOWN_GRACE_MS: "2000",
      ...this.opts.env,
      ...extra,
    };
  }

  config(extra: Record<string, string> = {}): GatewayConfig {
    return parseGatewayEnv(this.env(extra));
  }

  async startInProcess(extra: Record<string, string> = {}): Promise<Gateway> {
    this.gateway = await startGateway(this.config(extra), { logger: createLogger({ service: "telephony-gateway", level: "warn" }) });
    return this.gateway;
  }

  /** The number of the demo New York location, as Twilio would post it. */
  placeCall(opts: Parameters<TwilioCloud["placeCall"]>[0] extends infer O ? Omit<O & object, "url"> & { url?: string } : never) {
    return this.cloud.placeCall({ url: `${PUBLIC_BASE_URL}/voice/incoming`, statusCallback: `${PUBLIC_BASE_URL}/voice/status`, ...opts } as never);
  }

  /** The finalization job of a call, once enqueued (polls BullMQ; bounded). */
  async finalizeJob(callSid: string, timeoutMs = 10_000): Promise<CallFinalizeJob> {
    const queue = new Queue(QUEUES.callFinalize, { connection: this.redis, prefix: redisKeys(this.redisPrefix).bullPrefix() });
    try {
      const job = await waitFor(() => queue.getJob(callSid), { timeoutMs, message: `the finalization job of ${callSid}` });
      return job.data as CallFinalizeJob;
    } finally {
      await queue.close();
    }
  }

  async close(): Promise<void> {
    await this.gateway?.close().catch(() => {});
    await this.cloud?.close().catch(() => {});
    await this.realtime?.close().catch(() => {});
    if (this.redis) {
      const keys = await this.redis.keys(`${this.redisPrefix}*`);
      if (keys.length > 0) await this.redis.del(...keys);
      await this.redis.quit();
    }
    if (this.ownsDb) await this.testDb?.close();
  }
}
