import type { ModifierAction } from "@orderline/contracts";
import { z } from "zod";
import { SHEET_STATUSES } from "./columns.ts";

/**
 * The seam between the sheet and the confirmation state machine: the adapter hands every valid NEW row to a
 * `ConfirmationIntake` (Postgres decides from then on) and mirrors the machine's state events back to the row.
 */

/** Where an order needing confirmation came from; the intake is idempotent on it. */
export type SheetExternalRef = { source: "sheet"; sheetId: string; rowId: string };

/** One order line read from `order_text` and resolved on the location's menu. */
export type IntakeLine = {
  /** The words of order_text it came from ("large pepperoni pizzas"). */
  text: string;
  productId: string;
  /** The menu's name ("Pepperoni Pizza"). */
  name: string;
  /** The size when the text named one or the product has only one; null = to be asked on the call. */
  variationId: string | null;
  size: string | null;
  quantity: number;
  /** Modifier words as written ("extra cheese" → { name: "cheese", action: "extra" }), resolved when priced. */
  modifiers: { name: string; action: ModifierAction }[];
};

/** Words of order_text that name no single menu item, to be asked about on the call (or noted). */
export type UnmatchedItem = {
  text: string;
  quantity: number;
  /** not_on_menu, ambiguous (several items fit), invalid_size (no such size), unsupported ("half pepperoni"). */
  reason: "not_on_menu" | "ambiguous" | "invalid_size" | "unsupported";
  /** Menu names it may have meant (items, or sizes for invalid_size). */
  candidates: string[];
};

export type ConfirmationIntakeRequest = {
  locationId: string;
  customerName: string;
  /** E.164. */
  phone: string;
  lines: IntakeLine[];
  unmatched: UnmatchedItem[];
  /** The row's own notes (null when empty or only the adapter's notes). */
  notes: string | null;
  externalRef: SheetExternalRef;
};

export type ConfirmationIntakeResult = {
  /** The order needing confirmation (the same one for every request with this externalRef). */
  confirmationId: string;
  /** False when the externalRef had been taken in before (nothing new was created). */
  created: boolean;
};

/**
 * The state machine refused the row for a reason a person must fix (e.g. nothing on it can be priced now): thrown
 * by a `ConfirmationIntake`, it puts a note on the row (`OrderLine: not called — <reason>`). Any other error is
 * taken as passing trouble: the row is tried again on the next run without a note.
 */
export class IntakeRefusedError extends Error {
  override name = "IntakeRefusedError";
}

/** Port implemented by the confirmation state machine. `create` must be idempotent on `externalRef`. */
export interface ConfirmationIntake {
  create(request: ConfirmationIntakeRequest): Promise<ConfirmationIntakeResult>;
}

const Status = z.preprocess((v) => (typeof v === "string" ? v.trim().toUpperCase() : v), z.enum(SHEET_STATUSES));

/** A state change of a sheet-sourced confirmation, as the mirror takes it. */
export const SheetStateEventSchema = z.object({
  externalRef: z.object({ source: z.literal("sheet"), sheetId: z.string().min(1), rowId: z.string().min(1) }),
  state: Status,
  /**
   * The final order in the seed's shape ({"action","items","notes","confirmed"}) — an object, or its JSON text
   * (kept as it is, key order included) — or null before one exists.
   */
  finalOrderJson: z
    .union([
      z.record(z.string(), z.unknown()),
      z.string().refine((t) => {
        try {
          const v: unknown = JSON.parse(t);
          return typeof v === "object" && v !== null && !Array.isArray(v);
        } catch {
          return false;
        }
      }, "must be the JSON text of an object"),
    ])
    .nullable(),
  notes: z.string().nullable(),
  lastUpdated: z.coerce.date(),
  lockedAt: z.coerce.date().nullable(),
});
export type SheetStateEvent = z.input<typeof SheetStateEventSchema>;
