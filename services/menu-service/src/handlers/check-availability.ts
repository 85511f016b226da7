import { type Availability, alternativesFor, availabilityOf, fromPriceCents, listNames } from "@orderline/catalog";
import type { RequestEnvelope, ToolArgs, ToolResult } from "@orderline/contracts";
import { DateTime } from "luxon";
import { type MenuDeps, menuOf, productFromArg } from "./deps.ts";

function timeOfDay(hhmm: string): string {
  const t = DateTime.fromFormat(hhmm, "HH:mm");
  if (t.hour === 12 && t.minute === 0) return "noon";
  if (t.hour === 0 && t.minute === 0) return "midnight";
  return t.setLocale("en-US").toFormat(t.minute === 0 ? "h a" : "h:mm a");
}

/** "Sorry, the Mushroom Pizza isn't available right now: we're out of mushrooms." */
export function unavailableSpeech(name: string, a: Availability): string {
  switch (a.reason) {
    case "sold_out":
      return `Sorry, the ${name} is sold out right now.`;
    case "ingredient_out_of_stock":
      return `Sorry, the ${name} isn't available right now: we're out of ${listNames(a.missingIngredients.map((i) => i.toLowerCase()), "and", "")}.`;
    case "outside_serving_hours":
      return `Sorry, the ${name} is only served from ${timeOfDay(a.servingWindow!.start)} to ${timeOfDay(a.servingWindow!.end)}.`;
    default:
      return `The ${name} is available.`;
  }
}

/** check_availability(item_name): can it be ordered now here; if not, why and available alternatives. */
export async function checkAvailability(deps: MenuDeps, args: ToolArgs<"check_availability">, envelope: RequestEnvelope): Promise<ToolResult<"check_availability">> {
  const menu = await menuOf(deps, envelope);
  const { product } = await productFromArg(deps, menu, args.item_name);
  const now = deps.clock();
  const availability = availabilityOf(menu, product, now);
  const alternatives = availability.available ? [] : alternativesFor(menu, product, now, 3);
  let speech = availability.available ? `Yes, the ${product.name} is available.` : unavailableSpeech(product.name, availability);
  if (!availability.available) {
    speech +=
      alternatives.length > 0
        ? ` Would you like ${listNames(alternatives.map((p) => p.name), "or")} instead?`
        : ` I'm afraid nothing similar is available right now either.`;
  }
  return {
    productId: product.id,
    name: product.name,
    available: availability.available,
    reason: availability.reason,
    alternatives: alternatives.map((p) => ({ productId: p.id, name: p.name, fromPriceCents: fromPriceCents(p), available: true })),
    speech,
  };
}
