/**
 * Prices a text reply may name: only those the call's tools returned. A sentence naming any other amount is
 * not spoken as is — the most common complaint about voice agents is a made-up price.
 */

/** Every `…Cents` number in a tool result (prices, totals, fees, minimums). */
export function centsIn(value: unknown, out: number[] = []): number[] {
  if (Array.isArray(value)) for (const v of value) centsIn(v, out);
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === "number" && Number.isInteger(v) && /cents$/i.test(k)) out.push(v);
      else if (typeof v === "object") centsIn(v, out);
    }
  }
  return out;
}

const DOLLAR = /\$\s?(\d{1,5}(?:,\d{3})*)(?:\.(\d{1,2}))?/g;
const WORDED = /\b(\d{1,5})(?:\.(\d{2}))?\s*(?:dollars?|bucks|d[oó]lares)\b/gi;

/** Amounts (cents) a text names: "$12.99", "12 dollars", "$4". */
export function pricesIn(text: string): number[] {
  const out: number[] = [];
  for (const re of [DOLLAR, WORDED]) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      const whole = Number((m[1] ?? "0").replace(/,/g, ""));
      const frac = m[2] ? Number(m[2].padEnd(2, "0")) : 0;
      out.push(whole * 100 + frac);
    }
  }
  return out;
}

/** The amounts in `sentence` no tool returned (empty = safe to speak). */
export function inventedPrices(sentence: string, known: ReadonlySet<number>): number[] {
  return pricesIn(sentence).filter((c) => !known.has(c));
}

/** Splits streamed text into sentences: complete ones come out, the rest waits for more text. */
export class SentenceBuffer {
  private pending = "";

  push(text: string): string[] {
    this.pending += text;
    const out: string[] = [];
    // A sentence ends at . ! ? (not inside a number like 12.99) followed by a space or the end of input so far.
    const re = /(?:[^.!?]|[.!?](?=\d))*?(?:[.!?](?!\d))+(?=\s|$)/y;
    for (;;) {
      re.lastIndex = 0;
      const m = re.exec(this.pending);
      if (!m || m[0].length === 0 || m.index + m[0].length === this.pending.length) break;
      out.push(m[0].trim());
      this.pending = this.pending.slice(m[0].length).replace(/^\s+/, "");
    }
    return out.filter((s) => s.length > 0);
  }

  /** Whatever is left at the end of the reply. */
  flush(): string[] {
    const rest = this.pending.trim();
    this.pending = "";
    return rest ? [rest] : [];
  }
}
