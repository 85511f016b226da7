/** Sums over one location's calls, orders and survey replies in one period (what the repository reads). */
export interface KpiSums {
  calls: number;
  completed: number;
  transferred: number;
  abandoned: number;
  /** Calls on which at least one order was submitted. */
  callsWithOrder: number;
  /** Σ duration_seconds and how many calls had one. */
  durationSeconds: number;
  durationCalls: number;
  /** Σ total_cost_micros and how many calls had a known cost. */
  costMicros: number;
  costedCalls: number;
  /** Calls that came in while the location was closed. */
  afterHours: number;
  /** Orders by channel (submitted in the period, not cancelled) and their totals. */
  voiceOrders: number;
  voiceRevenueCents: number;
  otherOrders: number;
  otherRevenueCents: number;
  /** Survey replies (1–5) of the period's calls. */
  surveyScoreSum: number;
  surveyReplies: number;
  /** Whether a location of these sums sends the survey. */
  surveyEnabled: boolean;
}

export const EMPTY_SUMS: KpiSums = {
  calls: 0,
  completed: 0,
  transferred: 0,
  abandoned: 0,
  callsWithOrder: 0,
  durationSeconds: 0,
  durationCalls: 0,
  costMicros: 0,
  costedCalls: 0,
  afterHours: 0,
  voiceOrders: 0,
  voiceRevenueCents: 0,
  otherOrders: 0,
  otherRevenueCents: 0,
  surveyScoreSum: 0,
  surveyReplies: 0,
  surveyEnabled: false,
};

/** Chain-wide sums are sums of the locations' sums (never an average of averages). */
export function addSums(a: KpiSums, b: KpiSums): KpiSums {
  const out = { ...a };
  for (const k of Object.keys(b) as (keyof KpiSums)[]) {
    if (k === "surveyEnabled") out.surveyEnabled = a.surveyEnabled || b.surveyEnabled;
    else out[k] = a[k] + b[k];
  }
  return out;
}

/** The seed's monitoring targets. */
export const TARGETS = {
  completionRate: { above: 0.85 },
  conversionRate: { above: 0.7 },
  averageCallSeconds: { below: 240 },
  transferRate: { below: 0.15 },
  satisfaction: { above: 4.0 },
} as const;

export interface Targeted {
  value: number | null;
  target: { above: number } | { below: number };
  /** null when there is no value (no calls, no replies). */
  met: boolean | null;
}

export interface Kpis {
  calls: number;
  completedCalls: number;
  transferredCalls: number;
  abandonedCalls: number;
  voiceOrders: number;
  voiceRevenueCents: number;
  completionRate: Targeted;
  conversionRate: Targeted;
  transferRate: Targeted;
  averageCallSeconds: Targeted;
  averageOrderValueCents: { voice: number | null; other: number | null };
  costPerCallMicros: number | null;
  costPerOrderMicros: number | null;
  afterHoursShare: number | null;
  satisfaction: Targeted & { enabled: boolean; responses: number };
}

const ratio = (n: number, d: number, places: number): number | null => (d === 0 ? null : Math.round((n / d) * 10 ** places) / 10 ** places);
/** Rounded to a whole number, halves up (money and micro-dollars stay integers). */
const whole = (n: number, d: number): number | null => (d === 0 ? null : Math.floor(n / d + 0.5));

function targeted(value: number | null, target: { above: number } | { below: number }): Targeted {
  const met = value === null ? null : "above" in target ? value > target.above : value < target.below;
  return { value, target, met };
}

/**
 * The KPIs of one period from its sums: rates are fractions of the period's calls (4 decimals), the average call
 * in seconds (1 decimal), money in whole cents and costs in whole micro-dollars (halves up), satisfaction on 1–5
 * (2 decimals). Cost per order = the calls' cost over the voice orders placed.
 */
export function computeKpis(s: KpiSums): Kpis {
  return {
    calls: s.calls,
    completedCalls: s.completed,
    transferredCalls: s.transferred,
    abandonedCalls: s.abandoned,
    voiceOrders: s.voiceOrders,
    voiceRevenueCents: s.voiceRevenueCents,
    completionRate: targeted(ratio(s.completed, s.calls, 4), TARGETS.completionRate),
    conversionRate: targeted(ratio(s.callsWithOrder, s.calls, 4), TARGETS.conversionRate),
    transferRate: targeted(ratio(s.transferred, s.calls, 4), TARGETS.transferRate),
    averageCallSeconds: targeted(ratio(s.durationSeconds, s.durationCalls, 1), TARGETS.averageCallSeconds),
    averageOrderValueCents: { voice: whole(s.voiceRevenueCents, s.voiceOrders), other: whole(s.otherRevenueCents, s.otherOrders) },
    costPerCallMicros: whole(s.costMicros, s.costedCalls),
    costPerOrderMicros: whole(s.costMicros, s.voiceOrders),
    afterHoursShare: ratio(s.afterHours, s.calls, 4),
    satisfaction: {
      ...targeted(s.surveyEnabled ? ratio(s.surveyScoreSum, s.surveyReplies, 2) : null, TARGETS.satisfaction),
      enabled: s.surveyEnabled,
      responses: s.surveyReplies,
    },
  };
}
