import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { EVENT_SUBJECTS } from "@orderline/contracts";
import { DEMO_LOCATIONS } from "@orderline/db";
import { createTestDatabase, type TestDatabase } from "@orderline/db/testing";
import { connectNats, drainNats, type NatsConnection } from "@orderline/nats";
import { createLogger } from "@orderline/telemetry";
import { waitFor } from "@orderline/testing/wait-for";
import { type MenuService, startMenuService } from "../src/service.ts";
import { caller, envelopeFor, err, localAt, NATS_URL, ok } from "./helpers.ts";

const NY = DEMO_LOCATIONS.newYork;
const CHI = DEMO_LOCATIONS.chicago;
const DEN = DEMO_LOCATIONS.denver;

let tdb: TestDatabase;
let nc: NatsConnection;
let service: MenuService;
let now = localAt(NY.timezone, "2026-11-25T12:00"); // a Wednesday, noon in New York
const prefix = `test-${randomUUID().slice(0, 8)}.`;
let call: ReturnType<typeof caller>;

before(async () => {
  tdb = await createTestDatabase({ seed: true });
  nc = await connectNats({ url: NATS_URL, name: "menu-service-spanish-test" });
  const logger = createLogger({ service: "menu-service-test", level: "silent" });
  service = startMenuService({ db: tdb.db, nc, subjectPrefix: prefix, logger, clock: () => now, cacheTtlMs: 600_000 });
  call = caller(nc, prefix);
});
after(async () => {
  await service?.stop();
  if (nc) await drainNats(nc);
  await tdb?.close();
});

const at = (zone: string, iso: string) => {
  now = localAt(zone, iso);
};
/** A request from a call being answered in Spanish. */
const es = (locationId: string) => envelopeFor(locationId, { language: "es-US" });

describe("a Spanish envelope gets Spanish speech", () => {
  it("get_menu: categories and one category, with prices and what is unavailable", async () => {
    at(NY.timezone, "2026-11-25T12:00");
    assert.equal(
      ok(await call("get_menu", {}, es(NY.id))).speech,
      "Tenemos Classic Pizzas, Specialty Pizzas, Wings & Tenders, Salads, Sides & Apps, Pasta, Subs & Calzones, Drinks y Desserts. ¿De cuál le gustaría saber?",
    );
    assert.equal(
      ok(await call("get_menu", { category: "classic pizzas" }, es(CHI.id))).speech,
      "En Classic Pizzas tenemos Cheese Pizza desde $12.99, Pepperoni Pizza desde $14.49, Margherita Pizza desde $14.99, Italian Sausage Pizza desde $14.49 y Hawaiian Pizza desde $14.99. Mushroom Pizza y Garden Veggie Pizza no están disponibles en este momento.",
    );
  });

  it("get_item_details: a size's price, all sizes, allergens", async () => {
    assert.equal(
      ok(await call("get_item_details", { item_name: "a large pep" }, es(NY.id))).speech,
      "Pepperoni Pizza tamaño Large cuesta $22.99. Cup-and-char pepperoni over mozzarella. Contiene milk y wheat.",
    );
    assert.equal(
      ok(await call("get_item_details", { item_name: "pepperoni pizza" }, es(NY.id))).speech,
      "Pepperoni Pizza viene en Small por $14.49, Medium por $17.49 o Large por $22.99. Cup-and-char pepperoni over mozzarella. Contiene milk y wheat.",
    );
  });

  it("check_availability: available, and unavailable with alternatives", async () => {
    at(CHI.timezone, "2026-11-25T12:00");
    assert.equal(ok(await call("check_availability", { item_name: "pepperoni pizza" }, es(NY.id))).speech, "Sí, Pepperoni Pizza está disponible.");
    const mushroom = ok(await call("check_availability", { item_name: "mushroom pizza" }, es(CHI.id)));
    assert.equal(mushroom.available, false);
    assert.equal(
      mushroom.speech,
      `Lo siento, Mushroom Pizza no está disponible en este momento: nos quedamos sin mushrooms. ¿Le gustaría ${mushroom.alternatives[0]!.name}, ${mushroom.alternatives[1]!.name} o ${mushroom.alternatives[2]!.name} en su lugar?`,
    );
    assert.equal(
      ok(await call("check_availability", { item_name: "tiramisu" }, es(NY.id))).speech,
      "Lo siento, Tiramisu está agotado en este momento. ¿Le gustaría New York Cheesecake, Zeppole o Cannoli en su lugar?",
    );
    at(DEN.timezone, "2026-11-25T15:30");
    assert.match(
      ok(await call("check_availability", { item_name: "lunch special" }, es(DEN.id))).speech,
      /^Lo siento, Lunch Slice Combo solo se sirve de 11 de la mañana a 3 de la tarde\. ¿Le gustaría .+ en su lugar\?$/,
    );
  });

  it("get_hours: today's hours and closing time in the location's zone, closing soon, next opening", async () => {
    at(NY.timezone, "2026-11-25T12:00");
    assert.equal(
      ok(await call("get_hours", {}, es(NY.id))).speech,
      "Hoy abrimos de 11 de la mañana a 11 de la noche. Estamos abiertos ahora; cerramos a las 11 de la noche.",
    );
    assert.equal(
      ok(await call("get_hours", { day: "friday" }, es(NY.id))).speech,
      "El viernes 27 de noviembre abrimos de 11 de la mañana a 2 de la madrugada. Estamos abiertos en este momento.",
    );
    at(NY.timezone, "2026-11-25T22:40");
    assert.equal(
      ok(await call("get_hours", {}, es(NY.id))).speech,
      "Hoy abrimos de 11 de la mañana a 11 de la noche. Cerramos pronto, en 20 minutos, a las 11 de la noche.",
    );
    at(DEN.timezone, "2026-11-23T23:30");
    assert.equal(
      ok(await call("get_hours", { day: "tomorrow" }, es(DEN.id))).speech,
      "Mañana abrimos de 11 de la mañana a 10 de la noche. En este momento estamos cerrados; volvemos a abrir mañana a las 11 de la mañana.",
    );
  });

  it("get_wait_time: pickup and delivery minutes, and that we're closed", async () => {
    at(DEN.timezone, "2026-11-23T23:30");
    assert.equal(
      ok(await call("get_wait_time", { order_type: "pickup" }, es(DEN.id))).speech,
      "Un pedido para recoger tarda unos 20 minutos en este momento. Pero en este momento estamos cerrados; abrimos mañana a las 11 de la mañana.",
    );
    at(NY.timezone, "2026-11-25T12:00");
    assert.equal(ok(await call("get_wait_time", { order_type: "delivery" }, es(NY.id))).speech, "Un pedido a domicilio tarda unos 45 minutos en este momento.");
  });

  it("get_location and get_specials", async () => {
    assert.match(ok(await call("get_location", {}, es(NY.id))).speech, /^Estamos en 250 W 57th St, en New York, .* Nuestro número de teléfono es \(212\) 555-0100\.$/);
    assert.equal(
      ok(await call("get_specials", {}, es(NY.id))).speech,
      "El especial de hoy es: Wing Wednesday. Wednesdays from 4 to 9 pm, 12 buffalo wings for $11.99. No está disponible en este momento.",
    );
  });
});

