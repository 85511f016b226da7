import { randomUUID } from "node:crypto";
import {
  type AssessTurnArgsInput,
  type AssessTurnResult,
  type DialOutcomeArgsInput,
  type RequestEnvelopeInput,
  type ToolArgsInput,
  type ToolName,
  type ToolReply,
  type ToolResult,
  type TransferDecision,
  toolSubject,
} from "@orderline/contracts";
import { DEMO_LOCATIONS, type VoiceCallEvent } from "@orderline/db";
import { createTestDatabase, type TestDatabase } from "@orderline/db/testing";
import { escalationClient } from "@orderline/handoff";
import { connectNats, drainNats, type NatsConnection, requestTool } from "@orderline/nats";
import { type OrderService, startOrderService } from "@orderline/order-service/src/service.ts";
import { createLogger } from "@orderline/telemetry";
import { startTwilioCloud, type TwilioCloud, twilioClientFor } from "@orderline/testing";
import type { EscalationConfig } from "../src/context.ts";
import { type EscalationService, startEscalationService } from "../src/service.ts";
import { twilioTexter } from "../src/staff-sms.ts";

export const NATS_URL = process.env["NATS_URL"] ?? "nats://127.0.0.1:4222";
export const NY = DEMO_LOCATIONS.newYork;
export const DENVER = DEMO_LOCATIONS.denver;

/** Wednesday 2026-11-18 18:30 in New York (16:30 in Denver): every seeded location is open. */
export const NY_EVENING = new Date("2026-11-18T23:30:00Z");
/** Wednesday 2026-11-18 18:00 in Denver: both Denver lines (manager 16–21, counter 11–22) answer. */
export const DENVER_EVENING = new Date("2026-11-19T01:00:00Z");
/** Wednesday 2026-11-18 08:00 in New York: before the 11:00 opening. */
export const NY_MORNING = new Date("2026-11-18T13:00:00Z");

export interface Harness {
  db: TestDatabase["db"];
  nc: NatsConnection;
  prefix: string;
  cloud: TwilioCloud;
  now: { value: Date };
  service: EscalationService;
  /** A live inbound call: its `voice_calls` row and the envelope the gateway would send. */
  startCall(opts?: { location?: { id: string; phone: string }; callerPhone?: string | null; ended?: boolean }): Promise<RequestEnvelopeInput>;
  /** A tool of the real order service (in this stack), e.g. to build the caller's cart. */
  order<N extends ToolName>(tool: N, args: ToolArgsInput<N>, envelope: RequestEnvelopeInput): Promise<ToolResult<N>>;
  transfer(envelope: RequestEnvelopeInput, args: Record<string, unknown>): Promise<ToolReply<ToolResult<"transfer_to_human">>>;
  /** transfer_to_human that must succeed: its decision. */
  decide(envelope: RequestEnvelopeInput, args: Record<string, unknown>): Promise<TransferDecision>;
  dialOutcome(envelope: RequestEnvelopeInput, args: DialOutcomeArgsInput): Promise<ToolReply<TransferDecision>>;
  assess(envelope: RequestEnvelopeInput, args: AssessTurnArgsInput): Promise<AssessTurnResult>;
  /** The call's events, oldest first. */
  events(callSid: string): Promise<Pick<VoiceCallEvent, "event_type" | "event_data">[]>;
  close(): Promise<void>;
}

export async function startHarness(opts: { config?: Partial<EscalationConfig>; now?: Date } = {}): Promise<Harness> {
  const testDb = await createTestDatabase({ seed: true });
  const nc = await connectNats({ url: NATS_URL, name: "escalation-service-test" });
  const prefix = `test-${randomUUID().slice(0, 8)}.`;
  const cloud = await startTwilioCloud({ timeScale: 0 });
  const now = { value: opts.now ?? NY_EVENING };
  const clock = () => now.value;
  const service = startEscalationService({
    db: testDb.db,
    nc,
    subjectPrefix: prefix,
    texter: twilioTexter(twilioClientFor(cloud)),
    logger: createLogger({ service: "escalation-service-test", level: "silent" }),
    clock,
    ...(opts.config ? { config: opts.config } : {}),
  });
  const orders: OrderService = startOrderService({
    db: testDb.db,
    nc,
    subjectPrefix: prefix,
    logger: createLogger({ service: "order-service-test", level: "silent" }),
    clock,
  });
  const request = <R>(subject: string, envelope: RequestEnvelopeInput, args: unknown) =>
    requestTool(nc, subject, { envelope, args }, { timeoutMs: 15_000 }) as Promise<ToolReply<R>>;
  // The gateway's typed client: replies are checked against the contract's result schemas.
  const escalation = escalationClient(nc, { prefix, timeoutMs: 15_000 });

  const h: Harness = {
    db: testDb.db,
    nc,
    prefix,
    cloud,
    now,
    service,
    async startCall(o = {}) {
      const location = o.location ?? NY;
      const callSid = `CA${randomUUID().replaceAll("-", "")}`;
      const callerPhone = o.callerPhone === undefined ? "+12125550142" : o.callerPhone;
      await testDb.db
        .insertInto("voice_calls")
        .values({
          call_sid: callSid,
          location_id: location.id,
          direction: "inbound",
          phone_from: callerPhone ?? "anonymous",
          phone_to: location.phone,
          started_at: new Date(now.value.getTime() - 60_000),
          ...(o.ended ? { ended_at: now.value, disposition: "completed" as const, duration_seconds: 60 } : {}),
        })
        .execute();
      return { callSid, locationId: location.id, orderSessionId: randomUUID(), ...(callerPhone ? { callerPhone } : {}) };
    },
    async order(tool, args, envelope) {
      const reply = await request<ToolResult<typeof tool>>(toolSubject(tool, prefix), { ...envelope, requestId: randomUUID() }, args);
      if (!reply.ok) throw new Error(`${tool} failed: ${reply.error.code}: ${reply.error.message}`);
      return reply.result;
    },
    // Bad inputs on purpose (unknown reasons, extra keys): the wire carries whatever the model sent.
    transfer: (envelope, args) => escalation.transfer(envelope, args as ToolArgsInput<"transfer_to_human">),
    async decide(envelope, args) {
      const reply = await h.transfer(envelope, args);
      if (!reply.ok) throw new Error(`transfer_to_human failed: ${reply.error.code}: ${reply.error.message}`);
      if (!reply.result.decision) throw new Error("transfer_to_human answered without a decision");
      return reply.result.decision;
    },
    dialOutcome: (envelope, args) => escalation.dialOutcome(envelope, args),
    async assess(envelope, args) {
      const reply = await escalation.assessTurn(envelope, args);
      if (!reply.ok) throw new Error(`assess_turn failed: ${reply.error.code}: ${reply.error.message}`);
      return reply.result;
    },
    async events(callSid) {
      return testDb.db
        .selectFrom("voice_call_events as e")
        .innerJoin("voice_calls as c", "c.id", "e.call_id")
        .select(["e.event_type", "e.event_data"])
        .where("c.call_sid", "=", callSid)
        .orderBy("e.id")
        .execute();
    },
    async close() {
      await service.stop();
      await orders.stop();
      await drainNats(nc);
      await cloud.close();
      await testDb.close();
    },
  };
  return h;
}
