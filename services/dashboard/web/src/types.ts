/** The dashboard API's answers as the page reads them (docs/DASHBOARD-API.md is the contract). */

export interface Location {
  id: string;
  slug: string;
  name: string;
  timezone: string;
}

export interface User {
  id: string;
  email: string;
  displayName: string;
  role: "manager" | "staff";
  locations: Location[];
}

export interface Session {
  user: User;
  csrfToken: string;
}

import type { Kpis } from "../../src/domain/kpis.ts";

/** The KPI shapes are the server's own (type-only: nothing of the server's code is bundled). */
export type { Kpis, Targeted } from "../../src/domain/kpis.ts";
export type Target = Kpis["completionRate"]["target"];

export type PeriodName = "today" | "week" | "month";
export interface KpiPeriod {
  ranges: Record<string, { from: string; to: string }>;
  chain: Kpis;
  locations: Record<string, Kpis>;
}
export interface KpisAnswer {
  generatedAt: string;
  locations: Location[];
  periods: Record<PeriodName, KpiPeriod>;
}

export type Engine = "realtime" | "openai_text" | "local" | "unknown";
export interface ChartsAnswer {
  range: { from: string; to: string };
  callsPerDay: { date: string; calls: number; completed: number; transferred: number; abandoned: number; withOrder: number }[];
  heatmap: { weekday: number; hour: number; calls: number }[];
  transferReasons: { reason: string; calls: number }[];
  outcomes: { completed: number; transferred: number; abandoned: number; other: number };
  costPerDay: { date: string; engine: Engine; costMicros: number; calls: number; unpricedCalls: number }[];
}

export interface CallRow {
  id: string;
  callSid: string;
  locationId: string;
  from: string;
  startedAt: string;
  durationSeconds: number | null;
  outcome: string;
  transferReason: string | null;
  engine: Engine | null;
  orderIds: string[];
  orderNumbers: number[];
  totalCostMicros: number | null;
}
export interface CallsAnswer {
  range: { from: string; to: string };
  nextCursor: string | null;
  calls: CallRow[];
}

export type TimelineEntry =
  | { kind: "turn"; at: string | null; role: "caller" | "assistant" | "system" | "staff"; text: string; sentiment: number | null }
  | { kind: "tool"; at: string; name: string; arguments: unknown; ok: boolean; result: string | null; latencyMs: number | null }
  | { kind: "event"; at: string; type: string; data: Record<string, unknown> };

export interface CallOrder {
  id: string;
  orderNumber: number;
  state: string;
  orderType: string;
  customerName: string | null;
  customerPhone: string | null;
  subtotalCents: number;
  discountCents: number;
  taxCents: number;
  deliveryFeeCents: number;
  totalCents: number;
  submittedAt: string | null;
  lines: { name: string; size: string | null; quantity: number; unitPriceCents: number; lineTotalCents: number }[];
}

export interface CallDetail {
  id: string;
  callSid: string;
  locationId: string;
  from: string;
  to: string;
  startedAt: string;
  endedAt: string | null;
  durationSeconds: number | null;
  outcome: string;
  endReason: string | null;
  transferReason: string | null;
  engines: string[];
  transports: string[];
  finalized: boolean;
  cost: { telephonyMicros: number | null; aiMicros: number | null; totalMicros: number | null };
  timeline: TimelineEntry[];
  orders: CallOrder[];
  escalation: { reason: string; detail: string | null; summary: string | null; state: string; at: string } | null;
  callback: { id: string; state: string; cause: string | null; summary: string | null; expectedBy: string | null; doneAt: string | null; doneBy: string | null } | null;
  survey: { state: string; score: number | null; repliedAt: string | null } | null;
}

export interface BoardOrder {
  id: string;
  locationId: string;
  orderNumber: number;
  state: string;
  channel: string;
  orderType: string;
  customerName: string | null;
  customerPhone: string | null;
  totalCents: number;
  businessDate: string;
  submittedAt: string | null;
  promisedAt: string | null;
  readyAt: string | null;
  readyCallOutcome: string | null;
  lines: { name: string; size: string | null; quantity: number }[];
}
export interface BoardAnswer {
  days: { locationId: string; date: string }[];
  states: string[];
  orders: BoardOrder[];
}
export interface OrderEvent {
  orderId: string;
  locationId: string;
  orderNumber: number;
  from: string | null;
  to: string;
  at: string;
  actor: string | null;
  order: BoardOrder | null;
}

export interface Callback {
  id: string;
  locationId: string;
  callId: string | null;
  callerPhone: string;
  reason: string;
  summary: string | null;
  cause: string | null;
  orderSoFar: unknown;
  expectedBy: string | null;
  state: "open" | "done";
  staffNotified: boolean;
  doneAt: string | null;
  doneBy: string | null;
  note: string | null;
  createdAt: string;
}
