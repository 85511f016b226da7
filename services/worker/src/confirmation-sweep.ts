import type { Database } from "@orderline/db";
import type { Logger } from "@orderline/telemetry";
import type { Queue } from "bullmq";
import type { Kysely } from "kysely";
import type { PublishConfirmation } from "./confirmation-events.ts";
import { every } from "./periodic.ts";
import { enqueueConfirmationCall } from "./queues.ts";
import { failureReason } from "./domain/confirmation-failures.ts";
import { autoCallCandidates, failCalled, staleCalled } from "./repositories/confirmations.ts";
import { finishNotification } from "./repositories/orders.ts";
import { attemptStateOf, type TwilioClient } from "./twilio-client.ts";

/**
 * Every `intervalMs`: NEW orders of locations with `confirmation_auto_call` are enqueued (no trigger needed), and
 * CALLED orders left unsettled for `staleMs` are settled, never re-dialled: an attempt still "dialling" (the worker
 * died between writing it and hearing from Twilio: whether the call went out is unknown) goes FAILED; a "placed"
 * one whose status callback never came is asked of Twilio and FAILED with its outcome once the call is over.
 * A person can retry a FAILED order on request.
 */
export function startConfirmationSweep(deps: {
  db: Kysely<Database>;
  queue: Queue;
  twilio: TwilioClient;
  intervalMs: number;
  staleMs: number;
  publish: PublishConfirmation;
  logger: Logger;
}): { stop(): void } {
  return every(
    deps.intervalMs,
    "confirmation sweep",
    async () => {
      for (const o of await autoCallCandidates(deps.db)) {
        await enqueueConfirmationCall(deps.queue, { orderId: o.id, locationId: o.location_id }, o.confirmation_attempts + 1);
      }
      for (const s of await staleCalled(deps.db, deps.staleMs)) {
        if (s.state === "dialling" || !s.sid) {
          const why = "the worker stopped while dialling; whether the call went out is unknown, so it was not dialled again";
          await finishNotification(deps.db, s.attemptId, { state: "unconfirmed", detail: why });
          deps.publish(await failCalled(deps.db, s.id, why));
          continue;
        }
        const call = await deps.twilio.calls(s.sid).fetch();
        const state = attemptStateOf(call.status, call.answeredBy ?? null);
        if (!state) continue; // still ringing or talking: the status callback (or the next sweep) settles it
        await finishNotification(deps.db, s.attemptId, { state, answeredBy: call.answeredBy ?? null, durationSeconds: call.duration ? Number(call.duration) : null });
        deps.publish(await failCalled(deps.db, s.id, failureReason(state)));
      }
    },
    deps.logger,
  );
}
