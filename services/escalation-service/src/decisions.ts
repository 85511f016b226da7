import type { CallbackCause, CallbackDecision, DialDecision, EscalationReason, OrderSoFar, StaffTarget } from "@orderline/contracts";
import type { Database } from "@orderline/db";
import type { Kysely } from "kysely";
import { DateTime } from "luxon";
import type { EscalationContext } from "./context.ts";
import { expectedCallback, smsLine } from "./domain/dial-plan.ts";
import { callbackSms, callbackSpeech, holdMessage, langOf, transferSms, whisperText } from "./domain/texts.ts";
import { addCallEvent, setEscalationReason } from "./repositories/calls.ts";
import { recordNotification, storeCallbackRequest } from "./repositories/callbacks.ts";
import { updateEscalation } from "./repositories/escalations.ts";
import type { EscalationLocation } from "./repositories/locations.ts";

/** One escalation as the decision builders see it (a fresh one or a stored row). */
export interface EscalationFacts {
  id: string;
  callSid: string;
  callId: string | null;
  reason: EscalationReason;
  summary: string;
  callerPhone: string | null;
  targets: StaffTarget[];
  order: OrderSoFar | null;
  /** The number the caller dialled, when the call record has it (caller ID of the transfer). */
  dialledNumber: string | null;
}

/** Decides to dial `targets[attempt]`: records it, texts the staff line when configured, returns the decision. */
export async function dialDecision(
  ctx: EscalationContext,
  db: Kysely<Database>,
  loc: EscalationLocation,
  e: EscalationFacts,
  attempt: number,
): Promise<DialDecision> {
  const target = e.targets[attempt]!;
  const lang = langOf(loc.language);
  const whisper = whisperText({ lang, locationName: loc.name, reason: e.reason, summary: e.summary, order: e.order, callerPhone: e.callerPhone });
  let staffSmsSid: string | null = null;
  const line = loc.lines.find((l) => l.number === target.number);
  if (ctx.config.staffSmsOnTransfer && line?.receivesSms) {
    const sent = await ctx.texter.send({ to: target.number, from: loc.mainNumber, body: transferSms(lang, whisper) });
    if ("sid" in sent) staffSmsSid = sent.sid;
    else ctx.logger.warn({ callSid: e.callSid, problem: sent.error }, "transfer summary SMS not sent");
  }
  const decision: DialDecision = {
    action: "dial",
    escalationId: e.id,
    attempt,
    target,
    remainingTargets: e.targets.length - attempt - 1,
    callerId: e.dialledNumber && /^\+[1-9]\d{6,14}$/.test(e.dialledNumber) ? e.dialledNumber : loc.mainNumber,
    timeoutSeconds: ctx.config.dialTimeoutSeconds,
    holdMessage: holdMessage(lang, e.reason, attempt),
    whisper,
    language: loc.language,
    reason: e.reason,
    staffSmsSid,
  };
  await updateEscalation(db, e.id, { state: "dialing", decision, attempt });
  await addCallEvent(
    db,
    e.callId,
    "transfer",
    { step: "dialing", escalationId: e.id, attempt, number: target.number, label: target.label, reason: e.reason, staffSmsSid },
    ctx.clock(),
  );
  return decision;
}

/**
 * Nobody can take the call: stores the callback request (caller's number, reason, summary, order so far),
 * texts the location's staff line, records the event and returns what the caller is told.
 */
export async function callbackDecision(
  ctx: EscalationContext,
  db: Kysely<Database>,
  loc: EscalationLocation,
  e: EscalationFacts,
  cause: CallbackCause,
  nextAvailable: DateTime | null,
): Promise<CallbackDecision> {
  const now = ctx.clock();
  const lang = langOf(loc.language);
  const expected = expectedCallback(cause, nextAvailable, now, ctx.config.callbackWithinMinutes);
  const { row, created } = await storeCallbackRequest(db, {
    locationId: loc.id,
    callSid: e.callSid,
    callId: e.callId,
    callerPhone: e.callerPhone,
    reason: e.reason,
    summary: e.summary,
    order: e.order,
    cause,
    expectedBy: expected.at,
  });
  let staffNotified = row.sms_sid !== null;
  if (created) {
    const line = smsLine(loc.lines);
    let smsSid: string | null = null;
    let error: string | null = line ? null : "the location has no staff line to text";
    if (line) {
      const body = callbackSms({ lang, locationName: loc.name, callerPhone: e.callerPhone, reason: e.reason, summary: e.summary, order: e.order, ref: row.id.slice(0, 8) });
      const sent = await ctx.texter.send({ to: line.number, from: loc.mainNumber, body });
      if ("sid" in sent) smsSid = sent.sid;
      else error = sent.error;
    }
    await recordNotification(db, row.id, { notifiedTo: smsSid ? line!.number : null, smsSid, error });
    if (error) ctx.logger.warn({ callSid: e.callSid, callbackRequestId: row.id, problem: error }, "callback request stored but staff not texted");
    staffNotified = smsSid !== null;
    await addCallEvent(
      db,
      e.callId,
      "callback_requested",
      {
        escalationId: e.id,
        callbackRequestId: row.id,
        cause,
        reason: e.reason,
        expectedBy: expected.at?.toISOString() ?? null,
        hasCallerPhone: e.callerPhone !== null,
        orderId: e.order?.orderId ?? null,
        smsSid,
        notifiedTo: smsSid ? line!.number : null,
        notifyError: error,
      },
      now,
    );
    await setEscalationReason(db, e.callId, e.reason);
  }
  const localNow = DateTime.fromJSDate(now, { zone: loc.timezone });
  const decision: CallbackDecision = {
    action: "callback",
    escalationId: e.id,
    callbackRequestId: row.id,
    cause: row.cause,
    expectedBy: row.expected_by?.toISOString() ?? null,
    callerPhone: row.caller_phone,
    staffNotified,
    speech: callbackSpeech({
      lang,
      callerPhone: row.caller_phone,
      soon: expected.soon,
      withinMinutes: ctx.config.callbackWithinMinutes,
      from: nextAvailable,
      localNow,
    }),
    language: loc.language,
  };
  await updateEscalation(db, e.id, { state: "callback", decision, callbackRequestId: row.id });
  return decision;
}
