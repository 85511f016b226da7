import { availabilityOf, specialsOn } from "@orderline/catalog";
import type { RequestEnvelope, ToolArgs, ToolResult } from "@orderline/contracts";
import { type MenuDeps, menuAndSpeech } from "./deps.ts";

/** get_specials(): the specials running on the location's local date, and whether each can be had now. */
export async function getSpecials(deps: MenuDeps, _args: ToolArgs<"get_specials">, envelope: RequestEnvelope): Promise<ToolResult<"get_specials">> {
  const { menu, say } = await menuAndSpeech(deps, envelope);
  const now = deps.clock();
  const specials = specialsOn(menu, now).map(({ special, availableNow }) => {
    const product = menu.products.find((p) => p.id === special.productId);
    return {
      specialId: special.id,
      name: special.name,
      description: special.description,
      productId: special.productId,
      priceCents: special.specialPriceCents,
      availableNow: availableNow && product !== undefined && availabilityOf(menu, product, now).available,
      startsAt: special.startTime,
      endsAt: special.endTime,
    };
  });
  const speech = specials.length === 0 ? say.noSpecials : say.specials(specials);
  return { specials, speech };
}
