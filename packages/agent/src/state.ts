import { OrderType } from "@orderline/contracts";
import { z } from "zod";

/** One item the caller asked for, as the add_item arguments it becomes (the order service resolves and prices it). */
export const ItemRequest = z.object({
  item: z.string().min(1).max(120),
  quantity: z.number().int().min(1).max(50),
  size: z.string().max(120).optional(),
  modifiers: z.array(z.object({ name: z.string().min(1).max(120), action: z.enum(["add", "no", "extra"]) })).max(20),
});
export type ItemRequest = z.infer<typeof ItemRequest>;

/** An item waiting for its size, with the sizes (and prices) the order service listed for it. */
export const PendingItem = ItemRequest.extend({ choices: z.array(z.string().max(60)).max(12) });
export type PendingItem = z.infer<typeof PendingItem>;

export const Phase = z.enum(["ordering", "size", "order_type", "name", "phone", "address", "confirm", "done"]);
export type Phase = z.infer<typeof Phase>;

/**
 * The dialogue state between turns. JSON, small (the gateway keeps it in the call's Redis session), and it never
 * holds what the caller said verbatim: only what the order needs (items as tool arguments, name, phone, address).
 */
export const AgentState = z.object({
  v: z.literal(1),
  lang: z.enum(["en", "es"]),
  phase: Phase,
  orderType: OrderType.nullable(),
  /** start_order was called. */
  started: z.boolean(),
  /** Items waiting for a size (the first is being asked about). */
  pending: z.array(PendingItem).max(10),
  /** An item said that needs the caller to pick what they meant ("Did you mean the A or the B?"). */
  clarify: z.object({ request: ItemRequest, candidates: z.array(z.string().max(120)).min(1).max(6) }).nullable(),
  /** The last item added (for "another one", "make that a medium", "no, three"). */
  last: z.object({ request: ItemRequest, lineId: z.string().max(64), name: z.string().max(120) }).nullable(),
  /** The menu item last talked about in an answer ("a large one then"). */
  topic: z.string().max(120).nullable(),
  upsellOffered: z.boolean(),
  /** The caller said "that's it": collect what the order needs, read back, submit. */
  checkout: z.boolean(),
  name: z.string().max(80).nullable(),
  /** Digits of the phone number the caller gave, or "caller_id" for the number they call from. */
  phone: z.string().max(20).nullable(),
  address: z.object({ street: z.string().max(200), unit: z.string().max(50).optional(), postal_code: z.string().max(10).optional() }).nullable(),
  /** Turns in a row that were not understood (two re-prompts, then a transfer). */
  failures: z.number().int().min(0),
  /** Questions in a row that could not be answered. */
  unanswered: z.number().int().min(0),
});
export type AgentState = z.infer<typeof AgentState>;

export function initialState(language: string): AgentState {
  return {
    v: 1,
    lang: language.toLowerCase().startsWith("es") ? "es" : "en",
    phase: "ordering",
    orderType: null,
    started: false,
    pending: [],
    clarify: null,
    last: null,
    topic: null,
    upsellOffered: false,
    checkout: false,
    name: null,
    phone: null,
    address: null,
    failures: 0,
    unanswered: 0,
  };
}

/** The state the gateway handed back, checked: a malformed one is a bug on the caller's side, named clearly. */
export function parseState(raw: unknown): AgentState {
  const parsed = AgentState.safeParse(raw);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join(".") || "(state)"}: ${i.message}`).join("; ");
    throw new TypeError(`local agent: invalid state: ${where}`);
  }
  return parsed.data;
}
