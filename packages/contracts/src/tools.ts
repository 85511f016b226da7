import { z } from "zod";
import { Cents } from "./money.ts";
import { TransferDecision } from "./escalation.ts";
import { ConfirmationState, EscalationReason, ModifierAction, ModifierKind, OrderState, OrderType } from "./enums.ts";
import { FinalOrder } from "./final-order.ts";

// Names people and speech recognition produce are short; a 2 KB "item name" is an attack or a bug.
const SpokenName = z.string().trim().min(1, "must not be empty").max(120, "is too long (120 characters at most)");
const Speech = z.string().describe("A short sentence the assistant can say as is.");

/* ---------- shared result pieces ---------- */

export const MenuItemSummary = z.object({
  productId: z.uuid(),
  name: z.string(),
  fromPriceCents: Cents,
  available: z.boolean(),
});
export type MenuItemSummary = z.infer<typeof MenuItemSummary>;

export const SizeOption = z.object({ variationId: z.uuid(), name: z.string(), priceCents: Cents });
export const ModifierChoice = z.object({
  modifierId: z.uuid(),
  name: z.string(),
  kind: ModifierKind,
  priceCents: Cents,
  extraPriceCents: Cents.nullable(),
});
export const ModifierGroupInfo = z.object({
  groupId: z.uuid(),
  name: z.string(),
  minSelections: z.number().int().min(0),
  maxSelections: z.number().int().min(0),
  choices: z.array(ModifierChoice),
});

export const UnavailableReason = z.enum(["sold_out", "ingredient_out_of_stock", "outside_serving_hours"]);
export type UnavailableReason = z.infer<typeof UnavailableReason>;

export const LineModifier = z.object({
  modifierId: z.uuid(),
  name: z.string(),
  action: ModifierAction,
  priceCents: Cents,
});
export const CartLine = z.object({
  lineId: z.uuid(),
  productId: z.uuid(),
  variationId: z.uuid(),
  name: z.string(),
  size: z.string().nullable(),
  quantity: z.number().int().min(1),
  unitPriceCents: Cents.describe("Variation price plus modifier prices, for one item."),
  modifiers: z.array(LineModifier),
  lineTotalCents: Cents,
  notes: z.string().nullable(),
});
export type CartLine = z.infer<typeof CartLine>;

export const OrderFlags = z.object({
  largeOrder: z.boolean().describe("Over the location's large/catering threshold: offer a transfer to staff."),
  largeOrderReason: z.string().optional(),
});
export const Cart = z.object({
  orderId: z.uuid(),
  orderType: OrderType,
  state: OrderState,
  lines: z.array(CartLine),
  itemCount: z.number().int().min(0),
  subtotalCents: Cents,
  taxCents: Cents,
  deliveryFeeCents: Cents,
  totalCents: Cents,
  flags: OrderFlags,
});
export type Cart = z.infer<typeof Cart>;

/* ---------- argument pieces the model fills ---------- */

export const ModifierRequest = z.strictObject({
  name: SpokenName.describe('The topping, sauce, dressing, crust or ingredient, e.g. "onions", "ranch", "thin crust".'),
  action: ModifierAction.default("add").describe('"add" a choice, "no" to remove an ingredient, "extra" for more.'),
});
export type ModifierRequest = z.infer<typeof ModifierRequest>;

/**
 * Most of one item a cart line may hold. The one owner of the rule: the tool schemas below, catalog's
 * `checkLineQuantity` (lines merged or updated server-side) and every message quoting the limit use it.
 */
export const MAX_LINE_QUANTITY = 50;

const Quantity = z
  .number()
  .int("must be a whole number")
  .min(1, "must be at least 1")
  .max(MAX_LINE_QUANTITY, `must be ${MAX_LINE_QUANTITY} or fewer`);

export const DeliveryAddress = z.strictObject({
  street: z.string().trim().min(3).max(200).describe("House number and street."),
  unit: z.string().trim().max(50).optional().describe("Apartment, suite or floor."),
  city: z.string().trim().max(100).optional(),
  postal_code: z.string().trim().regex(/^\d{5}(-\d{4})?$/, "must be a 5-digit ZIP code").describe("5-digit ZIP code."),
  instructions: z.string().trim().max(200).optional().describe("Gate code, where to leave it, …"),
});
export type DeliveryAddress = z.infer<typeof DeliveryAddress>;

