import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DEMO_LOCATIONS } from "@orderline/db";
import { CLOSED_NOW, errorOf, type Harness, OPEN_NOW, startHarness } from "./harness.ts";

const CHI = DEMO_LOCATIONS.chicago;

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

/** A call to New York being answered in Spanish. */
const spanishCall = () => h.envelope({ language: "es-US", callerPhone: "+12125550931" });

describe("a Spanish envelope gets Spanish speech from the order tools", () => {
  it("start_order, add_item, update_item, remove_item, get_order_summary and submit_order, with money and the pickup time", async () => {
    h.now.value = OPEN_NOW; // Wednesday 18:30 in New York
    const env = spanishCall();
    assert.equal((await h.ok("start_order", { order_type: "pickup" }, env)).speech, "Muy bien, un pedido para recoger. ¿Qué le gustaría?");
    assert.equal((await h.ok("get_order_summary", {}, env)).speech, "Su pedido está vacío por ahora. ¿Qué le gustaría?");
    // Large pepperoni $22.99 + mushrooms $1.75 = $24.74; tax 8.875 % = $2.20; $26.94.
    const pizza = await h.ok("add_item", { item: "large pepperoni pizza", modifiers: [{ name: "mushrooms" }, { name: "cheese", action: "no" }] }, env);
    assert.equal(
      pizza.speech,
      "Agregué una orden de pepperoni pizza tamaño large con mushrooms y sin cheese. Tiene una orden de pepperoni pizza tamaño large con mushrooms y sin cheese; $26.94 con impuestos.",
    );
    // Two large cokes at $2.99: subtotal $30.72, tax $2.73, total $33.45.
    const cokes = await h.ok("add_item", { item: "two large cokes" }, env);
    assert.equal(
      cokes.speech,
      "Agregué dos órdenes de coca-cola tamaño large. Tiene una orden de pepperoni pizza tamaño large con mushrooms y sin cheese y dos órdenes de coca-cola tamaño large; $33.45 con impuestos.",
    );
    // A third coke: subtotal $33.71, tax $2.99, total $36.70.
    const more = await h.ok("add_item", { item: "large coke" }, env);
    assert.equal(
      more.speech,
      "Agregué una orden de coca-cola tamaño large; ahora son 3. Tiene una orden de pepperoni pizza tamaño large con mushrooms y sin cheese y tres órdenes de coca-cola tamaño large; $36.70 con impuestos.",
    );
    // Back to one coke: subtotal $27.73, tax $2.46, total $30.19.
    const updated = await h.ok("update_item", { item: "coke", quantity: 1 }, env);
    assert.equal(
      updated.speech,
      "Muy bien, ahora es una orden de coca-cola tamaño large. Tiene una orden de pepperoni pizza tamaño large con mushrooms y sin cheese y una orden de coca-cola tamaño large; $30.19 con impuestos.",
    );
    const removed = await h.ok("remove_item", { item: "coke" }, env);
    assert.equal(removed.speech, "Quité una orden de coca-cola tamaño large. Ahora tiene una orden de pepperoni pizza tamaño large con mushrooms y sin cheese; $26.94 con impuestos.");
    const delivery = await h.ok("start_order", { order_type: "delivery" }, env);
    assert.equal(
      delivery.speech,
      "Muy bien, ahora es un pedido a domicilio. Hasta ahora tengo una orden de pepperoni pizza tamaño large con mushrooms y sin cheese; $30.93 con impuestos, incluido el cargo de entrega de $3.99.",
    );
    await h.ok("start_order", { order_type: "pickup" }, env);
    assert.equal(
      (await h.ok("get_order_summary", {}, env)).speech,
      "Tiene una orden de pepperoni pizza tamaño large con mushrooms y sin cheese; $26.94 con impuestos.",
    );

    const placed = await h.ok("submit_order", { customer_name: "Ana" }, env);
    // Ready 20 minutes after 18:30 New York time; 24 points for $24.74.
    assert.equal(placed.waitMinutes, 20);
    assert.equal(
      placed.speech,
      `¡Gracias, Ana! Su número de pedido es el ${placed.orderNumber}, $26.94 con impuestos, y se paga al recogerlo. Estará listo para recoger en unos 20 minutos, alrededor de las 6:50 de la tarde. Ganó 24 puntos de recompensa; su saldo es de 24.`,
    );
    assert.equal(
      (await h.ok("get_order_summary", {}, env)).speech,
      `Su pedido número ${placed.orderNumber} ya está hecho: una orden de pepperoni pizza tamaño large con mushrooms y sin cheese; $26.94 con impuestos. Ana, tiene 24 puntos de recompensa.`,
    );
  });
});

