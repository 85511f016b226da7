import { formatIssues } from "@orderline/contracts";
import { z } from "zod";

/**
 * Prices come from configuration (vendors change them; contracts differ): USD as published, converted once to
 * integer micro-dollars so every cost is exact integer arithmetic. Token prices are USD per 1 000 000 tokens,
 * which is the same number as micro-dollars per token; they are kept as micro-dollars per 1 000 000 tokens.
 */
const USD = /^\d{1,6}(\.\d{1,6})?$/;

/** "0.0085" → 8 500 micro-dollars. */
export function usdToMicros(usd: string): number {
  const [whole = "0", frac = ""] = usd.split(".");
  return Number(whole) * 1_000_000 + Number(frac.padEnd(6, "0"));
}

const UsdAmount = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === "number" ? String(v) : v.trim()))
  .refine((v) => USD.test(v), "must be a USD amount like 32 or 0.40 (at most 6 decimals)")
  .transform(usdToMicros);

/** Per-model token prices, USD per 1M tokens; a model without audio leaves the audio prices out. */
export const ModelPrice = z.strictObject({
  textInput: UsdAmount,
  cachedInput: UsdAmount,
  textOutput: UsdAmount,
  audioInput: UsdAmount.optional(),
  audioOutput: UsdAmount.optional(),
});
export type ModelPrice = z.output<typeof ModelPrice>;

export const ModelPrices = z.record(z.string().min(1), ModelPrice);
/** Micro-dollars per 1M tokens, by model name. */
export type ModelPrices = z.output<typeof ModelPrices>;

/** Parses MODEL_PRICES (JSON); returns the problem as text for the config error. */
export function parseModelPrices(raw: string): { ok: true; value: ModelPrices } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, problem: "is not valid JSON" };
  }
  const r = ModelPrices.safeParse(json);
  if (!r.success) return { ok: false, problem: formatIssues(r.error.issues, "(prices)") };
  if (Object.keys(r.data).length === 0) return { ok: false, problem: "lists no model" };
  return { ok: true, value: r.data };
}

export { USD as USD_AMOUNT_PATTERN };
