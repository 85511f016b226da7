import {
  type CatalogCache,
  type ItemMatch,
  type LocationMenu,
  productById,
  resolveItemOrThrow,
  type SpeechLanguage,
  speechLanguage,
  speechLanguageOf,
} from "@orderline/catalog";
import { type RequestEnvelope, ToolFailure } from "@orderline/contracts";
import type { Database } from "@orderline/db";
import type { Kysely } from "kysely";
import { z } from "zod";
import { MENU_MESSAGES, type MenuMessages } from "../domain/messages.ts";
import type { KitchenQueue } from "../repositories/kitchen-queue.ts";

/** What every menu tool handler needs. */
export interface MenuDeps {
  db: Kysely<Database>;
  cache: CatalogCache;
  /** Open-order counts for wait estimates. */
  kitchen: KitchenQueue;
  /** The current instant (tests inject it). */
  clock: () => Date;
}

/** The snapshot of the caller's location — always the envelope's, never an id from the model. */
export function menuOf(deps: MenuDeps, envelope: RequestEnvelope): Promise<LocationMenu> {
  return deps.cache.get(envelope.locationId, speechLanguageOf(envelope.language));
}

/** The caller's location's snapshot and the messages in the language the caller is answered in. */
export async function menuAndSpeech(deps: MenuDeps, envelope: RequestEnvelope): Promise<{ menu: LocationMenu; language: SpeechLanguage; say: MenuMessages }> {
  const menu = await menuOf(deps, envelope);
  const language = speechLanguage(envelope, menu.location);
  return { menu, language, say: MENU_MESSAGES[language] };
}

const Uuid = z.uuid();

/**
 * The product the model named. Usually a spoken name; a product id (the model may echo one from an earlier
 * result) is accepted when it is on this location's menu, and refused with wrong_location when it belongs
 * to another restaurant (another brand, or hidden at this location).
 */
export async function productFromArg(deps: MenuDeps, menu: LocationMenu, itemName: string, language: SpeechLanguage): Promise<ItemMatch> {
  const trimmed = itemName.trim();
  if (Uuid.safeParse(trimmed).success) {
    const own = menu.products.find((p) => p.id === trimmed);
    if (own) return { kind: "match", product: own };
    const elsewhere = await deps.db.selectFrom("products").select("id").where("id", "=", trimmed).executeTakeFirst();
    if (elsewhere) throw new ToolFailure("wrong_location", MENU_MESSAGES[language].itemElsewhere, { productId: trimmed });
    return { kind: "match", product: productById(menu, trimmed, language) };
  }
  return resolveItemOrThrow(menu, trimmed, language);
}
