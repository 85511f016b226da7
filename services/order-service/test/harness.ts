import { randomUUID } from "node:crypto";
import { EVENT_SUBJECTS, type RequestEnvelopeInput, type ToolArgsInput, type ToolName, type ToolReply, type ToolResult, toolSubject } from "@orderline/contracts";
import { DEMO_LOCATIONS } from "@orderline/db";
import { createTestDatabase, type TestDatabase } from "@orderline/db/testing";
import { connectNats, drainNats, type NatsConnection, requestTool } from "@orderline/nats";
import { createLogger, createMetrics, type Metrics } from "@orderline/telemetry";
import { type OrderService, type StartOrderServiceOptions, startOrderService } from "../src/service.ts";

export const NATS_URL = process.env["NATS_URL"] ?? "nats://127.0.0.1:4222";
export const NY = DEMO_LOCATIONS.newYork;

/** Wednesday 2026-11-18 18:30 in New York: the seeded locations are open. */
export const OPEN_NOW = new Date("2026-11-18T23:30:00Z");
/** Wednesday 2026-11-18 08:00 in New York: before the 11:00 opening. */
export const CLOSED_NOW = new Date("2026-11-18T13:00:00Z");

export interface Harness {
  db: TestDatabase["db"];
  nc: NatsConnection;
  prefix: string;
  metrics: Metrics;
  /** Mutable clock the service reads. */
  now: { value: Date };
  service: OrderService;
  envelope(overrides?: Partial<RequestEnvelopeInput>): RequestEnvelopeInput;
  call<N extends ToolName>(tool: N, args: ToolArgsInput<N> | Record<string, unknown>, envelope: RequestEnvelopeInput): Promise<ToolReply<ToolResult<N>>>;
  /** Like call, but fails the test unless the reply is ok. */
  ok<N extends ToolName>(tool: N, args: ToolArgsInput<N> | Record<string, unknown>, envelope: RequestEnvelopeInput): Promise<ToolResult<N>>;
  /** Announces a catalog change of a location on NATS, as the menu service does; the service drops its snapshot. */
  menuChanged(locationId?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(opts: Partial<StartOrderServiceOptions> = {}): Promise<Harness> {
  const testDb = await createTestDatabase({ seed: true });
  const nc = await connectNats({ url: NATS_URL, name: "order-service-test" });
  const prefix = `test-${randomUUID().slice(0, 8)}.`;
  const now = { value: OPEN_NOW };
  const metrics = createMetrics({ service: "order-service-test", defaultMetrics: false });
  const service = startOrderService({
    metrics,
    db: testDb.db,
    nc,
    subjectPrefix: prefix,
    logger: createLogger({ service: "order-service-test", level: "silent" }),
    clock: () => now.value,
    ...opts,
  });
  const call = async <N extends ToolName>(tool: N, args: unknown, envelope: RequestEnvelopeInput) =>
    (await requestTool(nc, toolSubject(tool, prefix), { envelope, args }, { timeoutMs: 10_000 })) as ToolReply<ToolResult<N>>;
  return {
    db: testDb.db,
    nc,
    prefix,
    metrics,
    now,
    service,
    envelope: (overrides = {}) => ({
      callSid: `CA${randomUUID().replaceAll("-", "")}`,
      locationId: NY.id,
      orderSessionId: randomUUID(),
      ...overrides,
    }),
    call,
    async ok(tool, args, envelope) {
      const reply = await call(tool, args, envelope);
      if (!reply.ok) throw new Error(`${tool} failed: ${reply.error.code}: ${reply.error.message}`);
      return reply.result;
    },
    async menuChanged(locationId = NY.id) {
      nc.publish(EVENT_SUBJECTS.catalogChanged(locationId, prefix), "{}");
      // The service subscribes on this same connection: the event is handled before the flush returns.
      await nc.flush();
    },
    async close() {
      await service.stop();
      await drainNats(nc);
      await testDb.close();
    },
  };
}

/** The error of a reply that must have failed. */
export function errorOf(reply: ToolReply<unknown>): { code: string; message: string; details?: Record<string, unknown> } {
  if (reply.ok) throw new Error(`expected an error, got ${JSON.stringify(reply.result).slice(0, 300)}`);
  return reply.error;
}
