import type { DbHandle } from "@orderline/db";
import type { Scenario } from "./scenarios.ts";

type Db = DbHandle["db"];

/** One order a call submitted, as stored in Postgres (drafts are not submitted orders). */
export interface CallOrder {
  number: number | null;
  state: string;
  type: string;
  name: string | null;
  phone: string | null;
  address: { street: string | null; unit: string | null; postalCode: string | null };
  lines: { item: string; size: string | null; quantity: number; modifiers: string[]; lineTotalCents: number }[];
  subtotalCents: number;
  taxCents: number;
  deliveryFeeCents: number;
  totalCents: number;
}

/** The orders a call submitted, oldest first, with their lines and modifiers ("no Onions", "extra Cheese"). */
export async function callOrders(db: Db, callSid: string): Promise<CallOrder[]> {
  const orders = await db.selectFrom("orders").selectAll().where("call_sid", "=", callSid).where("state", "!=", "draft").orderBy("created_at").execute();
  const out: CallOrder[] = [];
  for (const o of orders) {
    const items = await db.selectFrom("order_items").selectAll().where("order_id", "=", o.id).orderBy("position").execute();
    const mods = items.length
      ? await db
          .selectFrom("order_item_modifiers")
          .select(["order_item_id", "name", "action"])
          .where(
            "order_item_id",
            "in",
            items.map((i) => i.id),
          )
          .execute()
      : [];
    out.push({
      number: o.order_number,
      state: o.state,
      type: o.order_type,
      name: o.customer_name,
      phone: o.customer_phone,
      address: { street: o.delivery_address_line1, unit: o.delivery_address_line2, postalCode: o.delivery_postal_code },
      lines: items.map((i) => ({
        item: i.product_name,
        size: i.size_name,
        quantity: i.quantity,
        modifiers: mods.filter((m) => m.order_item_id === i.id).map((m) => (m.action === "add" ? m.name : `${m.action} ${m.name}`)),
        lineTotalCents: i.line_total_cents,
      })),
      subtotalCents: o.subtotal_cents,
      taxCents: o.tax_cents,
      deliveryFeeCents: o.delivery_fee_cents,
      totalCents: o.total_cents,
    });
  }
  return out;
}

type ExpectedOrder = Extract<Scenario["expect"], { order: unknown }>["order"];

/** How a submitted order differs from the one a scenario expects (type, name, phone, address, lines); [] when exact. */
export function orderProblems(want: ExpectedOrder, order: CallOrder): string[] {
  const problems: string[] = [];
  if (order.type !== want.type) problems.push(`type ${order.type}, expected ${want.type}`);
  if (order.name !== want.name) problems.push(`name ${order.name}, expected ${want.name}`);
  if (order.phone !== want.phone) problems.push(`phone ${order.phone}, expected ${want.phone}`);
  if (want.address && JSON.stringify(order.address) !== JSON.stringify(want.address)) problems.push(`address ${JSON.stringify(order.address)}, expected ${JSON.stringify(want.address)}`);
  const lineKey = (l: { item: string; size: string | null; quantity: number; modifiers: string[] }) =>
    `${l.quantity} × ${l.item}${l.size ? ` (${l.size})` : ""}${l.modifiers.length ? ` [${[...l.modifiers].sort().join(", ")}]` : ""}`;
  const got = order.lines.map(lineKey).sort();
  const expected = want.lines.map(lineKey).sort();
  if (JSON.stringify(got) !== JSON.stringify(expected)) problems.push(`lines ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
  return problems;
}

/** Words a scenario expects the agent to have said that it never did. */
export function unsaidProblems(scenario: Scenario, saidByAgent: readonly string[]): string[] {
  const said = saidByAgent.join("\n").toLowerCase();
  return scenario.expect.said.filter((w) => !said.includes(w.toLowerCase())).map((w) => `the agent never said "${w}"`);
}

/** A caller turn as played: the text (repeated when the scenario says so) and its recognition confidence. */
export function expandTurn(t: Scenario["turns"][number]): { text: string; confidence?: number } {
  if (typeof t === "string") return { text: t };
  const text = t.repeat ? t.text.repeat(t.repeat) : t.text;
  return t.confidence === undefined ? { text } : { text, confidence: t.confidence };
}

/** Digit runs of 13–19 digits (card numbers) in a caller turn, spaces and dashes ignored. */
export function cardNumbers(text: string): string[] {
  return (text.match(/\d[\d\s-]{11,}\d/g) ?? []).map((m) => m.replace(/\D/g, "")).filter((d) => d.length >= 13 && d.length <= 19);
}
