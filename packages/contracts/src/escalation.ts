import { z } from "zod";
import { Cents } from "./money.ts";
import { E164 } from "./envelope.ts";
import { EscalationReason, OrderState, OrderType } from "./enums.ts";

/**
 * The escalation service's side of the handoff: what the gateway (any transport, any engine) asks and
 * what it is told to do. Every request here is `{ envelope, args }` like a tool request (the envelope comes
 * from the call's session, never from the model) and every reply is a tool reply `{ ok, result | error }`.
 *
 * - `toolSubject("transfer_to_human")`: the model's (or the gateway's own) transfer request → a `TransferDecision`.
 * - `ESCALATION_SUBJECTS.dialOutcome`: the `<Dial>` action's `DialCallStatus` → the next `TransferDecision`.
 * - `ESCALATION_SUBJECTS.assessTurn`: one caller turn (+ call counters) → sentiment and the triggers that fired.
 * - `ESCALATION_SUBJECTS.setCallbackState`: staff mark a callback request done (or open again).
 */
export const ESCALATION_SUBJECTS = {
  assessTurn: (prefix = "") => `${prefix}orderline.escalation.assess_turn`,
  dialOutcome: (prefix = "") => `${prefix}orderline.escalation.dial_outcome`,
  setCallbackState: (prefix = "") => `${prefix}orderline.escalation.callbacks.set_state`,
} as const;

/** The seed's seven escalation triggers (every `EscalationReason` but `other`), highest priority first. */
export const EscalationTrigger = z.enum([
  "technical_failure",
  "caller_request",
  "allergy_confirmation",
  "payment_or_refund",
  "complaint",
  "large_order",
  "unanswered_question",
]);
export type EscalationTrigger = z.infer<typeof EscalationTrigger>;

/** Why a callback request was stored instead of (or after) dialling staff. */
export const CallbackCause = z.enum(["no_staff_number", "outside_hours", "no_answer"]);
export type CallbackCause = z.infer<typeof CallbackCause>;

export const CallbackState = z.enum(["open", "done"]);
export type CallbackState = z.infer<typeof CallbackState>;

/** A number to dial, always from the location's configuration (never from the caller or the model). */
export const StaffTarget = z.object({ number: E164, label: z.string() });
export type StaffTarget = z.infer<typeof StaffTarget>;

/** What is in the caller's order so far, as the staff member is told (read from Postgres, not from the model). */
export const OrderSoFar = z.object({
  orderId: z.uuid(),
  orderNumber: z.number().int().nullable(),
  state: OrderState,
  orderType: OrderType,
  lines: z.array(z.object({ quantity: z.number().int().min(1), name: z.string(), size: z.string().nullable(), modifiers: z.array(z.string()) })),
  itemCount: z.number().int().min(0),
  totalCents: Cents,
  largeOrder: z.boolean(),
});
export type OrderSoFar = z.infer<typeof OrderSoFar>;

const Speech = z.string().describe("A short sentence the caller can hear as is, in the call's language.");

/**
 * Warm transfer to one staff number: say `holdMessage`, then `<Dial answerOnBridge callerId timeout
 * action=(dial outcome)><Number url=(whisper)>target.number</Number></Dial>`; the whisper URL plays `whisper` to
 * the staff member before the caller is bridged. Report the `<Dial>` action's DialCallStatus to `dialOutcome`
 * with `escalationId` and `attempt`.
 */
export const DialDecision = z.object({
  action: z.literal("dial"),
  escalationId: z.uuid(),
  /** 0-based position of `target` in the location's staff list as tried for this call. */
  attempt: z.number().int().min(0),
  target: StaffTarget,
  /** Numbers still to try after this one when it is not answered. */
  remainingTargets: z.number().int().min(0),
  /** The location's number (the one the caller dialled): staff see the restaurant calling. */
  callerId: E164,
  timeoutSeconds: z.number().int().min(5).max(600),
  holdMessage: Speech,
  /** Spoken to the staff member before bridging: why the caller is coming, what is in the order so far. */
  whisper: z.string(),
  /** BCP-47 of `holdMessage` (`<Say language>`); the whisper is in the location's language too. */
  language: z.string(),
  reason: EscalationReason,
  /** SID of the SMS with the same summary sent to the staff line, when that is configured. */
  staffSmsSid: z.string().nullable(),
});
export type DialDecision = z.infer<typeof DialDecision>;

/** Nobody can take the call: a callback request is stored and staff told by SMS; say `speech` to the caller. */
export const CallbackDecision = z.object({
  action: z.literal("callback"),
  escalationId: z.uuid(),
  callbackRequestId: z.uuid(),
  cause: CallbackCause,
  /** When the caller can expect the call (UTC ISO), null when it cannot be said. */
  expectedBy: z.iso.datetime().nullable(),
  /** The number staff will call (the caller ID); null when the caller ID was withheld or invalid. */
  callerPhone: E164.nullable(),
  staffNotified: z.boolean(),
  speech: Speech,
  language: z.string(),
});
export type CallbackDecision = z.infer<typeof CallbackDecision>;

/** The transfer is over: staff answered and the bridge ended, or the caller hung up while staff was rung. Answer `<Hangup/>`. */
export const EndDecision = z.object({
  action: z.literal("end"),
  escalationId: z.uuid(),
  outcome: z.enum(["answered", "caller_hung_up"]),
  /** The staff number that answered (outcome answered). */
  answeredBy: E164.nullable(),
});
export type EndDecision = z.infer<typeof EndDecision>;