describe("a Spanish envelope gets Spanish error messages from the order tools", () => {
  it("no_open_order, not_on_menu, needs_size, line_not_found, invalid_phone, closed, order_not_editable", async () => {
    h.now.value = OPEN_NOW;
    const env = spanishCall();
    const noOrder = errorOf(await h.call("add_item", { item: "coke" }, env));
    assert.deepEqual([noOrder.code, noOrder.message], ["no_open_order", "Primero empecemos su pedido: ¿es para recoger o a domicilio?"]);
    await h.ok("start_order", { order_type: "pickup" }, env);
    const sushi = errorOf(await h.call("add_item", { item: "sushi" }, env));
    assert.deepEqual([sushi.code, sushi.message], ["not_on_menu", "Lo siento, no tenemos sushi. Lo más parecido es Mushroom Pizza."]);
    const size = errorOf(await h.call("add_item", { item: "pepperoni pizza" }, env));
    assert.deepEqual(
      [size.code, size.message],
      ["needs_size", "¿De qué tamaño quiere su Pepperoni Pizza? Tenemos Small ($14.49), Medium ($17.49) o Large ($22.99)."],
    );
    await h.ok("add_item", { item: "large coke" }, env);
    const missing = errorOf(await h.call("remove_item", { item: "garlic knots" }, env));
    assert.deepEqual([missing.code, missing.message], ["line_not_found", "No veo garlic knots en su pedido."]);
    const phone = errorOf(await h.call("submit_order", { customer_name: "Ana", phone: "12" }, env));
    assert.deepEqual([phone.code, phone.message], ["invalid_phone", "No entendí un número de teléfono válido. ¿Me lo puede repetir?"]);
    h.now.value = CLOSED_NOW; // 08:00 in New York, opening at 11:00
    const closed = errorOf(await h.call("submit_order", { customer_name: "Ana" }, env));
    assert.deepEqual(
      [closed.code, closed.message],
      ["closed", "Lo siento, en este momento estamos cerrados, así que no puedo hacer el pedido. Volvemos a abrir a las 11 de la mañana."],
    );
    h.now.value = OPEN_NOW;
    const placed = await h.ok("submit_order", { customer_name: "Ana" }, env);
    const done = errorOf(await h.call("add_item", { item: "large coke" }, env));
    assert.deepEqual(
      [done.code, done.message],
      ["order_not_editable", `Su pedido número ${placed.orderNumber} ya se hizo, así que no lo puedo cambiar. Si quiere, puedo empezar un pedido nuevo.`],
    );
  });
});

describe("without a language in the envelope", () => {
  it("the order tools speak the location's own language; an envelope language still wins", async () => {
    h.now.value = OPEN_NOW;
    await h.db.updateTable("locations").set({ language: "es-US" }).where("id", "=", CHI.id).execute();
    await h.menuChanged(CHI.id);
    const plain = h.envelope({ locationId: CHI.id });
    assert.equal((await h.ok("start_order", { order_type: "pickup" }, plain)).speech, "Muy bien, un pedido para recoger. ¿Qué le gustaría?");
    const english = h.envelope({ locationId: CHI.id, language: "en-US" });
    assert.equal((await h.ok("start_order", { order_type: "pickup" }, english)).speech, "Okay, a pickup order. What would you like?");
  });
});
