import { bool, httpUrl, integer, optional, secret, text } from "@orderline/config";
import { toolServiceEnv } from "@orderline/runtime";
import { z } from "zod";

/** The escalation service's environment, parsed once at start (see @orderline/config). */
export const EscalationServiceEnv = z
  .object({
    // NATS, OPS_PORT (9464), LOG_LEVEL, OTLP, SHUTDOWN_GRACE_MS, DATABASE_URL, DATABASE_POOL_SIZE
    ...toolServiceEnv(),
    /** Most requests handled at once by this replica (escalations are rare; each holds a connection briefly). */
    TOOL_CONCURRENCY: integer({ min: 1, max: 10_000, default: 8 }),
    /** Twilio account for the staff SMS (callback requests). Unset: callbacks are stored, staff are not texted. */
    TWILIO_ACCOUNT_SID: optional(text(undefined, "a Twilio account SID (AC…)")),
    TWILIO_AUTH_TOKEN: optional(secret()),
    /** Send staff SMS through this Messaging Service instead of from the location's main number. */
    TWILIO_MESSAGING_SERVICE_SID: optional(text(undefined, "a Messaging Service SID (MG…)")),
    /** Only for tests and the demo: where the Twilio REST client's requests go (a local REST emulator). */
    TWILIO_API_BASE_URL: optional(httpUrl()),
    /** How long each staff number rings before the next one (`<Dial timeout>`). */
    DIAL_TIMEOUT_SECONDS: integer({ min: 5, max: 120, default: 20 }),
    /** Also text the staff line the transfer's summary as it is dialled. */
    STAFF_SMS_ON_TRANSFER: bool(false),
    /** The caller is told to expect the callback within this many minutes (after the next opening when closed). */
    CALLBACK_WITHIN_MINUTES: integer({ min: 5, max: 24 * 60, default: 30 }),
    /** A caller turn scoring at or below this (AFINN sum) counts as anger → complaint trigger. */
    ANGER_SENTIMENT_SCORE: integer({ min: -50, max: -1, default: -3 }),
    /** Questions in a row not answered before a person takes over (seed: 2). */
    UNANSWERED_QUESTIONS_LIMIT: integer({ min: 1, max: 10, default: 2 }),
  })
  .superRefine((env, ctx) => {
    if ((env.TWILIO_ACCOUNT_SID === undefined) !== (env.TWILIO_AUTH_TOKEN === undefined)) {
      ctx.addIssue({ code: "custom", path: ["TWILIO_AUTH_TOKEN"], message: "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN go together: set both or neither" });
    }
  });
export type EscalationServiceEnv = z.output<typeof EscalationServiceEnv>;
