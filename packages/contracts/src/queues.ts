import { z } from "zod";
import { CallDisposition, CallEventType, EscalationReason } from "./enums.ts";
import { E164 } from "./envelope.ts";

/**
 * BullMQ queue names and job payloads. Payloads are validated by the worker; new fields are added as
 * optional so a rolling deploy (old producer, new consumer or the reverse) keeps working.
 */
export const QUEUES = {
  /** After every call: persist transcript, events, disposition, usage/cost. Job id = call SID. */
  callFinalize: "call-finalize",
  /** Outbound "your order is ready" call. Job id = `ready-{orderId}` (BullMQ refuses ":" in custom ids). */
  orderReadyCall: "order-ready-call",
  /** Outbound order-confirmation call (NEW → CALLED → CONFIRMED / UPDATED / FAILED). Job id = `confirm-{orderId}`. */
  orderConfirmationCall: "order-confirmation-call",
  /** Text receipt after a voice order is submitted. Job id = `receipt-{orderId}`. */
  smsReceipt: "sms-receipt",
  /** One-question SMS survey after an inbound call, where the location enables it. Job id = `survey-{callId}`. */
  callSurvey: "call-survey",
  /**
   * One run of a location's confirmation sheet (docs/SHEETS.md): catch up from Postgres, take NEW rows in, write the
   * states back. Job id = `sheet-sync-{locationId}` (periodic) or `sheet-sync-{locationId}-{window}` (after state events).
   */
  sheetSync: "sheet-sync",
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const TranscriptEntry = z.object({
  role: z.enum(["caller", "assistant", "system"]),
  text: z.string(),
  at: z.iso.datetime(),
  /** Caller turns: the turn's sentiment score (AFINN-165 sum from the escalation service's assess_turn), when it answered. */
  sentiment: z.number().optional(),
});
export type TranscriptEntry = z.infer<typeof TranscriptEntry>;

export const CallEvent = z.object({
  type: CallEventType,
  at: z.iso.datetime(),
  data: z.record(z.string(), z.unknown()).default({}),
});
export type CallEvent = z.infer<typeof CallEvent>;

export const RealtimeUsage = z.object({
  inputTextTokens: z.number().int().min(0).default(0),
  inputAudioTokens: z.number().int().min(0).default(0),
  cachedTokens: z.number().int().min(0).default(0),
  outputTextTokens: z.number().int().min(0).default(0),
  outputAudioTokens: z.number().int().min(0).default(0),
  responses: z.number().int().min(0).default(0),
});
export type RealtimeUsage = z.infer<typeof RealtimeUsage>;

/** Tokens a text engine (OpenAI Responses API) used during a call, per model. */
export const TextEngineUsage = z.object({
  model: z.string().min(1),
  inputTokens: z.number().int().min(0).default(0),
  cachedTokens: z.number().int().min(0).default(0),
  outputTokens: z.number().int().min(0).default(0),
  requests: z.number().int().min(0).default(0),
});
export type TextEngineUsage = z.infer<typeof TextEngineUsage>;

/** How the call reached the gateway's conversation: audio Media Stream, ConversationRelay text, or <Gather> turns. */
export const CallTransport = z.enum(["media_stream", "relay", "gather"]);
export type CallTransport = z.infer<typeof CallTransport>;

/** Who held the conversation: OpenAI Realtime, an OpenAI text model, or the local rule-based agent. */
export const ConversationEngine = z.enum(["realtime", "openai_text", "local"]);
export type ConversationEngine = z.infer<typeof ConversationEngine>;

export const CallFinalizeJob = z.object({
  callSid: z.string().min(1),
  locationId: z.uuid().nullable(),
  from: E164.nullable(),
  to: E164.nullable(),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime(),
  disposition: CallDisposition,
  endReason: z.string().optional(),
  orderId: z.uuid().nullable(),
  transferReason: EscalationReason.nullable().optional(),
  transcript: z.array(TranscriptEntry),
  events: z.array(CallEvent),
  usage: RealtimeUsage,
  model: z.string().optional(),
  /** Every order submitted on the call, in order (orderId is the last one); absent from older producers. */
  orderIds: z.array(z.uuid()).optional(),
  /** Text-engine usage per model (relay/gather calls, fallbacks). */
  textUsage: z.array(TextEngineUsage).optional(),
  /** Transports and engines the call used, in the order it used them (more than one after a fallback). */
  transports: z.array(CallTransport).optional(),
  engines: z.array(ConversationEngine).optional(),
});
export type CallFinalizeJob = z.infer<typeof CallFinalizeJob>;

export const OrderReadyCallJob = z.object({ orderId: z.uuid(), locationId: z.uuid() });
export type OrderReadyCallJob = z.infer<typeof OrderReadyCallJob>;

export const OrderConfirmationCallJob = z.object({ orderId: z.uuid(), locationId: z.uuid() });
export type OrderConfirmationCallJob = z.infer<typeof OrderConfirmationCallJob>;

export const SmsReceiptJob = z.object({ orderId: z.uuid(), locationId: z.uuid() });
export type SmsReceiptJob = z.infer<typeof SmsReceiptJob>;

export const SheetSyncJob = z.object({ locationId: z.uuid() });
export type SheetSyncJob = z.infer<typeof SheetSyncJob>;

export const CallSurveyJob = z.object({ callId: z.uuid(), locationId: z.uuid() });
export type CallSurveyJob = z.infer<typeof CallSurveyJob>;
