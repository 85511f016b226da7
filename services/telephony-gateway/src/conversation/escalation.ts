import type { AssessTurnResult, EscalationReason, RequestEnvelopeInput, TransferDecision, TurnCounters } from "@orderline/contracts";
import { type EscalationClient, escalationClient } from "@orderline/handoff";
import { NatsRequestError, type NatsConnection } from "@orderline/nats";
import { type Logger, traceCarrier } from "@orderline/telemetry";
import { withinCall } from "../call-trace.ts";
import type { GatewayMetrics } from "../metrics.ts";
import type { CallSession } from "../state/session.ts";

const missingDecision = { ok: false, error: { code: "bad_reply", message: "no decision in the reply" } } as const;

/** How long one turn's assessment may hold up the turn (it is skipped, not retried, when slower). */
const ASSESS_TIMEOUT_MS = 1500;

/** The request envelope of a call (from its session, never from the model). */
export function envelopeOf(s: CallSession, requestId: string, attempt = 0): RequestEnvelopeInput {
  const carrier = traceCarrier();
  return {
    callSid: s.callSid,
    locationId: s.location.id,
    orderSessionId: s.orderSessionId,
    ...(s.callerPhone ? { callerPhone: s.callerPhone } : {}),
    requestId,
    attempt,
    language: s.language,
    ...(carrier.traceparent ? { traceparent: carrier.traceparent } : {}),
    ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}),
  };
}

export interface EscalationDeps {
  nc: NatsConnection;
  subjectPrefix: string;
  metrics: GatewayMetrics;
  logger: Logger;
}

/**
 * The gateway's side of the escalation service (services/escalation-service/README.md): transfer decisions,
 * dial outcomes and per-turn assessments for one gateway. A service that does not answer (no responders, a
 * timeout twice) yields null: the caller of these methods keeps the gateway's own last resort (dial the store).
 */
export class EscalationDesk {
  private readonly deps: EscalationDeps;
  private readonly client: EscalationClient;
  private readonly assessClient: EscalationClient;

  constructor(deps: EscalationDeps) {
    this.deps = deps;
    this.client = escalationClient(deps.nc, { prefix: deps.subjectPrefix });
    this.assessClient = escalationClient(deps.nc, { prefix: deps.subjectPrefix, timeoutMs: ASSESS_TIMEOUT_MS });
  }

  /** `transfer_to_human` at the escalation service: its decision, or null when it cannot be reached. */
  transfer(session: CallSession, args: { reason: EscalationReason; summary: string; detail?: string }): Promise<TransferDecision | null> {
    return this.ask(session, "transfer", async (envelope) => {
      const reply = await this.client.transfer(envelope, args);
      return reply.ok ? (reply.result.decision ?? missingDecision) : reply;
    });
  }

  /** The `<Dial>` action's DialCallStatus for the decision being carried out: the next decision, or null. */
  dialOutcome(session: CallSession, args: { escalationId: string; attempt: number; dialCallStatus: string; dialCallDuration?: number; dialCallSid?: string }): Promise<TransferDecision | null> {
    return this.ask(session, "dial_outcome", async (envelope) => {
      const reply = await this.client.dialOutcome(envelope, args as Parameters<EscalationClient["dialOutcome"]>[1]);
      return reply.ok ? reply.result : reply;
    });
  }

  /** One caller turn with the call's counters; null when the service did not answer in time (the turn goes on). */
  async assess(session: CallSession, text: string, counters: Partial<TurnCounters>): Promise<AssessTurnResult | null> {
    try {
      const reply = await withinCall(session, () => this.assessClient.assessTurn(envelopeOf(session, `assess-${Date.now()}`), { text, language: session.language, counters }));
      if (reply.ok) return reply.result;
      this.deps.logger.warn({ callSid: session.callSid, code: reply.error.code }, "assess_turn refused");
      return null;
    } catch (err) {
      // Every turn asks: a service that is not deployed or down is logged at debug, the turn goes on.
      this.deps.logger.debug({ callSid: session.callSid, err: err instanceof Error ? err.message : String(err) }, "assess_turn unanswered");
      this.deps.metrics.errors.inc({ kind: "escalation_assess_unanswered" });
      return null;
    }
  }

  private async ask(
    session: CallSession,
    what: string,
    send: (envelope: RequestEnvelopeInput) => Promise<TransferDecision | typeof missingDecision | { ok: false; error: { code: string; message: string } }>,
  ): Promise<TransferDecision | null> {
    // Safe to repeat (the service answers a repeat with the stored decision): the same request id both times.
    const envelope = withinCall(session, () => envelopeOf(session, `escalation-${what}-${session.callSid}-${Date.now()}`));
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        const out = await withinCall(session, () => send(envelope));
        if (out === missingDecision) {
          this.deps.logger.error({ callSid: session.callSid, what }, "escalation service answered without a decision");
          return null;
        }
        if ("action" in out) return out;
        this.deps.logger.error({ callSid: session.callSid, what, code: out.error.code, message: out.error.message }, "escalation service refused");
        this.deps.metrics.errors.inc({ kind: `escalation_${what}_refused` });
        return null;
      } catch (err) {
        if (err instanceof NatsRequestError && err.kind === "timeout" && attempt < 2) continue;
        this.note(session, what, err);
        return null;
      }
    }
    return null;
  }

  private note(session: CallSession, what: string, err: unknown): void {
    const kind = err instanceof NatsRequestError ? err.kind : "internal";
    this.deps.metrics.errors.inc({ kind: `escalation_${kind}` });
    this.deps.logger.warn({ callSid: session.callSid, what, kind, err: err instanceof Error ? err.message : String(err) }, "escalation service unavailable");
  }
}

/** Absolute URLs Twilio reaches for one dial attempt of a decision. */
export function dialUrls(publicBaseUrl: string, callSid: string, d: { escalationId: string; attempt: number }): { actionUrl: string; whisperUrl: string } {
  const q = `callSid=${encodeURIComponent(callSid)}&escalationId=${encodeURIComponent(d.escalationId)}&attempt=${d.attempt}`;
  return { actionUrl: `${publicBaseUrl}/voice/dial-result?${q}`, whisperUrl: `${publicBaseUrl}/voice/whisper?${q}` };
}
