/** What the order service says on a confirmation call, one map per speech language (see messages.ts). */
import { type MessageCatalogue, SPOKEN } from "@orderline/catalog";

export interface ConfirmationMessages {
  reviewed(readback: string, unmatched: readonly string[]): string;
  confirmed(readback: string, changed: boolean): string;
  cancelled: string;
  notAwaiting(state: string | null): string;
  nothingToConfirm: string;
}

const en = SPOKEN.en;
const es = SPOKEN.es;

export const CONFIRMATION_MESSAGES: MessageCatalogue<ConfirmationMessages> = {
  en: {
    reviewed: (readback, unmatched) =>
      `The order is ${readback}.${unmatched.length > 0 ? ` I couldn't match ${en.list(unmatched.map((u) => `"${u}"`), "and")} to our menu.` : ""}`,
    confirmed: (readback, changed) => `Thank you! Your ${changed ? "updated " : ""}order is confirmed: ${readback}.`,
    cancelled: "Okay, I've cancelled the order.",
    notAwaiting: (state) => `This order is not waiting for confirmation any more${state ? ` (it is ${state})` : ""}.`,
    nothingToConfirm: "There's nothing left in the order. Would you like to add something, or cancel the order?",
  },
  es: {
    reviewed: (readback, unmatched) =>
      `El pedido es ${readback}.${unmatched.length > 0 ? ` No encontré ${es.list(unmatched.map((u) => `"${u}"`), "and")} en nuestro menú.` : ""}`,
    confirmed: (readback, changed) => `¡Gracias! Su pedido${changed ? " actualizado" : ""} está confirmado: ${readback}.`,
    cancelled: "Muy bien, cancelé el pedido.",
    notAwaiting: (state) => `Este pedido ya no espera confirmación${state ? ` (está ${state})` : ""}.`,
    nothingToConfirm: "El pedido quedó vacío. ¿Quiere agregar algo o cancelar el pedido?",
  },
};
