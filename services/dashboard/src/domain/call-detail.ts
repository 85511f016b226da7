import type { JsonObject, TranscriptTurn } from "@orderline/db";
import type { CallDetailRows } from "../repositories/calls.ts";
import { maskPhone, maskPhonesInJson, maskPhonesInText } from "./phone.ts";

/** One entry of a call's page, in conversational order (see `timeline`): something said, or a tool call with its outcome. */
export type TimelineEntry =
  | { kind: "turn"; at: string | null; role: TranscriptTurn["role"]; text: string; sentiment: number | null }
  | { kind: "tool"; at: string; name: string; arguments: unknown; ok: boolean; result: string | null; latencyMs: number | null }
  | { kind: "event"; at: string; type: string; data: JsonObject };

/** Events shown inline as they are; the rest (stream bookkeeping) stay out of the page. */
const SHOWN_EVENTS = new Set(["transfer", "escalation", "callback_requested", "fallback", "engine_error", "realtime_error", "error", "tool_error"]);

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

const ms = (iso: string | null | undefined): number | null => {
  const t = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(t) ? null : t;
};

/**
 * The redacted transcript turn by turn with the tool calls inline (name, arguments, result, latency, as the worker
 * stored them) and the notable events, in conversational order:
 * - turns by their own time (the gateway appends a turn when it is recorded, which for a caller turn comes after
 *   its assessment, so the stored list is not always in time order); a turn without a time keeps its place after
 *   the turn before it;
 * - a tool call or event goes before a turn only when it started strictly before it: a caller turn is stamped with
 *   when the caller's words were taken, so the tool calls answering them (started at that instant or later) follow
 *   it, and an assistant turn is stamped when its words were complete, after the tool calls it speaks about.
 */
export function timeline(turns: readonly TranscriptTurn[], events: CallDetailRows["events"]): TimelineEntry[] {
  // The events come in (timestamp, id) order (readCall).
  const fromEvents: { at: number; entry: TimelineEntry }[] = [];
  for (const e of events) {
    const at = e.timestamp.toISOString();
    const d = e.event_data;
    if (e.event_type === "tool_call") {
      const entry: TimelineEntry = {
        kind: "tool",
        at,
        name: typeof d["tool"] === "string" ? d["tool"] : "unknown",
        arguments: d["args"] ?? null,
        ok: d["ok"] === true,
        result: typeof d["result"] === "string" ? d["result"] : d["ok"] === true ? "ok" : typeof d["code"] === "string" ? `error: ${d["code"]}` : null,
        latencyMs: num(d["latencyMs"]) ?? num(d["ms"]),
      };
      fromEvents.push({ at: e.timestamp.getTime(), entry });
    } else if (SHOWN_EVENTS.has(e.event_type)) fromEvents.push({ at: e.timestamp.getTime(), entry: { kind: "event", at, type: e.event_type, data: d } });
  }
  let last = Number.MIN_SAFE_INTEGER; // untimed turns before the first timed one come first
  const timed = turns.map((t) => {
    last = ms(t.at) ?? last;
    return { at: last, entry: { kind: "turn", at: t.at ?? null, role: t.role, text: t.text, sentiment: t.sentiment ?? null } as TimelineEntry };
  });
  timed.sort((a, b) => a.at - b.at); // stable: turns of the same instant (or none) keep their stored order
  const out: TimelineEntry[] = [];
  let i = 0;
  for (const t of timed) {
    while (i < fromEvents.length && fromEvents[i]!.at < t.at) out.push(fromEvents[i++]!.entry);
    out.push(t.entry);
  }
  while (i < fromEvents.length) out.push(fromEvents[i++]!.entry);
  return out;
}

/** A timeline entry with the phone numbers in its words, arguments or data masked. */
function maskEntry(e: TimelineEntry, country: string | null): TimelineEntry {
  if (e.kind === "turn") return { ...e, text: maskPhonesInText(e.text, country) };
  if (e.kind === "tool") return { ...e, arguments: maskPhonesInJson(e.arguments, country) };
  return { ...e, data: maskPhonesInJson(e.data, country) };
}

/**
 * The call's page: record, timeline, orders with lines, cost, transfer and callback, survey reply. Without
 * `fullPhone` every number is masked: the caller's, the order's, and those said or written in the transcript,
 * tool arguments, events and staff summaries.
 */
export function callDetail(rows: CallDetailRows, fullPhone: boolean) {
  const { call } = rows;
  const country = call.location_country;
  const phone = (p: string | null) => (fullPhone ? p : maskPhone(p));
  const text = (t: string | null) => (fullPhone || t === null ? t : maskPhonesInText(t, country));
  const entries = timeline(call.transcript ?? [], rows.events);
  const engines = (call.usage["engines"] as string[] | undefined) ?? [];
  return {
    id: call.id,
    callSid: call.call_sid,
    locationId: call.location_id,
    from: phone(call.phone_from),
    to: call.phone_to,
    startedAt: call.started_at.toISOString(),
    endedAt: call.ended_at?.toISOString() ?? null,
    durationSeconds: call.duration_seconds,
    outcome: call.disposition,
    endReason: call.end_reason,
    transferReason: call.escalation_reason,
    engines,
    transports: (call.usage["transports"] as string[] | undefined) ?? [],
    cost: { telephonyMicros: call.telephony_cost_micros, aiMicros: call.ai_cost_micros, totalMicros: call.total_cost_micros },
    finalized: call.finalized_at !== null,
    timeline: fullPhone ? entries : entries.map((e) => maskEntry(e, country)),
    orders: rows.orders.map((o) => ({
      id: o.id,
      orderNumber: o.order_number,
      state: o.state,
      orderType: o.order_type,
      customerName: o.customer_name,
      customerPhone: phone(o.customer_phone),
      subtotalCents: o.subtotal_cents,
      discountCents: o.discount_cents,
      taxCents: o.tax_cents,
      deliveryFeeCents: o.delivery_fee_cents,
      totalCents: o.total_cents,
      submittedAt: o.submitted_at?.toISOString() ?? null,
      lines: rows.items
        .filter((i) => i.order_id === o.id)
        .map((i) => ({ name: i.product_name, size: i.size_name, quantity: i.quantity, unitPriceCents: i.unit_price_cents, lineTotalCents: i.line_total_cents })),
    })),
    escalation: rows.escalation && {
      reason: rows.escalation.reason,
      detail: text(rows.escalation.reason_detail),
      summary: text(rows.escalation.summary),
      state: rows.escalation.state,
      at: rows.escalation.created_at.toISOString(),
    },
    callback: rows.callback && {
      id: rows.callback.id,
      state: rows.callback.state,
      cause: rows.callback.cause,
      summary: text(rows.callback.summary),
      expectedBy: rows.callback.expected_by?.toISOString() ?? null,
      doneAt: rows.callback.done_at?.toISOString() ?? null,
      doneBy: rows.callback.done_by,
    },
    survey: rows.survey && { state: rows.survey.state, score: rows.survey.score, repliedAt: rows.survey.replied_at?.toISOString() ?? null },
  };
}