describe("a Spanish envelope gets Spanish error messages", () => {
  it("not_on_menu, ambiguous_item, unknown_category, invalid_day, unknown_location", async () => {
    const missing = err(await call("get_item_details", { item_name: "sushi" }, es(NY.id)));
    assert.deepEqual([missing.code, missing.message], ["not_on_menu", "Lo siento, no tenemos sushi. Lo más parecido es Mushroom Pizza."]);
    const ambiguous = err(await call("get_item_details", { item_name: "buffalo" }, es(NY.id)));
    assert.deepEqual([ambiguous.code, ambiguous.message], ["ambiguous_item", "¿Se refiere a Buffalo Chicken Pizza o Buffalo Wings?"]);
    const category = err(await call("get_menu", { category: "sushi bar" }, es(NY.id)));
    assert.equal(category.code, "unknown_category");
    assert.match(category.message, /^No tenemos una sección de sushi bar en nuestro menú\. Tenemos Classic Pizzas, .* Drinks y Desserts\.$/);
    const day = err(await call("get_hours", { day: "someday" }, es(NY.id)));
    assert.deepEqual([day.code, day.message], ["invalid_day", 'No entendí qué día es "someday". Puede preguntar por hoy, mañana, un día de la semana o una fecha.']);
    const nowhere = err(await call("get_menu", {}, es(randomUUID())));
    assert.deepEqual([nowhere.code, nowhere.message], ["unknown_location", "Este restaurante no está configurado para tomar pedidos por teléfono en este momento."]);
  });

  it("the same failure in English without a language at an English-speaking location", async () => {
    const missing = err(await call("get_item_details", { item_name: "sushi" }, envelopeFor(NY.id)));
    assert.equal(missing.message, "Sorry, we don't have sushi. The closest are the Mushroom Pizza.");
  });
});

describe("without a language in the envelope", () => {
  it("speaks the location's own language; an envelope language still wins", async () => {
    at(DEN.timezone, "2026-11-25T12:00");
    await tdb.db.updateTable("locations").set({ language: "es-US" }).where("id", "=", DEN.id).execute();
    nc.publish(EVENT_SUBJECTS.catalogChanged(DEN.id, prefix), "{}");
    await waitFor(
      async () => {
        const reply = await call("get_wait_time", { order_type: "pickup" }, envelopeFor(DEN.id));
        return reply.ok && reply.result.speech.startsWith("Un pedido");
      },
      { timeoutMs: 5000, message: "Denver's menu snapshot to pick up its new language after the catalog change event" },
    );
    assert.equal(ok(await call("get_wait_time", { order_type: "pickup" }, envelopeFor(DEN.id))).speech, "Un pedido para recoger tarda unos 20 minutos en este momento.");
    assert.equal(
      ok(await call("get_wait_time", { order_type: "pickup" }, envelopeFor(DEN.id, { language: "en-US" }))).speech,
      "A pickup order takes about 20 minutes right now.",
    );
  });
});
