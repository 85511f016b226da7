import { z } from "zod";
import { RequestEnvelope } from "./envelope.ts";
import { ModifierChoice, ModifierGroupInfo, SizeOption, UnavailableReason } from "./tools.ts";

/**
 * A location's whole phone menu in one request, for the local order-taking agent (`@orderline/agent`): it
 * recognises items, sizes and choices in what the caller says on this view. Answered by the menu service from
 * its cached per-location snapshot (queue group `menu-service`); the body is plain JSON (no envelope, not a
 * tool call of the conversation, so it is not recorded as one); the reply is a tool reply `{ ok, result | error }`.
 * Availability in it is as of `loadedAt`: the order service still checks every item at `add_item` and
 * `submit_order`. A `catalogChanged` event for the location (EVENT_SUBJECTS) means the view is stale.
 */
export const AGENT_MENU_SUBJECT = (prefix = "") => `${prefix}orderline.menu.agent_menu`;

export const AgentMenuRequest = z.strictObject({
  locationId: z.uuid(),
  /** The call's language: an `unknown_location` refusal is said in it. */
  language: RequestEnvelope.shape.language,
});
export type AgentMenuRequest = z.infer<typeof AgentMenuRequest>;

const Aliases = z.array(z.string()).describe('How callers say it ("pep", "margarita"), as stored.');

export const AgentMenuItem = z.object({
  productId: z.uuid(),
  categoryId: z.uuid(),
  category: z.string(),
  name: z.string(),
  aliases: Aliases,
  description: z.string().nullable(),
  allergens: z.array(z.string()),
  /** In menu order; at least one. */
  sizes: z.array(SizeOption.extend({ aliases: Aliases, isDefault: z.boolean() })).min(1),
  modifierGroups: z.array(
    ModifierGroupInfo.extend({
      choices: z.array(ModifierChoice.extend({ aliases: Aliases, isDefault: z.boolean(), inStock: z.boolean().describe("false while its ingredient is out") })),
    }),
  ),
  /** Orderable at `loadedAt` (not sold out, no base ingredient out, within its serving window). */
  available: z.boolean(),
  unavailableReason: UnavailableReason.nullable(),
});
export type AgentMenuItem = z.infer<typeof AgentMenuItem>;

export const AgentMenu = z.object({
  locationId: z.uuid(),
  /** Categories with at least one item, in menu order. */
  categories: z.array(z.object({ categoryId: z.uuid(), name: z.string(), description: z.string().nullable() })),
  /** Every item callers can ask for at this location, in menu order. */
  items: z.array(AgentMenuItem),
  /** When the menu service read the snapshot (UTC, ISO 8601). */
  loadedAt: z.iso.datetime(),
});
export type AgentMenu = z.infer<typeof AgentMenu>;
