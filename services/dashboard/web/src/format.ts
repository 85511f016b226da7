import { formatCents as money } from "@orderline/contracts";
import type { Location, Target, Targeted } from "./types.ts";

const usdFine = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 4, maximumFractionDigits: 4 });
const count = new Intl.NumberFormat("en-US");

export const dash = "—";
export const formatCount = (n: number) => count.format(n);
export const formatCents = (cents: number | null | undefined) => (cents == null ? dash : money(cents));
/** Micro-dollars (1 USD = 1 000 000) to dollars with four decimals: AI and telephony costs are fractions of a cent. */
export const formatMicros = (micros: number | null | undefined) => (micros == null ? dash : usdFine.format(micros / 1_000_000));
export const formatPercent = (fraction: number | null | undefined) => (fraction == null ? dash : `${(fraction * 100).toFixed(1)} %`);

export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds == null) return dash;
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/**
 * A UTC instant in the location's own timezone, never the browser's: "Jun 17, 7:42 PM EDT" (with the date, the
 * zone is named: a chain's list mixes zones), "7:42 PM" or "7:42:05 PM" on a page of one location's day. A
 * location the user cannot see (no timezone known) is shown in UTC, saying so.
 */
export function formatLocalTime(iso: string | null | undefined, timezone: string | undefined, opts: { date?: boolean; seconds?: boolean } = {}): string {
  if (!iso) return dash;
  const date = opts.date ?? true;
  return new Intl.DateTimeFormat("en-US", {
    ...(date ? { month: "short", day: "numeric" } : {}),
    hour: "numeric",
    minute: "2-digit",
    ...(opts.seconds ? { second: "2-digit" } : {}),
    ...(date || !timezone ? { timeZoneName: "short" } : {}),
    timeZone: timezone ?? "UTC",
  }).format(new Date(iso));
}

/** "completion_rate" → "completion rate"; enum values shown as words. */
export const words = (s: string | null | undefined) => (s ? s.replaceAll("_", " ") : dash);

/** "target > 85 %" / "target < 4:00" in the figure's own unit. */
export function formatTarget(t: Target, unit: (n: number) => string): string {
  return "above" in t ? `target > ${unit(t.above)}` : `target < ${unit(t.below)}`;
}

/** "met" (green), "missed" (red) or "none" (nothing to measure yet). */
export const targetState = (t: Targeted): "met" | "missed" | "none" => (t.met === null ? "none" : t.met ? "met" : "missed");

export const locationName = (locations: readonly Location[], id: string) => locations.find((l) => l.id === id)?.name ?? "unknown location";
