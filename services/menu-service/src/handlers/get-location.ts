import { speakablePhone } from "@orderline/catalog";
import type { RequestEnvelope, ToolArgs, ToolResult } from "@orderline/contracts";
import { type MenuDeps, menuAndSpeech } from "./deps.ts";

const sentence = (s: string) => (/[.!?]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);

/** get_location(): address, cross streets, directions, parking, phone of the caller's restaurant. */
export async function getLocation(deps: MenuDeps, _args: ToolArgs<"get_location">, envelope: RequestEnvelope): Promise<ToolResult<"get_location">> {
  const {
    menu: { location: l },
    say,
  } = await menuAndSpeech(deps, envelope);
  const street = [l.addressLine1, l.addressLine2].filter(Boolean).join(", ");
  const address = `${street}, ${l.city}, ${l.region} ${l.postalCode}`;
  const parts = [say.address(street, l.city, l.crossStreets)];
  if (l.directionsHint) parts.push(sentence(l.directionsHint));
  if (l.parkingNote) parts.push(sentence(l.parkingNote));
  parts.push(say.phone(speakablePhone(l.publicPhone)));
  return {
    name: l.name,
    address,
    crossStreets: l.crossStreets,
    directions: l.directionsHint,
    parking: l.parkingNote,
    phone: l.publicPhone,
    timezone: l.timezone,
    speech: parts.join(" "),
  };
}