/* ---------- the tools ---------- */

export type ServiceName = "menu" | "order" | "escalation";

/**
 * How the conversation core treats a tool beyond "send it, return the result" — declared here so no gateway
 * code special-cases tool names.
 */
export interface ToolBehaviour {
  /** A successful reply answers the caller's question (ends an unanswered-question streak). Default true. */
  answersQuestion?: boolean;
  /**
   * Places an order: sent with the call's submit attempt (one order per call + attempt); a success adds the
   * reply's orderId to the call's orders and makes the next cart a new attempt.
   */
  placesOrder?: boolean;
  /** Argument names kept out of call events and logs (customer details). */
  redactArgs?: readonly string[];
  /** The result has a `cart` (used to tell staff and a resumed session what is in the order so far). */
  carriesCart?: boolean;
  /** The call leaves the AI: dispatched through the handoff seam, which carries out the service's decision. */
  handsOff?: boolean;
}

export interface ToolDefinition<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType, S extends ServiceName = ServiceName> {
  name: string;
  description: string;
  service: S;
  /** Safe to retry after a timeout (the service makes a repeat a no-op). */
  idempotent: boolean;
  args: A;
  result: R;
  behaviour?: ToolBehaviour;
}

function tool<A extends z.ZodType, R extends z.ZodType, S extends ServiceName>(def: ToolDefinition<A, R, S>): ToolDefinition<A, R, S> {
  return def;
}

