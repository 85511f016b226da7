import type { EscalationReason } from "@orderline/contracts";
import type { Logger } from "@orderline/telemetry";
import type { GatewayMetrics } from "../metrics.ts";
import { langOf, offerCallback, texts, transferDial } from "../twiml.ts";
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

  private async completed(callSid: string, req: HandoffRequest, to: string | null): Promise<void> {
    await recordTransfer(this.deps, this.records, callSid, req, to);
  }
}

async function recordTransfer(deps: Pick<HandoffDeps, "store" | "metrics" | "logger">, records: CallRecords, callSid: string, req: HandoffRequest, to: string | null): Promise<void> {
  await deps.store.patch(callSid, { phase: "transferred", transferredTo: to });
  await records.event("transfer", { reason: req.reason, to, summary: req.summary });
  deps.metrics.transfers.inc({ reason: req.reason });
  deps.logger.info({ callSid, reason: req.reason, to }, "call transferred to staff");
}

/**
 * Hands the call to staff as a webhook's answer (Gather turn, ConversationRelay's Connect action) instead of a
 * REST redirect: records the hand-off and returns the TwiML to answer with.
 */
export async function handOffInline(
  deps: Pick<HandoffDeps, "store" | "metrics" | "logger">,
  records: CallRecords,
  session: CallSession,
  req: HandoffRequest,
  opts: { publicBaseUrl: string; dialTimeoutSeconds: number },
): Promise<string> {
  const { twiml, to } = transferTwiml(session, req, opts);
  await deps.store.patch(session.callSid, { phase: "transferring", transferReason: req.reason, transferSummary: req.summary });
  await recordTransfer(deps, records, session.callSid, req, to);
  return twiml;
}

/** The hand-off request for a text turn that ended in a transfer or a technical failure. */
export function handoffRequestFor(
  session: CallSession,
  end: { kind: "handoff"; reason: EscalationReason; summary: string } | { kind: "technical"; why: string },
  spoken: string,
): HandoffRequest {
  const t = texts(langOf(session.language));
  if (end.kind === "handoff") return { reason: end.reason, summary: end.summary, sayText: spoken ? `${spoken} ${t.transfer}` : t.transfer };
  return { reason: "technical_failure", summary: technicalSummary(session, end.why), sayText: spoken ? `${spoken} ${t.technicalTransfer}` : t.technicalTransfer };
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

/**
 * The TwiML that hands a call to staff as a webhook's answer (Gather turn, ConversationRelay's Connect action):
 * the caller hears `sayText`, then the first staff number rings with a whisper; nobody configured → a
 * callback offer.
 */
export function transferTwiml(
  session: CallSession,
  req: HandoffRequest,
  opts: { publicBaseUrl: string; dialTimeoutSeconds: number },
): { twiml: string; to: string | null } {
  const lang = langOf(session.language);
  const staff = staffNumberOf(session);
  if (!staff) return { twiml: offerCallback(lang, opts.publicBaseUrl, session.callSid), to: null };
  const twiml = transferDial({
    lang,
    text: req.sayText,
    staffNumber: staff,
    callerId: session.location.dialledNumber,
    publicBaseUrl: opts.publicBaseUrl,
    callSid: session.callSid,
    timeoutSeconds: opts.dialTimeoutSeconds,
  });
  return { twiml, to: staff };
}
