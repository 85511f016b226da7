import type { OrderConfirmationCallJob } from "@orderline/contracts";
import type { Database } from "@orderline/db";
import type { JobContext } from "@orderline/runtime";
import type { Counter, Logger } from "@orderline/telemetry";
import { UnrecoverableError } from "bullmq";
import type { Kysely } from "kysely";
import type { PublishConfirmation } from "../confirmation-events.ts";
import { type QuietHours, quietUntil } from "../domain/quiet-hours.ts";
import { claimForCall, failCalled, failNew, loadConfirmationOrder, recordCallSid } from "../repositories/confirmations.ts";
import { finishNotification, markAccepted } from "../repositories/orders.ts";
import { placeAmdCall, refusedByTwilio, type TwilioClient } from "../twilio-client.ts";
import { phoneProblem } from "./order-ready-call.ts";

export interface ConfirmationCallDeps {
  db: Kysely<Database>;
  twilio: TwilioClient;
  publicBaseUrl: string;
  quietHours: QuietHours;
  ringSeconds: number;
  defaultOutboundNumber: string | undefined;
  publish: PublishConfirmation;
  calls: Counter<"outcome">;
  logger: Logger;
  now?: () => Date;
}

/**
 * One confirmation call per order (docs/CONFIRMATION.md). Only a NEW order with no lock is dialled: the lock and
 * CALLED are taken in the statement that checks them, together with the attempt row, before `calls.create` (which
 * is not idempotent). Whatever happens next, this job never dials the order again: Twilio's answer (AMD, status
 * callback) and the conversation move it on; a failure to dial leaves FAILED (retry on request).
 */
export async function orderConfirmationCall(job: OrderConfirmationCallJob, ctx: JobContext, deps: ConfirmationCallDeps): Promise<{ outcome: string }> {
  const { db } = deps;
  const order = await loadConfirmationOrder(db, job.orderId);
  if (!order) throw new UnrecoverableError(`order ${job.orderId} does not exist`);
  if (order.location_id !== job.locationId) throw new UnrecoverableError(`order ${job.orderId} belongs to another location than ${job.locationId}`);
  if (order.confirmation_state !== "new" || order.confirmation_locked_at !== null) return { outcome: `not called: the order is ${order.confirmation_state ?? "not awaiting confirmation"}` };
  const problem = order.lines === 0 ? "the order has no items" : phoneProblem(order.customer_phone);
  if (problem) {
    deps.publish(await failNew(db, order.id, `not called: ${problem}`));
    deps.calls.inc({ outcome: "refused" });
    return { outcome: "refused" };
  }
  const quietEnd = quietUntil((deps.now ?? (() => new Date()))(), order.location.timezone, deps.quietHours);
  if (quietEnd) return ctx.postpone(quietEnd.getTime(), "quiet hours at the location");

  const from = order.location.outboundNumber ?? deps.defaultOutboundNumber ?? order.location.publicPhone;
  const claim = await claimForCall(db, { orderId: order.id, to: order.customer_phone!, from });
  if (!claim) return { outcome: "not called: another run took the order" };
  deps.publish(claim.row);
  const base = `${deps.publicBaseUrl}/twilio/confirmation/${claim.attemptId}`;
  let sid: string;
  try {
    sid = await placeAmdCall(deps.twilio, { to: order.customer_phone!, from, base, ringSeconds: deps.ringSeconds });
  } catch (err) {
    const refused = refusedByTwilio(err);
    if (!refused) {
      // Unknown whether a call went out: the order stays CALLED (never re-dialled); the stale sweep or the status callback settles it.
      deps.logger.error({ err, orderId: order.id, attemptId: claim.attemptId }, "confirmation call: create failed without an answer");
      return { outcome: "unknown" };
    }
    await finishNotification(db, claim.attemptId, { state: "failed", detail: `Twilio refused the call: ${refused.code} ${refused.message}` });
    deps.publish(await failCalled(db, order.id, `Twilio refused the call: ${refused.code} ${refused.message}`));
    deps.calls.inc({ outcome: "refused" });
    return { outcome: "refused" };
  }
  await markAccepted(db, claim.attemptId, sid, "placed");
  await recordCallSid(db, order.id, sid);
  deps.calls.inc({ outcome: "placed" });
  return { outcome: "placed" };
}