export const TOOLS = {
  get_menu: tool({
    name: "get_menu",
    service: "menu",
    idempotent: true,
    description:
      "List the menu categories, or the items of one category with their starting prices. Use it when the caller asks what you have.",
    args: z.strictObject({
      category: SpokenName.optional().describe('A category such as "pizza", "wings", "drinks". Omit to list categories.'),
    }),
    result: z.object({
      categories: z.array(z.object({ name: z.string(), itemCount: z.number().int() })).optional(),
      category: z.string().optional(),
      items: z.array(MenuItemSummary).optional(),
      speech: Speech,
    }),
  }),
  get_item_details: tool({
    name: "get_item_details",
    service: "menu",
    idempotent: true,
    description:
      "Look up one menu item by the name the caller used: sizes with prices, choices (crust, toppings, sauces, dressings) with prices, description and allergens.",
    args: z.strictObject({ item_name: SpokenName.describe('What the caller said, e.g. "large pepperoni" or "coke".') }),
    result: z.object({
      productId: z.uuid(),
      name: z.string(),
      category: z.string(),
      description: z.string().nullable(),
      allergens: z.array(z.string()),
      sizes: z.array(SizeOption),
      modifierGroups: z.array(ModifierGroupInfo),
      available: z.boolean(),
      unavailableReason: UnavailableReason.nullable(),
      speech: Speech,
    }),
  }),
  get_specials: tool({
    name: "get_specials",
    service: "menu",
    idempotent: true,
    description: "Today's specials at this restaurant.",
    args: z.strictObject({}),
    result: z.object({
      specials: z.array(
        z.object({
          specialId: z.uuid(),
          name: z.string(),
          description: z.string().nullable(),
          productId: z.uuid().nullable(),
          priceCents: Cents.nullable(),
          availableNow: z.boolean(),
          startsAt: z.string().nullable().describe("Local time HH:MM"),
          endsAt: z.string().nullable().describe("Local time HH:MM"),
        }),
      ),
      speech: Speech,
    }),
  }),
  check_availability: tool({
    name: "check_availability",
    service: "menu",
    idempotent: true,
    description: "Check whether an item can be ordered right now at this restaurant; if not, get available alternatives.",
    args: z.strictObject({ item_name: SpokenName }),
    result: z.object({
      productId: z.uuid(),
      name: z.string(),
      available: z.boolean(),
      reason: UnavailableReason.nullable(),
      alternatives: z.array(MenuItemSummary),
      speech: Speech,
    }),
  }),
  get_hours: tool({
    name: "get_hours",
    service: "menu",
    idempotent: true,
    description: 'Opening hours for today, tomorrow, a weekday ("friday") or a date ("2026-12-24"), and whether the restaurant is open now.',
    args: z.strictObject({
      day: z.string().trim().max(40).optional().describe('"today", "tomorrow", a weekday name, or a date YYYY-MM-DD. Omit for today.'),
    }),
    result: z.object({
      date: z.string().describe("Local date YYYY-MM-DD"),
      weekday: z.string(),
      timezone: z.string(),
      closed: z.boolean(),
      opensAt: z.string().nullable().describe("Local time HH:MM"),
      closesAt: z.string().nullable().describe("Local time HH:MM"),
      exception: z.string().nullable().describe("Holiday or special-hours note"),
      openNow: z.boolean(),
      closesSoon: z.boolean(),
      nextOpening: z.string().nullable().describe("ISO timestamp of the next opening when closed now"),
      speech: Speech,
    }),
  }),
  get_location: tool({
    name: "get_location",
    service: "menu",
    idempotent: true,
    description: "This restaurant's address, cross streets, directions, parking and phone number.",
    args: z.strictObject({}),
    result: z.object({
      name: z.string(),
      address: z.string(),
      crossStreets: z.string().nullable(),
      directions: z.string().nullable(),
      parking: z.string().nullable(),
      phone: z.string(),
      timezone: z.string(),
      speech: Speech,
    }),
  }),
  get_wait_time: tool({
    name: "get_wait_time",
    service: "menu",
    idempotent: true,
    description: "Current estimated wait for a pickup or delivery order.",
    args: z.strictObject({ order_type: OrderType }),
    result: z.object({
      orderType: OrderType,
      minutes: z.number().int().min(0),
      openOrders: z.number().int().min(0),
      speech: Speech,
    }),
  }),
  start_order: tool({
    name: "start_order",
    behaviour: { carriesCart: true },
    service: "order",
    idempotent: true,
    description: "Start the caller's order (pickup or delivery) before adding items. Calling it again keeps the same order and can switch its type.",
    args: z.strictObject({ order_type: OrderType }),
    result: z.object({ cart: Cart, resumed: z.boolean(), speech: Speech }),
  }),
  add_item: tool({
    name: "add_item",
    behaviour: { carriesCart: true },
    service: "order",
    idempotent: true,
    description:
      "Add an item to the order. Prices are computed by the restaurant; never state a price you did not get from a tool. If the item has several sizes and the caller gave none, ask (you will get needs_size).",
    args: z.strictObject({
      item: SpokenName.describe('The item as the caller said it, e.g. "pepperoni pizza".'),
      quantity: Quantity.default(1),
      size: SpokenName.optional().describe('e.g. "large". Omit if the caller did not say.'),
      modifiers: z.array(ModifierRequest).max(20).default([]),
      notes: z.string().trim().max(200).optional().describe("Special instructions for this item, e.g. well done."),
    }),
    result: z.object({ line: CartLine, cart: Cart, speech: Speech }),
  }),
  update_item: tool({
    name: "update_item",
    behaviour: { carriesCart: true },
    service: "order",
    idempotent: true,
    description: "Change a line already in the order: quantity, size or choices. Identify it by line_id (from a cart) or by the item name.",
    args: z
      .strictObject({
        line_id: z.uuid().optional(),
        item: SpokenName.optional(),
        quantity: Quantity.optional(),
        size: SpokenName.optional(),
        modifiers: z.array(ModifierRequest).max(20).optional().describe("Replaces the line's choices when given."),
      })
      .refine((a) => a.line_id !== undefined || a.item !== undefined, { message: "give line_id or item" })
      .refine((a) => a.quantity !== undefined || a.size !== undefined || a.modifiers !== undefined, {
        message: "give at least one of quantity, size, modifiers",
      }),
    result: z.object({ line: CartLine, cart: Cart, speech: Speech }),
  }),
  remove_item: tool({
    name: "remove_item",
    behaviour: { carriesCart: true },
    service: "order",
    idempotent: true,
    description: "Remove a line from the order, by line_id or by the item name.",
    args: z
      .strictObject({ line_id: z.uuid().optional(), item: SpokenName.optional() })
      .refine((a) => a.line_id !== undefined || a.item !== undefined, { message: "give line_id or item" }),
    result: z.object({ removed: CartLine, cart: Cart, speech: Speech }),
  }),
  get_order_summary: tool({
    name: "get_order_summary",
    behaviour: { carriesCart: true, answersQuestion: false },
    service: "order",
    idempotent: true,
    description: "Read back the current order: items, subtotal, tax and total. Always read it back before submit_order.",
    args: z.strictObject({}),
    result: z.object({
      cart: Cart,
      customer: z.object({ name: z.string().nullable(), rewardsPoints: z.number().int() }).nullable(),
      speech: Speech,
    }),
  }),
  submit_order: tool({
    name: "submit_order",
    behaviour: { placesOrder: true, redactArgs: ["customer_name", "phone", "address"] },
    service: "order",
    idempotent: true,
    description:
      "Place the order after the caller confirmed the readback. Phone defaults to the caller ID. Delivery needs the address. Never ask for card numbers: payment is at pickup or delivery.",
    args: z.strictObject({
      customer_name: z.string().trim().min(1, "must not be empty").max(80),
      phone: z.string().trim().max(40).optional().describe('As the caller said it, e.g. "555 123 4567". Omit to use the caller ID.'),
      address: DeliveryAddress.optional(),
    }),
    result: z.object({
      orderId: z.uuid(),
      orderNumber: z.number().int().min(1),
      state: OrderState,
      orderType: OrderType,
      totalCents: Cents,
      waitMinutes: z.number().int().min(0),
      readyAt: z.string().describe("ISO timestamp (UTC)"),
      pointsEarned: z.number().int().min(0),
      pointsBalance: z.number().int().min(0),
      flags: OrderFlags,
      speech: Speech,
    }),
  }),
  review_order: tool({
    name: "review_order",
    behaviour: { carriesCart: true, answersQuestion: false },
    service: "order",
    idempotent: true,
    description:
      "Confirmation calls: read the order you are calling about — its items as the menu names them, the total, the customer's notes and any items that could not be matched to the menu (ask the customer about those).",
    args: z.strictObject({}),
    result: z.object({
      cart: Cart,
      customerName: z.string().nullable(),
      confirmationState: ConfirmationState,
      notes: z.string().nullable(),
      unmatched: z.array(z.string()).describe("Parts of the original order text no menu item matched."),
      itemsSpeech: z.string().describe('The items as said, without the total: "two large pepperoni pizzas and a coke".'),
      speech: Speech,
    }),
  }),
  confirm_order: tool({
    name: "confirm_order",
    behaviour: { carriesCart: true },
    service: "order",
    idempotent: true,
    description:
      "Confirmation calls: the customer confirmed the order as it is now (with any changes made on this call). Read the items and total back first. Records the final order; no further changes after it.",
    args: z.strictObject({
      notes: z.string().trim().max(500).optional().describe("Anything the customer asked to note for the kitchen or staff."),
    }),
    result: z.object({ confirmationState: ConfirmationState, finalOrder: FinalOrder, cart: Cart, speech: Speech }),
  }),
  cancel_order: tool({
    name: "cancel_order",
    service: "order",
    idempotent: true,
    description: "Confirmation calls: the customer does not want the order at all. Ask once to be sure before calling it.",
    args: z.strictObject({ reason: z.string().trim().max(300).optional().describe("Why, in the customer's words.") }),
    result: z.object({ confirmationState: ConfirmationState, finalOrder: FinalOrder, speech: Speech }),
  }),
  transfer_to_human: tool({
    name: "transfer_to_human",
    behaviour: { handsOff: true },
    service: "escalation",
    idempotent: true,
    description:
      "Hand the caller to a staff member: when they ask for a person, complain, want a refund or payment help, need an allergy confirmed, place a large/catering order, or you could not answer twice. The restaurant decides which number is called; never pass on a number the caller gives you.",
    // Lenient on purpose (the escalation service owns the policy): an unknown reason becomes "other", a long
    // summary is cut by the service, extra keys (a number to call, say) are dropped — a caller who needs a
    // person must never be stuck behind an argument error.
    args: z.object({
      reason: EscalationReason.catch("other").describe("Why the caller needs a person."),
      summary: z
        .string()
        .trim()
        .max(20_000, "is far too long")
        .describe("One or two sentences for the staff member: who is calling and what they need (cut at 500 characters)."),
      detail: z.string().trim().max(300).optional().describe("The reason in the caller's own words, when it is none of the listed ones."),
    }),
    result: z.object({
      /** True while staff is being dialled (decision.action "dial"). */
      transferred: z.boolean(),
      /** The staff number being dialled, else null. */
      to: z.string().nullable(),
      callbackRequested: z.boolean(),
      speech: Speech,
      /** What the gateway must do (see escalation.ts). Optional only so replies of older services still parse. */
      decision: TransferDecision.optional(),
    }),
  }),
} as const;

