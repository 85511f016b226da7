import { describeLine, type Lang } from "./speech.ts";
import { type CartLine, formatCents } from "@orderline/contracts";
import { callTool, TechnicalFailureError } from "./tool-client.ts";
import type { Turn } from "./turn.ts";
import type { AgentReply } from "./types.ts";

/**
 * After "that's it": order type, name, phone, delivery address, the readback and the submit — asking for the
 * first thing still missing. Returns the reply when the turn ends here.
 */

/** The question that moves the conversation on from where it is. */
export async function nextStep(turn: Turn): Promise<AgentReply> {
  const { state, s } = turn;
  if (state.pending.length > 0) {
    state.phase = "size";
    const item = state.pending[0]!.item;
    turn.out.push(s.askSize(item, state.pending[0]!.choices));
    return turn.reply();
  }
  if (!state.checkout) {
    state.phase = "ordering";
    turn.out.push(state.last ? s.anythingElse() : s.whatToOrder());
    return turn.reply();
  }
  if (!state.orderType) {
    state.phase = "order_type";
    turn.out.push(s.askType());
    return turn.reply();
  }
  state.name ??= turn.ctx.customerName;
  if (!state.name) {
    state.phase = "name";
    turn.out.push(s.askName());
    return turn.reply();
  }
  if (!state.phone) {
    state.phase = "phone";
    turn.out.push(s.askPhone(turn.ctx.callerPhone !== null));
    return turn.reply();
  }
  if (state.orderType === "delivery" && (!state.address?.street || !state.address.postal_code)) {
    state.phase = "address";
    turn.out.push(state.address?.street ? s.askZip() : s.askAddress());
    return turn.reply();
  }
  const summary = await callTool(turn.tools, "get_order_summary", {});
  if (!summary.ok || summary.result.cart.lines.length === 0) {
    state.checkout = false;
    state.phase = "ordering";
    turn.out.push(s.emptyCart());
    return turn.reply();
  }
  state.phase = "confirm";
  const cart = summary.result.cart;
  const readback = turn.lang === "en" ? summary.result.speech : spanishReadback(cart, turn.lang);
  turn.out.push(s.askConfirm(readback, state.orderType, state.name));
  return turn.reply();
}

/** The lines (choices that change something: removed, extra or priced) and the total the order service computed. */
function spanishReadback(cart: { lines: CartLine[]; totalCents: number }, lang: Lang): string {
  const lines = cart.lines.map((l) => describeLine({ ...l, modifiers: l.modifiers.filter((m) => m.action !== "add" || m.priceCents > 0) }, lang));
  const total = formatCents(cart.totalCents);
  return `Su pedido: ${lines.join(", ")}. Total ${total} con impuestos.`;
}

/** submit_order with what the caller gave; the order service checks the address, minimum and hours. */
export async function submit(turn: Turn): Promise<AgentReply> {
  const { state, s } = turn;
  const args: Record<string, unknown> = { customer_name: state.name };
  if (state.phone && state.phone !== "caller_id") args["phone"] = state.phone;
  if (state.orderType === "delivery" && state.address?.street && state.address.postal_code) {
    args["address"] = { street: state.address.street, postal_code: state.address.postal_code, ...(state.address.unit ? { unit: state.address.unit } : {}) };
  }
  const r = await callTool(turn.tools, "submit_order", args);
  if (r.ok) {
    state.phase = "done";
    turn.out.push(s.placed(r.result.orderNumber, r.result.totalCents, r.result.waitMinutes, r.result.orderType));
    return turn.reply({ kind: "hangup" });
  }
  const { code, message } = r.error;
  const english = turn.lang === "en";
  switch (code) {
    case "outside_delivery_zone":
    case "address_required":
      state.address = null;
      state.phase = "address";
      // The order service's message already asks whether to pick it up instead.
      turn.out.push(english ? message : "Lo siento, no entregamos en esa zona. ¿Quiere recogerlo, o me da otra dirección?");
      return turn.reply();
    case "below_delivery_minimum":
      state.checkout = false;
      turn.out.push(english ? message : "Su pedido no alcanza el mínimo para entrega. ¿Quiere agregar algo o recogerlo?");
      state.phase = "ordering";
      return turn.reply();
    case "invalid_phone":
      state.phone = null;
      turn.out.push(s.phoneAgain());
      state.phase = "phone";
      return turn.reply();
    case "empty_cart":
      state.checkout = false;
      turn.out.push(s.emptyCart());
      state.phase = "ordering";
      return turn.reply();
    case "out_of_stock":
    case "unavailable":
    case "not_on_menu":
      state.checkout = false;
      state.phase = "ordering";
      turn.out.push(english ? message : "Lo siento, algo de su pedido ya no está disponible.", s.changeWhat());
      return turn.reply();
    case "closed":
    case "order_not_editable":
      state.phase = "done";
      turn.out.push(english ? message : "Lo siento, no podemos tomar el pedido ahora.", s.goodbye());
      return turn.reply({ kind: "hangup" });
    default:
      throw new TechnicalFailureError("submit_order", `${code}: ${message}`);
  }
}
