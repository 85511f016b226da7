import { setTimeout as sleep } from "node:timers/promises";
import type { OrderReadyCallJob } from "@orderline/contracts";
import type { Database, OrderNotification } from "@orderline/db";
import type { JobContext } from "@orderline/runtime";
import type { Counter } from "@orderline/telemetry";
import { UnrecoverableError } from "bullmq";
import type { Kysely } from "kysely";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { type QuietHours, quietUntil } from "../domain/quiet-hours.ts";
import { beginNotification, finishNotification, getNotification, latestNotification, loadNotifiableOrder, markAccepted, setReadyCallOutcome } from "../repositories/orders.ts";
import { attemptStateOf, placeAmdCall, refusedByTwilio, type TwilioClient } from "../twilio-client.ts";

export interface OrderReadyDeps {
  db: Kysely<Database>;
  twilio: TwilioClient;
  publicBaseUrl: string;
  quietHours: QuietHours;
  maxAttempts: number;
  retryDelayMs: number;
  ringSeconds: number;
  outcomeTimeoutMs: number;
  defaultOutboundNumber: string | undefined;
  callsPlaced: Counter<"outcome">;
  now?: () => Date;
}

const FINAL_REACHED = new Set(["answered", "voicemail"]);
const RETRYABLE = new Set(["busy", "no_answer", "failed", "canceled"]);
const POLL_MS = 250;

/** E.164 and a number libphonenumber considers valid, else the reason. */
export function phoneProblem(phone: string | null): string | null {
  if (!phone) return "the order has no customer phone";
  const parsed = parsePhoneNumberFromString(phone);
  if (!parsed || parsed.number !== phone) return "the customer phone is not an E.164 number";
  if (!parsed.isValid()) return "the customer phone is not a valid number";
  return null;
}

/**
 * One "your order is ready" call per order. Every dial attempt is written to order_notifications (state
 * dialling) before Twilio is asked: a run that finds a dialling attempt it did not finish (its worker died) never
 * dials again. Busy / no answer / failed are retried with doubling backoff up to the limit; quiet hours postpone
 * the job; opted-out customers and invalid numbers are recorded on the order and not called.
 */
