import type { EscalationReason } from "@orderline/contracts";
import type { Logger } from "@orderline/telemetry";
import type { GatewayMetrics } from "../metrics.ts";
import type { CallSession } from "../state/session.ts";
import type { CallStore } from "../state/store.ts";
import type { CallTransferer } from "../transfer.ts";
import { type CallRecords, errMessage } from "./call-records.ts";

export interface HandoffDeps {
  store: CallStore;
  transferer: CallTransferer;
  metrics: GatewayMetrics;
  logger: Logger;
}

export interface HandoffRequest {
  reason: EscalationReason;
  /** One or two sentences for staff (the whisper). */
  summary: string;
  /** What the caller hears before the dial, in the call's language. */
  sayText: string;
}

/**
 * The one place a call leaves the AI. A transport decides *how* (REST redirect of a live Media Stream or
 * ConversationRelay call, or the transfer TwiML as a webhook's answer); this seam owns the session phase,
 * the records and the metrics, so every transport and engine hands off the same way.
 */
export class Handoff {
  private readonly deps: HandoffDeps;
  private readonly records: CallRecords;
  private started = false;

  constructor(deps: HandoffDeps, records: CallRecords) {
    this.deps = deps;
    this.records = records;
  }

  /** A hand-off has begun on this connection (no second one, no new model turns). */
  get underway(): boolean {
    return this.started;
  }

  /**
   * Redirects the live call to staff through Twilio REST. `beforeRedirect` runs after the phase is set (e.g. let
   * the model's last words finish playing). Resolves false when the redirect failed: the transport must then
   * close its socket so Twilio asks the Connect action, which answers a plain `<Dial>` of the store.
   */
  async redirect(callSid: string, req: HandoffRequest, beforeRedirect?: () => Promise<void>): Promise<boolean> {
    if (this.started) return false;
    this.started = true;
    const { store, transferer, metrics, logger } = this.deps;
    await store.patch(callSid, { phase: "transferring", transferReason: req.reason, transferSummary: req.summary });
    if (beforeRedirect) await beforeRedirect();
    const session = await store.getSession(callSid);
    if (!session || session.phase === "ended") {
      await this.records.event("transfer", { reason: req.reason, skipped: "call already ended" });
      return false;
    }
    try {
      const out = await transferer.transfer(session, req);
      if (!out.transferred) throw new Error(out.problem ?? "not transferred");
      await this.completed(callSid, req, out.to);
      return true;
    } catch (err) {
      logger.error({ err, callSid, reason: req.reason }, "transfer failed");
      metrics.errors.inc({ kind: "transfer" });
      await this.records.event("error", { phase: "transfer", message: errMessage(err) });
      this.started = false;
      return false;
    }
  }

  /**
   * Marks the call as handed to `to` when the transfer TwiML is the answer of a webhook (Gather turn,
   * ConversationRelay's Connect action) rather than a REST redirect.
   */
  async inline(callSid: string, req: HandoffRequest, to: string | null): Promise<void> {
    this.started = true;
    await this.deps.store.patch(callSid, { phase: "transferring", transferReason: req.reason, transferSummary: req.summary });
    await this.completed(callSid, req, to);
  }

  private async completed(callSid: string, req: HandoffRequest, to: string | null): Promise<void> {
    await this.deps.store.patch(callSid, { phase: "transferred", transferredTo: to });
    await this.records.event("transfer", { reason: req.reason, to, summary: req.summary });
    this.deps.metrics.transfers.inc({ reason: req.reason });
    this.deps.logger.info({ callSid, reason: req.reason, to }, "call transferred to staff");
  }
}

/** Who staff is for this call: the first staff number, else the store's public line. */
export function staffNumberOf(session: CallSession): string | null {
  return session.location.staffNumbers[0] ?? session.location.publicPhone ?? null;
}

/** The summary staff hear when the AI line itself failed. */
export function technicalSummary(session: CallSession | null, why: string): string {
  const name = session?.customer?.name ? `Caller: ${session.customer.name}. ` : "";
  return `Technical problem on the AI line (${why}). ${name}Please take over the call.`;
}
