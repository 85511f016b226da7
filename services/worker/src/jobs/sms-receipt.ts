import type { SmsReceiptJob } from "@orderline/contracts";
import type { Database } from "@orderline/db";
import type { JobContext } from "@orderline/runtime";
import { UnrecoverableError } from "bullmq";
import type { Kysely } from "kysely";
import { receiptSms } from "../domain/messages.ts";
import { beginNotification, finishNotification, latestNotification, loadNotifiableOrder, markAccepted, orderLines } from "../repositories/orders.ts";
import { refusedByTwilio, type TwilioClient } from "../twilio-client.ts";
import { phoneProblem } from "./order-ready-call.ts";

export interface SmsReceiptDeps {
  db: Kysely<Database>;
  twilio: TwilioClient;
  deliveryWindowMinutes: number;
  defaultOutboundNumber: string | undefined;
}

/** Twilio: the recipient replied STOP to this sender. */
const UNSUBSCRIBED = 21610;

/**
 * The text receipt of a submitted voice order, sent once: the attempt is written (state sending) before Twilio
 * is asked, so a run that finds it never sends again. Opted-out customers and bad numbers get nothing.
 */
export async function smsReceipt(job: SmsReceiptJob, ctx: JobContext, deps: SmsReceiptDeps): Promise<{ outcome: string }> {
  const result = await sendReceipt(job, ctx, deps);
  ctx.logger.info({ orderId: job.orderId, outcome: result.outcome }, "receipt job done");
  return result;
}

async function sendReceipt(job: SmsReceiptJob, ctx: JobContext, deps: SmsReceiptDeps): Promise<{ outcome: string }> {
  const { db } = deps;
  const order = await loadNotifiableOrder(db, job.orderId);
  if (!order) throw new UnrecoverableError(`order ${job.orderId} does not exist`);
  if (order.locationId !== job.locationId) throw new UnrecoverableError(`order ${job.orderId} belongs to another location than ${job.locationId}`);
  if (order.channel !== "voice") return { outcome: "not a voice order" };
  if (order.optedOut) return { outcome: "opted out" };
  const problem = phoneProblem(order.customerPhone);
  if (problem) return { outcome: `not sent: ${problem}` };
  const existing = await latestNotification(db, order.id, "receipt_sms");
  if (existing) {
    if (existing.state === "sending") await finishNotification(db, existing.id, { state: "unconfirmed", detail: "the worker stopped while sending; not sent again" });
    return { outcome: `already ${existing.state === "sending" ? "unconfirmed" : existing.state}` };
  }
  const from = order.location.outboundNumber ?? deps.defaultOutboundNumber ?? order.location.publicPhone;
  const body = receiptSms({
    locationName: order.location.name,
    language: order.location.language,
    timezone: order.location.timezone,
    orderNumber: order.orderNumber,
    orderType: order.orderType,
    items: await orderLines(db, order.id),
    totalCents: order.totalCents,
    promisedAt: order.promisedAt,
    deliveryWindowMinutes: deps.deliveryWindowMinutes,
    payOnlineUrl: order.location.payOnlineUrlTemplate
      ? order.location.payOnlineUrlTemplate.replaceAll("{orderId}", order.id).replaceAll("{orderNumber}", String(order.orderNumber ?? ""))
      : null,
  });
  const id = await beginNotification(db, { orderId: order.id, kind: "receipt_sms", attempt: 1, state: "sending", to: order.customerPhone!, from });
  if (!id) return { outcome: "already being sent" };
  try {
    const msg = await deps.twilio.messages.create({ to: order.customerPhone!, from, body });
    await markAccepted(db, id, msg.sid, "sent");
    ctx.logger.debug({ orderId: order.id, messageSid: msg.sid }, "receipt accepted by Twilio");
    return { outcome: "sent" };
  } catch (err) {
    const refused = refusedByTwilio(err);
    if (!refused) throw err; // unknown whether it went out: the next run finds "sending" and stops there
    await finishNotification(db, id, { state: "failed", detail: `Twilio refused the message: ${refused.code} ${refused.message}` });
    if (refused.code === UNSUBSCRIBED) {
      await db
        .insertInto("customers")
        .values({ brand_id: order.location.brandId, phone: order.customerPhone!, sms_opt_out: true })
        .onConflict((oc) => oc.constraint("customers_brand_phone_key").doUpdateSet({ sms_opt_out: true }))
        .execute();
    }
    return { outcome: `refused ${refused.code}` };
  }
}