/** Nothing to do (e.g. the call already ended): a no-op, never an error. */
export const NoopDecision = z.object({
  action: z.literal("none"),
  cause: z.enum(["call_ended"]),
  speech: Speech,
});
export type NoopDecision = z.infer<typeof NoopDecision>;

export const TransferDecision = z.discriminatedUnion("action", [DialDecision, CallbackDecision, EndDecision, NoopDecision]);
export type TransferDecision = z.infer<typeof TransferDecision>;

/* ---------- dial outcome ---------- */

/** Twilio's `DialCallStatus` on the `<Dial>` action request. */
export const DialCallStatus = z.enum(["completed", "answered", "busy", "no-answer", "failed", "canceled"]);
export type DialCallStatus = z.infer<typeof DialCallStatus>;

export const DialOutcomeArgs = z.strictObject({
  escalationId: z.uuid(),
  /** The `attempt` of the DialDecision this outcome is for (a repeated webhook for an old attempt is a no-op). */
  attempt: z.number().int().min(0).max(100),
  dialCallStatus: DialCallStatus,
  dialCallDuration: z.number().int().min(0).optional(),
  dialCallSid: z.string().max(64).optional(),
});
export type DialOutcomeArgs = z.infer<typeof DialOutcomeArgs>;
export type DialOutcomeArgsInput = z.input<typeof DialOutcomeArgs>;

/** Reply of `dialOutcome`: the next number, the callback flow, or the end of the transfer. */
export const DialOutcomeResult = TransferDecision;
export type DialOutcomeResult = TransferDecision;

/* ---------- per-turn assessment ---------- */

/** Counters the gateway keeps per call (Redis session); the service never guesses them. */
export const TurnCounters = z.strictObject({
  /** Questions in a row the assistant could not answer (tool errors such as not_on_menu, unknown_category). */
  unansweredQuestions: z.number().int().min(0).default(0),
  /** Tool requests in a row with no usable reply (timeout, no responders). */
  consecutiveToolFailures: z.number().int().min(0).default(0),
  /** Tool requests with no usable reply on this call so far. */
  failedTools: z.number().int().min(0).default(0),
  /** The conversation engine was lost and no fallback engine is left. */
  engineLost: z.boolean().default(false),
  /** The cart's `flags.largeOrder` (order service) as last seen on this call. */
  largeOrder: z.boolean().default(false),
});
export type TurnCounters = z.infer<typeof TurnCounters>;

export const AssessTurnArgs = z.strictObject({
  /** The caller's transcribed words for this turn (longer text is assessed on its first 2,000 characters). */
  text: z.string().max(20_000).default(""),
  /** BCP-47 of the turn when known (default: the location's language). */
  language: z.string().max(20).optional(),
  counters: TurnCounters.default(TurnCounters.parse({})),
});
export type AssessTurnArgs = z.infer<typeof AssessTurnArgs>;
export type AssessTurnArgsInput = z.input<typeof AssessTurnArgs>;

export const TurnSentiment = z.object({
  /** Sum of the word scores (AFINN-165, the `sentiment` library): < 0 negative. */
  score: z.number(),
  /** score / number of words. */
  comparative: z.number(),
  label: z.enum(["negative", "neutral", "positive"]),
});
export type TurnSentiment = z.infer<typeof TurnSentiment>;

export const FiredTrigger = z.object({
  trigger: EscalationTrigger,
  /** What fired it, e.g. `phrase "speak to a manager"`, `sentiment -7`, `2 unanswered questions`. */
  evidence: z.string(),
});
export type FiredTrigger = z.infer<typeof FiredTrigger>;

export const AssessTurnResult = z.object({
  sentiment: TurnSentiment,
  /** Every trigger that fired, highest priority first (empty: carry on). */
  triggers: z.array(FiredTrigger),
  /** True when a trigger fired: call transfer_to_human with `reason` (every engine the same way). */
  escalate: z.boolean(),
  reason: EscalationReason.nullable(),
  /** A staff summary to use when the engine has none (the gateway transfers on its own). */
  summaryHint: z.string().nullable(),
  /** Instruction for the model when `escalate` (the gateway may also transfer directly). */
  instruction: z.string().nullable(),
});
export type AssessTurnResult = z.infer<typeof AssessTurnResult>;

/* ---------- callback requests (staff side) ---------- */

/** Plain request/reply (no call envelope): `{ ok, result | error }` like a tool reply. */
export const SetCallbackStateArgs = z.strictObject({
  callbackRequestId: z.uuid(),
  /** The staff member's location: a request of another location is refused. */
  locationId: z.uuid(),
  to: CallbackState,
  actor: z.string().trim().min(1).max(100).describe('Who did it, e.g. "staff:maria" or "dashboard:alice".'),
  note: z.string().trim().max(500).optional(),
});
export type SetCallbackStateArgs = z.infer<typeof SetCallbackStateArgs>;

export const SetCallbackStateResult = z.object({ callbackRequestId: z.uuid(), from: CallbackState, to: CallbackState, changed: z.boolean() });
export type SetCallbackStateResult = z.infer<typeof SetCallbackStateResult>;