export async function orderReadyCall(job: OrderReadyCallJob, ctx: JobContext, deps: OrderReadyDeps): Promise<{ outcome: string }> {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const order = await loadNotifiableOrder(db, job.orderId);
  if (!order) throw new UnrecoverableError(`order ${job.orderId} does not exist`);
  if (order.locationId !== job.locationId) throw new UnrecoverableError(`order ${job.orderId} belongs to another location than ${job.locationId}`);
  if (order.readyCallOutcome) return { outcome: `already ${order.readyCallOutcome}` };
  if (order.state === "cancelled" || order.state === "draft") return { outcome: `not called: order is ${order.state}` };
  if (order.optedOut) {
    await setReadyCallOutcome(db, order.id, "opted_out", "the customer replied STOP");
    return { outcome: "opted_out" };
  }
  const problem = phoneProblem(order.customerPhone);
  if (problem) {
    await setReadyCallOutcome(db, order.id, "invalid_phone", problem);
    return { outcome: "invalid_phone" };
  }
  const from = order.location.outboundNumber ?? deps.defaultOutboundNumber ?? order.location.publicPhone;

  let last = await latestNotification(db, order.id, "ready_call");
  if (last?.state === "dialling") {
    // A worker wrote "dialling" and stopped before it knew whether Twilio placed the call: never risk a second one.
    await finishNotification(db, last.id, { state: "unconfirmed", detail: "the worker stopped while dialling; not dialled again" });
    await setReadyCallOutcome(db, order.id, "unconfirmed", "the worker stopped while dialling; not dialled again");
    deps.callsPlaced.inc({ outcome: "unconfirmed" });
    return { outcome: "unconfirmed" };
  }
  if (last?.state === "placed") last = await awaitOutcome(last, ctx, deps);
  if (last && FINAL_REACHED.has(last.state)) {
    await setReadyCallOutcome(db, order.id, last.state as "answered" | "voicemail", null);
    return { outcome: last.state };
  }
  if (last && RETRYABLE.has(last.state)) {
    if (last.attempt >= deps.maxAttempts) {
      await setReadyCallOutcome(db, order.id, "unreachable", `${last.attempt} attempts, last ${last.state}`);
      return { outcome: "unreachable" };
    }
    const retryAt = (last.finished_at ?? last.updated_at).getTime() + deps.retryDelayMs * 2 ** (last.attempt - 1);
    if (retryAt > now().getTime()) return ctx.postpone(retryAt, `attempt ${last.attempt} ${last.state}: retry with backoff`);
  }
  if (last?.state === "unconfirmed") return { outcome: "unconfirmed" };

  const quietEnd = quietUntil(now(), order.location.timezone, deps.quietHours);
  if (quietEnd) return ctx.postpone(quietEnd.getTime(), "quiet hours at the location");

  const attempt = (last?.attempt ?? 0) + 1;
  const id = await beginNotification(db, { orderId: order.id, kind: "ready_call", attempt, state: "dialling", to: order.customerPhone!, from });
  if (!id) throw new Error(`attempt ${attempt} of the ready call for order ${order.id} is already being dialled by another run`);
  const base = `${deps.publicBaseUrl}/twilio/order-ready/${id}`;
  let sid: string;
  try {
    sid = await placeAmdCall(deps.twilio, { to: order.customerPhone!, from, base, ringSeconds: deps.ringSeconds });
  } catch (err) {
    const refused = refusedByTwilio(err);
    if (!refused) throw err; // unknown whether a call was placed: the next run finds "dialling" and stops there
    await finishNotification(db, id, { state: "failed", detail: `Twilio refused the call: ${refused.code} ${refused.message}` });
    deps.callsPlaced.inc({ outcome: "refused" });
    if ([21211, 21214, 21215, 21216, 21217, 13223, 13224].includes(refused.code)) {
      await setReadyCallOutcome(db, order.id, "invalid_phone", `Twilio ${refused.code}: ${refused.message}`);
      return { outcome: "invalid_phone" };
    }
    return ctx.postpone(now().getTime() + deps.retryDelayMs * 2 ** (attempt - 1), `Twilio refused attempt ${attempt}`);
  }
  await markAccepted(db, id, sid, "placed");
  const placed = (await getNotification(db, id))!;
  const done = await awaitOutcome(placed, ctx, deps);
  if (FINAL_REACHED.has(done.state)) {
    await setReadyCallOutcome(db, order.id, done.state as "answered" | "voicemail", null);
    return { outcome: done.state };
  }
  if (attempt >= deps.maxAttempts) {
    await setReadyCallOutcome(db, order.id, "unreachable", `${attempt} attempts, last ${done.state}`);
    return { outcome: "unreachable" };
  }
  return ctx.postpone(now().getTime() + deps.retryDelayMs * 2 ** (attempt - 1), `attempt ${attempt} ${done.state}: retry with backoff`);
}

/**
 * Waits for the attempt's final state (written by the status callback). After the timeout Twilio is asked; a
 * call still in progress, or a worker shutting down, puts the job back in the queue to look again later.
 */
async function awaitOutcome(attempt: OrderNotification, ctx: JobContext, deps: OrderReadyDeps): Promise<OrderNotification> {
  const deadline = Date.now() + deps.outcomeTimeoutMs;
  let current = attempt;
  while (current.state === "placed") {
    if (ctx.signal.aborted) return ctx.postpone(Date.now(), "worker shutting down while a call is in progress");
    if (Date.now() >= deadline) {
      const call = await deps.twilio.calls(current.provider_sid!).fetch();
      const state = attemptStateOf(call.status, call.answeredBy ?? null);
      if (!state) return ctx.postpone(Date.now() + deps.outcomeTimeoutMs, `call ${call.sid} still ${call.status}`);
      const changed = await finishNotification(deps.db, current.id, { state, answeredBy: call.answeredBy ?? null, durationSeconds: call.duration ? Number(call.duration) : null });
      if (changed) deps.callsPlaced.inc({ outcome: state });
      return (await getNotification(deps.db, current.id))!;
    }
    await sleep(POLL_MS);
    current = (await getNotification(deps.db, current.id)) ?? current;
  }
  return current;
}
