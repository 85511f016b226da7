import { runToolService } from "@orderline/runtime";
import { EscalationServiceEnv } from "./env.ts";
import { SERVICE_NAME, startEscalationService } from "./service.ts";
import { createTwilioClient, NO_TEXTER, twilioTexter } from "./staff-sms.ts";

await runToolService({
  name: SERVICE_NAME,
  envSchema: EscalationServiceEnv,
  // Callers' numbers and what they said reach logs only through these fields.
  redact: ["callerPhone", "envelope.callerPhone", "summary"],
  start: ({ env, db, nc, logger, metrics }) =>
    startEscalationService({
      db,
      nc,
      subjectPrefix: env.NATS_SUBJECT_PREFIX,
      logger,
      metrics,
      concurrency: env.TOOL_CONCURRENCY,
      texter:
        env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN
          ? twilioTexter(
              createTwilioClient({ accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN, apiBaseUrl: env.TWILIO_API_BASE_URL }),
              env.TWILIO_MESSAGING_SERVICE_SID,
            )
          : NO_TEXTER,
      config: {
        dialTimeoutSeconds: env.DIAL_TIMEOUT_SECONDS,
        staffSmsOnTransfer: env.STAFF_SMS_ON_TRANSFER,
        callbackWithinMinutes: env.CALLBACK_WITHIN_MINUTES,
        triggers: { angerScore: env.ANGER_SENTIMENT_SCORE, unansweredQuestions: env.UNANSWERED_QUESTIONS_LIMIT, consecutiveToolFailures: 2, failedTools: 3 },
      },
    }),
});