export type ToolName = keyof typeof TOOLS;
export const TOOL_NAMES = Object.keys(TOOLS) as ToolName[];
/** Tools only an outbound confirmation call has (`CONFIRMATION_TOOLS` in confirmation.ts is that call's whole set). */
const CONFIRMATION_ONLY: ReadonlySet<ToolName> = new Set<ToolName>(["review_order", "confirm_order", "cancel_order"]);
/** The tool set of an inbound ordering call: every tool but the confirmation call's own. */
export const ORDERING_TOOLS: readonly ToolName[] = TOOL_NAMES.filter((n) => !CONFIRMATION_ONLY.has(n));
export type ToolArgs<N extends ToolName> = z.output<(typeof TOOLS)[N]["args"]>;
export type ToolArgsInput<N extends ToolName> = z.input<(typeof TOOLS)[N]["args"]>;
export type ToolResult<N extends ToolName> = z.output<(typeof TOOLS)[N]["result"]>;
/** The tools the registry assigns to a service, e.g. `ServiceTools<"menu">` = "get_menu" | "get_hours" | … */
export type ServiceTools<S extends ServiceName> = { [N in ToolName]: (typeof TOOLS)[N]["service"] extends S ? N : never }[ToolName];

export function toolBehaviour(name: ToolName): ToolBehaviour {
  return TOOLS[name].behaviour ?? {};
}

