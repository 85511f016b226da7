import { z } from "zod";

/** Numeric string, as Twilio sends sequenceNumber / chunk / timestamp. */
const NumStr = z.string().regex(/^\d+$/, "must be a string of digits");
const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, "must be base64");

/** Messages Twilio sends on a bidirectional Media Stream (docs/PROTOCOLS.md §1). */
export const TwilioStreamMessage = z.discriminatedUnion("event", [
  z.strictObject({ event: z.literal("connected"), protocol: z.literal("Call"), version: z.literal("1.0.0") }),
  z.strictObject({
    event: z.literal("start"),
    sequenceNumber: NumStr,
    streamSid: z.string().startsWith("MZ"),
    start: z.strictObject({
      streamSid: z.string().startsWith("MZ"),
      accountSid: z.string().startsWith("AC"),
      callSid: z.string().startsWith("CA"),
      tracks: z.array(z.enum(["inbound", "outbound"])),
      customParameters: z.record(z.string(), z.string()),
      mediaFormat: z.strictObject({ encoding: z.literal("audio/x-mulaw"), sampleRate: z.literal(8000), channels: z.literal(1) }),
    }),
  }),
  z.strictObject({
    event: z.literal("media"),
    sequenceNumber: NumStr,
    streamSid: z.string(),
    media: z.strictObject({ track: z.literal("inbound"), chunk: NumStr, timestamp: NumStr, payload: Base64 }),
  }),
  z.strictObject({ event: z.literal("dtmf"), streamSid: z.string(), sequenceNumber: NumStr, dtmf: z.strictObject({ track: z.literal("inbound_track"), digit: z.string().regex(/^[0-9*#]$/) }) }),
  z.strictObject({ event: z.literal("mark"), sequenceNumber: NumStr, streamSid: z.string(), mark: z.strictObject({ name: z.string() }) }),
  z.strictObject({ event: z.literal("stop"), sequenceNumber: NumStr, streamSid: z.string(), stop: z.strictObject({ accountSid: z.string(), callSid: z.string() }) }),
]);
export type TwilioStreamMessage = z.infer<typeof TwilioStreamMessage>;

/** Messages a server may send to Twilio on the stream. */
export const TwilioStreamCommand = z.discriminatedUnion("event", [
  z.strictObject({ event: z.literal("media"), streamSid: z.string(), media: z.strictObject({ payload: Base64 }) }),
  z.strictObject({ event: z.literal("mark"), streamSid: z.string(), mark: z.strictObject({ name: z.string() }) }),
  z.strictObject({ event: z.literal("clear"), streamSid: z.string() }),
]);
export type TwilioStreamCommand = z.infer<typeof TwilioStreamCommand>;
