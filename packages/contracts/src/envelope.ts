import { z } from "zod";

/** E.164 phone number, e.g. +14155550123. */
export const E164 = z.string().regex(/^\+[1-9]\d{6,14}$/, "must be an E.164 phone number like +14155550123");

/**
 * Carried by every tool request. The gateway fills it from the call's Redis session — never from the
 * model — so services scope every read and write to this location and call.
 */
export const RequestEnvelope = z.object({
  /** Twilio CallSid of the call the tool runs for. */
  callSid: z.string().min(1).max(64),
  /** The location the dialled number routed to. */
  locationId: z.uuid(),
  /** Stable per call; the order service keys the call's draft order by it. */
  orderSessionId: z.string().min(1).max(128),
  /** Caller ID (E.164) when known: default phone for submit_order and returning-customer lookup. */
  callerPhone: E164.optional(),
  /**
   * Id of this tool call (the Realtime function call_id). Mutating tools apply a given requestId at most
   * once, so a retry after a timeout cannot add a second pizza.
   */
  requestId: z.string().min(1).max(128).optional(),
  /** Idempotency attempt counter for submit_order: same call + attempt ⇒ same order. */
  attempt: z.number().int().min(0).max(1000).default(0),
  /** BCP-47 language the caller is being answered in: `speech` texts and error messages use it (default: the location's). */
  language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, "must be a language tag like en-US").optional(),
  /** W3C trace context; also sent as NATS headers. */
  traceparent: z.string().optional(),
  tracestate: z.string().optional(),
});
export type RequestEnvelope = z.infer<typeof RequestEnvelope>;
export type RequestEnvelopeInput = z.input<typeof RequestEnvelope>;

/** A tool request on the wire: the envelope plus the model's (validated) arguments. */
export const toolRequest = <A extends z.ZodType>(args: A) => z.object({ envelope: RequestEnvelope, args });
export type ToolRequest<A> = { envelope: RequestEnvelope; args: A };
