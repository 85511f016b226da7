import type { CallSurveyJob } from "@orderline/contracts";
import type { Database } from "@orderline/db";
import type { JobContext } from "@orderline/runtime";
import type { Kysely } from "kysely";
import { surveySms } from "../domain/messages.ts";
import { beginSurvey, finishSurvey, loadSurveyCall } from "../repositories/surveys.ts";
import { refusedByTwilio, type TwilioClient } from "../twilio-client.ts";
import { phoneProblem } from "./order-ready-call.ts";

export interface CallSurveyDeps {
  db: Kysely<Database>;
  twilio: TwilioClient;
  defaultOutboundNumber: string | undefined;
}

/** Calls worth asking about: the caller talked to us (abandoned, failed or rejected calls are not surveyed). */
const SURVEYED = new Set(["completed", "transferred"]);

/**
 * The one-question survey after an inbound call, where the location switched it on: written (state sending)
 * before Twilio is asked, so it is never sent twice; opted-out callers and numbers that are not dialable get none.
 */
export async function callSurvey(job: CallSurveyJob, ctx: JobContext, deps: CallSurveyDeps): Promise<{ outcome: string }> {
  const call = await loadSurveyCall(deps.db, job.callId);
  const outcome = await (async () => {
    if (!call || call.location_id !== job.locationId) return "no such call at the location";
    if (!call.sms_survey_enabled) return "survey off at the location";
    if (call.direction !== "inbound" || !SURVEYED.has(call.disposition)) return `not surveyed (${call.direction} ${call.disposition})`;
    if (call.sms_opt_out) return "opted out";
    const problem = phoneProblem(call.phone_from);
    if (problem) return `not sent: ${problem}`;
    const from = call.outbound_number ?? deps.defaultOutboundNumber ?? call.public_phone;
    const id = await beginSurvey(deps.db, { callId: call.id, locationId: call.location_id, to: call.phone_from!, from });
    if (!id) return "already sent";
    try {
      const msg = await deps.twilio.messages.create({ to: call.phone_from!, from, body: surveySms({ locationName: call.location_name, language: call.language }) });
      await finishSurvey(deps.db, id, { state: "sent", sid: msg.sid });
      return "sent";
    } catch (err) {
      const refused = refusedByTwilio(err);
      // Unknown whether it went out: recorded as unconfirmed and never sent again.
      await finishSurvey(deps.db, id, refused ? { state: "failed", detail: `Twilio refused the message: ${refused.code} ${refused.message}` } : { state: "unconfirmed", detail: "no answer from Twilio" });
      return refused ? `refused ${refused.code}` : "unconfirmed";
    }
  })();
  ctx.logger.info({ callId: job.callId, outcome }, "call survey job done");
  return { outcome };
}
