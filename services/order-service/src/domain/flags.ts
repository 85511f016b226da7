import { formatCents } from "@orderline/contracts";

export interface LargeOrderThresholds {
  /** Strictly above this total (cents) the order is flagged. */
  totalCents: number;
  /** Strictly above this many items the order is flagged. */
  itemCount: number;
}

export interface OrderFlags {
  largeOrder: boolean;
  largeOrderReason?: string;
}

/** Large / catering orders come back flagged so the gateway can offer a transfer to staff with the order so far. */
export function orderFlags(totals: { totalCents: number; itemCount: number }, limits: LargeOrderThresholds): OrderFlags {
  const reasons: string[] = [];
  if (totals.totalCents > limits.totalCents) reasons.push(`total ${formatCents(totals.totalCents)} is over ${formatCents(limits.totalCents)}`);
  if (totals.itemCount > limits.itemCount) reasons.push(`${totals.itemCount} items is over ${limits.itemCount}`);
  return reasons.length > 0 ? { largeOrder: true, largeOrderReason: reasons.join("; ") } : { largeOrder: false };
}
