import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readyCallSpeech, readyVoicemail, receiptSms, surveyScore } from "./messages.ts";

const facts = { customerName: "Mike Rossi", orderNumber: 47, locationName: "Tony's Pizzeria Midtown", orderType: "pickup" as const, language: "en-US" };

describe("order-ready words", () => {
  it("greets the person by first name, in English or Spanish", () => {
    assert.equal(readyCallSpeech(facts), "Hi Mike, your order number 47 from Tony's Pizzeria Midtown is ready for pickup.");
    assert.equal(readyCallSpeech({ ...facts, language: "es-US" }), "Hola Mike, su pedido número 47 de Tony's Pizzeria Midtown está listo para recoger.");
    assert.equal(readyCallSpeech({ ...facts, customerName: null }), "Hi there, your order number 47 from Tony's Pizzeria Midtown is ready for pickup.");
  });

  it("leaves a voicemail that names the restaurant", () => {
    assert.equal(readyVoicemail(facts), "Hi Mike, this is Tony's Pizzeria Midtown. Your order number 47 is ready for pickup. Thank you!");
    assert.equal(readyVoicemail({ ...facts, language: "es-MX" }), "Hola Mike, le llamamos de Tony's Pizzeria Midtown. Su pedido número 47 está listo para recoger. ¡Gracias!");
  });
});

describe("receiptSms", () => {
  const base = {
    locationName: "Tony's Pizzeria Denver",
    language: "en-US",
    timezone: "America/Denver",
    orderNumber: 12,
    orderType: "delivery" as const,
    items: [
      { quantity: 2, name: "Large Cheese Pizza", lineTotalCents: 3398 },
      { quantity: 1, name: "Garlic Knots", lineTotalCents: 599 },
    ],
    totalCents: 4706,
    promisedAt: new Date("2026-12-06T02:10:00Z"),
    deliveryWindowMinutes: 15,
    payOnlineUrl: null,
  };

  it("a delivery window in the location's time zone, no link when the location has none", () => {
    assert.equal(
      receiptSms(base),
      ["Tony's Pizzeria Denver: order #12 received.", "2 x Large Cheese Pizza $33.98", "1 x Garlic Knots $5.99", "Total $47.06 incl. tax", "Delivery between 7:10 PM and 7:25 PM", "Reply STOP to opt out."].join("\n"),
    );
  });

  it("Spanish, and a long order is cut to stay well inside one SMS limit", () => {
    const items = Array.from({ length: 20 }, (_, i) => ({ quantity: 1, name: `Item ${i + 1}`, lineTotalCents: 100 }));
    const text = receiptSms({ ...base, language: "es-US", orderType: "pickup", items, payOnlineUrl: "https://pay.example/o/1" });
    assert.match(text, /^Tony's Pizzeria Denver: pedido #12 recibido\.\n1 x Item 1 \$1\.00\n/);
    assert.match(text, /\ny 5 más\n/);
    assert.match(text, /\nPague en línea: https:\/\/pay\.example\/o\/1\nResponda STOP/);
    assert.ok(text.length < 1600);
  });
});

describe("survey replies", () => {
  it("a digit 1–5, alone or as '4/5', '5 stars', '3.', is the score; anything else is not", () => {
    assert.deepEqual(["4", " 4/5 ", "5 stars", "3.", "1 estrella"].map(surveyScore), [4, 4, 5, 3, 1]);
    assert.deepEqual(["0", "6", "45", "STOP", "4 of 5 was fine", ""].map(surveyScore), [null, null, null, null, null, null]);
  });
});
