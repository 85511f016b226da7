import { z } from "zod";

/**
 * Stable error codes a tool can answer with. They travel over NATS and come back to the model as a
 * function_call_output it can act on, so each comes with a short human-speakable message.
 */
export const ToolErrorCode = z.enum([
  "invalid_arguments",
  "not_on_menu",
  "ambiguous_item",
  "needs_size",
  "invalid_size",
  "invalid_modifier",
  "out_of_stock",
  "unavailable",
  "closed",
  "outside_delivery_zone",
  "below_delivery_minimum",
  "address_required",
  "invalid_phone",
  "invalid_quantity",
  "empty_cart",
  "empty_order",
  "no_open_order",
  "line_not_found",
  "ambiguous_line",
  "order_not_editable",
  "unknown_category",
  "invalid_day",
  "unknown_location",
  "wrong_location",
  "forbidden",
  "timeout",
  "no_responders",
  "internal",
]);
export type ToolErrorCode = z.infer<typeof ToolErrorCode>;

/**
 * Errors that mean "we could not answer what the caller asked" (not a system fault): two in a row and the
 * caller is offered a person (the seed's "question not answered after two attempts" trigger).
 */
export const UNANSWERED_ERROR_CODES: ReadonlySet<ToolErrorCode> = new Set<ToolErrorCode>([
  "not_on_menu",
  "ambiguous_item",
  "unknown_category",
  "invalid_day",
  "line_not_found",
  "ambiguous_line",
]);

/** The error shape every tool reply carries when it fails. */
export const ToolError = z.object({
  code: ToolErrorCode,
  /** Short sentence the model can say as is, e.g. "We don't have that. Did you mean the Pepperoni Pizza?" */
  message: z.string(),
  /** Structured detail: candidates, choices, alternatives, next opening time, … */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ToolError = z.infer<typeof ToolError>;

/** A domain error as a value: services throw it, the NATS helper turns it into a ToolError reply. */
export class ToolFailure extends Error {
  override readonly name = "ToolFailure";
  readonly code: ToolErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ToolErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.details = details;
  }
  toJSON(): ToolError {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

/** Every tool reply: either a result or an error, never both. */
export const toolReply = <T extends z.ZodType>(result: T) =>
  z.discriminatedUnion("ok", [z.object({ ok: z.literal(true), result }), z.object({ ok: z.literal(false), error: ToolError })]);
export type ToolReply<T> = { ok: true; result: T } | { ok: false; error: ToolError };
