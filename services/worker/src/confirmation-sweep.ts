import type { Database } from "@orderline/db";
import type { Logger } from "@orderline/telemetry";
import type { Queue } from "bullmq";
import type { Kysely } from "kysely";
import type { PublishConfirmation } from "./confirmation-events.ts";
import { every } from "./periodic.ts";
import { enqueueConfirmationCall } from "./queues.ts";
import { autoCallCandidates, failCalled, staleDialling } from "./repositories/confirmations.ts";
import { finishNotification } from "./repositories/orders.ts";

/**
 * Every `intervalMs`: NEW orders of locations with `confirmation_auto_call` are enqueued (no trigger needed), and
 * CALLED orders whose attempt was left "dialling" for `staleMs` (the worker died between writing it and hearing
 * from Twilio) go FAILED — never re-dialled, since the call may have gone out; a person can retry on request.
 */
export function startConfirmationSweep(deps: { db: Kysely<Database>; queue: Queue; intervalMs: number; staleMs: number; publish: PublishConfirmation; logger: Logger }): { stop(): void } {
  return every(
    deps.intervalMs,
    "confirmation sweep",
    async () => {
      for (const o of await autoCallCandidates(deps.db)) {
        await enqueueConfirmationCall(deps.queue, { orderId: o.id, locationId: o.location_id }, o.confirmation_attempts + 1);
      }
      for (const s of await staleDialling(deps.db, deps.staleMs)) {
        const why = "the worker stopped while dialling; whether the call went out is unknown, so it was not dialled again";
        await finishNotification(deps.db, s.attemptId, { state: "unconfirmed", detail: why });
        deps.publish(await failCalled(deps.db, s.id, why));
      }
    },
    deps.logger,
  );
}