export function isToolName(name: string): name is ToolName {
  return Object.hasOwn(TOOLS, name);
}

/** NATS subject of a tool. The prefix isolates test stacks sharing one NATS server. */
export function toolSubject(name: ToolName, prefix = ""): string {
  return `${prefix}orderline.tools.${TOOLS[name].service}.${name}`;
}

/** Queue group of a service: replicas in one group share the load. */
export function serviceQueue(service: ServiceName): string {
  return `${service}-service`;
}

export function toolsOf<S extends ServiceName>(service: S): ServiceTools<S>[] {
  return TOOL_NAMES.filter((n): n is ServiceTools<S> => TOOLS[n].service === service);
}

/** The function tool definition handed to the Realtime session, generated from the same zod schema. */
export interface RealtimeFunctionTool {
  type: "function";
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

const jsonSchemaCache = new Map<ToolName, RealtimeFunctionTool>();

export function realtimeTool(name: ToolName): RealtimeFunctionTool {
  let cached = jsonSchemaCache.get(name);
  if (!cached) {
    const def = TOOLS[name];
    const { $schema: _ignored, ...parameters } = z.toJSONSchema(def.args, { io: "input", unrepresentable: "any" }) as Record<
      string,
      unknown
    >;
    cached = { type: "function", name: def.name, description: def.description, parameters };
    jsonSchemaCache.set(name, cached);
  }
  return cached;
}

export function realtimeTools(names: readonly ToolName[] = TOOL_NAMES): RealtimeFunctionTool[] {
  return names.map(realtimeTool);
}
