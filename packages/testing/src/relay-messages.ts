import { z } from "zod";

// ConversationRelay messages (docs/PROTOCOLS.md §9): JSON text frames with a `type`.

const Lang = z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, "must be a language code such as en-US");

/** Messages the app may send to Twilio. Anything else is an invalid message (error 64107, dropped). */
export const RelayAppMessage = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("text"),
    token: z.string(),
    last: z.boolean({ error: "text.last must be a boolean (true ends the spoken turn)" }),
    lang: Lang.optional(),
    interruptible: z.boolean().optional(),
    preemptible: z.boolean().optional(),
  }),
  z.strictObject({
    type: z.literal("play"),
    source: z.url(),
    loop: z.number().int().min(0).optional(),
    interruptible: z.boolean().optional(),
    preemptible: z.boolean().optional(),
  }),
  z.strictObject({ type: z.literal("sendDigits"), digits: z.string().regex(/^[0-9*#wW]+$/, "digits are 0-9, *, #, w or W") }),
  z
    .strictObject({ type: z.literal("language"), ttsLanguage: Lang.optional(), transcriptionLanguage: Lang.optional() })
    .refine((m) => m.ttsLanguage !== undefined || m.transcriptionLanguage !== undefined, "language needs ttsLanguage and/or transcriptionLanguage"),
  z.strictObject({ type: z.literal("end"), handoffData: z.string({ error: "end.handoffData must be a string (JSON-encode objects)" }).optional() }),
]);
export type RelayAppMessage = z.infer<typeof RelayAppMessage>;

/** Messages Twilio sends to the app. */
export const RelayTwilioMessage = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("setup"),
    sessionId: z.string().startsWith("VX"),
    accountSid: z.string().startsWith("AC"),
    parentCallSid: z.string(),
    callSid: z.string().startsWith("CA"),
    from: z.string(),
    to: z.string(),
    forwardedFrom: z.string(),
    callType: z.string(),
    callerName: z.string(),
    direction: z.string(),
    callStatus: z.string(),
    customParameters: z.record(z.string(), z.string()),
  }),
  z.strictObject({ type: z.literal("prompt"), voicePrompt: z.string(), lang: z.string(), last: z.boolean() }),
  z.strictObject({ type: z.literal("dtmf"), digit: z.string().regex(/^[0-9*#]$/) }),
  z.strictObject({ type: z.literal("interrupt"), utteranceUntilInterrupt: z.string(), durationUntilInterruptMs: z.union([z.number(), z.string()]) }),
  z.strictObject({ type: z.literal("error"), description: z.string() }),
]);
export type RelayTwilioMessage = z.infer<typeof RelayTwilioMessage>;
