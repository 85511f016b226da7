import { type Availability, alternativesFor, availabilityOf, fromPriceCents } from "@orderline/catalog";
import type { RequestEnvelope, ToolArgs, ToolResult } from "@orderline/contracts";
import type { MenuMessages } from "../domain/messages.ts";
import { type MenuDeps, menuAndSpeech, productFromArg } from "./deps.ts";

/** "Sorry, the Mushroom Pizza isn't available right now: we're out of mushrooms." */
export function unavailableSpeech(say: MenuMessages, name: string, a: Availability): string {
  switch (a.reason) {
    case "sold_out":
      return say.soldOut(name);
    case "ingredient_out_of_stock":
      return say.ingredientsOut(name, a.missingIngredients);
    case "outside_serving_hours":
      return say.servedOnly(name, a.servingWindow!.start, a.servingWindow!.end);
    default:
      return say.isAvailable(name);
  }
}

/** check_availability(item_name): can it be ordered now here; if not, why and available alternatives. */
export async function checkAvailability(deps: MenuDeps, args: ToolArgs<"check_availability">, envelope: RequestEnvelope): Promise<ToolResult<"check_availability">> {
  const { menu, language, say } = await menuAndSpeech(deps, envelope);
  const { product } = await productFromArg(deps, menu, args.item_name, language);
  const now = deps.clock();
  const availability = availabilityOf(menu, product, now);
  const alternatives = availability.available ? [] : alternativesFor(menu, product, now, 3);
  let speech = availability.available ? say.available(product.name) : unavailableSpeech(say, product.name, availability);
  if (!availability.available) {
    speech += ` ${alternatives.length > 0 ? say.insteadOf(alternatives.map((p) => p.name)) : say.nothingSimilar}`;
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
