import { z } from "zod";
import { ConfirmationState, OrderType } from "./enums.ts";
import { FinalOrder } from "./final-order.ts";
import { Cart, MAX_LINE_QUANTITY, ModifierRequest, type ToolName } from "./tools.ts";

/**
 * Order-confirmation calls (docs/CONFIRMATION.md): orders that arrive by web, staff, a catering form or a Google
 * Sheet are created in confirmation state NEW through `createConfirmationOrder`; the worker calls the customer,
 * who confirms, changes or cancels the order by voice; every state change is published as a
 * `ConfirmationStateEvent` so a mirror (the sheet) can write it back. Postgres decides; mirrors follow.
 */

/** Where an order came from outside OrderLine: one row of one sheet (or form, or web shop). UNIQUE per source. */
export const ExternalRef = z.strictObject({
  /** e.g. "sheet", "web", "catering-form". */
  source: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_-]{0,31}$/, "must be a short lower-case name such as sheet"),
  /** The spreadsheet id (or the form / shop id); "" when the source has only one. */
  sheetId: z.string().trim().max(200),
  /** The row's `id` column (or the form submission's id). */
  rowId: z.string().trim().min(1, "must not be empty").max(200),
});
export type ExternalRef = z.infer<typeof ExternalRef>;

/** One line of an order to confirm: a menu product by id or by name, priced by the order service. */
export const ConfirmationLineRequest = z
  .strictObject({
    productId: z.uuid().optional(),
    name: z.string().trim().min(1).max(120).optional().describe('As written, e.g. "pepperoni pizza"; resolved like a caller\'s words.'),
    /** The size ("large"); omitted for one-size products or when the customer gave none (asked on the call). */
    variation: z.string().trim().min(1).max(120).optional(),
    modifiers: z.array(ModifierRequest).max(20).optional(),
    quantity: z.number().int("must be a whole number").min(1, "must be at least 1").max(MAX_LINE_QUANTITY, `must be ${MAX_LINE_QUANTITY} or fewer`),
    notes: z.string().trim().max(200).optional(),
  })
  .refine((l) => l.productId !== undefined || l.name !== undefined, { message: "give productId or name" });
export type ConfirmationLineRequest = z.infer<typeof ConfirmationLineRequest>;

/** `createConfirmationOrder` (NATS request `CONFIRMATION_SUBJECTS.createOrder`, answered by the order service). */
export const CreateConfirmationOrderRequest = z.strictObject({
  locationId: z.uuid(),
  customerName: z.string().trim().min(1, "must not be empty").max(80),
  /** As written ("(555) 123-4567", "+15551234567"); stored E.164 (the location's country), refused when invalid. */
  phone: z.string().trim().min(1, "must not be empty").max(40),
  orderType: OrderType.default("pickup"),
  lines: z.array(ConfirmationLineRequest).max(100),
  /** Parts of the order text that matched no menu item: asked about on the call, and kept as a note. */
  unmatched: z.array(z.string().trim().min(1).max(200)).max(20).default([]),
  notes: z.string().trim().max(1000).nullable().default(null),
  /** Idempotency: the same reference returns the order created the first time (nothing is created twice). */
  externalRef: ExternalRef.optional(),
});
export type CreateConfirmationOrderRequest = z.infer<typeof CreateConfirmationOrderRequest>;
export type CreateConfirmationOrderInput = z.input<typeof CreateConfirmationOrderRequest>;

export const CreateConfirmationOrderResult = z.object({
  orderId: z.uuid(),
  /** False: the external reference already had an order (this one, unchanged). */
  created: z.boolean(),
  state: ConfirmationState,
  cart: Cart,
  /** Lines whose name no menu item matched: not in the order, kept in `unmatched` and asked about on the call. */
  unmatched: z.array(z.string()),
});
export type CreateConfirmationOrderResult = z.infer<typeof CreateConfirmationOrderResult>;

/**
 * A confirmation state change, published after it committed on core NATS
 * (`CONFIRMATION_SUBJECTS.stateChanged(locationId, state)`) by the worker (called, failed, new again on a retry)
 * and the order service (confirmed, updated, cancelled). Fire-and-forget: a mirror that was down catches up from
 * Postgres (`orders.confirmation_updated_at`), which stays the record.
 */
export const ConfirmationStateEvent = z.object({
  orderId: z.uuid(),
  locationId: z.uuid(),
  externalRef: ExternalRef.nullable(),
  state: ConfirmationState,
  finalOrderJson: FinalOrder.nullable(),
  /** The customer's notes and, for FAILED, why (e.g. "no answer", "voicemail: message left"). */
  notes: z.string().nullable(),
  /** `orders.confirmation_updated_at` (UTC). */
  lastUpdated: z.iso.datetime(),
  /** `orders.confirmation_locked_at` (UTC): set exactly while CALLED. Optional for producers that predate it. */
  lockedAt: z.iso.datetime().nullable().optional(),
});
export type ConfirmationStateEvent = z.infer<typeof ConfirmationStateEvent>;

export const CONFIRMATION_SUBJECTS = {
  /** Request/reply: `CreateConfirmationOrderRequest` → `CreateConfirmationOrderResult` (order service). */
  createOrder: (prefix = "") => `${prefix}orderline.orders.create_confirmation_order`,
  /** Events: `{prefix}orderline.events.confirmation.{locationId}.{state}`. */
  stateChanged: (locationId: string, state: ConfirmationState, prefix = "") => `${prefix}orderline.events.confirmation.${locationId}.${state}`,
  stateChangedAll: (prefix = "") => `${prefix}orderline.events.confirmation.>`,
} as const;

/**
 * The order-session id of an order awaiting confirmation: its draft is keyed by it (with the confirming call's
 * SID), so the cart tools of the call change exactly this order. Only the gateway's confirmation session has it.
 */
export function confirmationSessionId(orderId: string): string {
  return `confirm:${orderId}`;
}

/** What a confirmation call's conversation may do: read the order, change it, confirm or cancel it, ask for staff. */
export const CONFIRMATION_TOOLS: readonly ToolName[] = [
  "review_order",
  "add_item",
  "update_item",
  "remove_item",
  "get_item_details",
  "confirm_order",
  "cancel_order",
  "transfer_to_human",
];
