import assert from "node:assert/strict";
import { test } from "node:test";
import type { LocationSnapshot } from "../state/session.ts";
import { buildInstructions, resumeNote } from "./instructions.ts";

const location: LocationSnapshot = {
  id: "00000000-0000-4000-8000-000000000001",
  brandId: "00000000-0000-4000-8000-000000000002",
  name: "Tony's Pizzeria Midtown",
  timezone: "America/New_York",
  language: "en-US",
  greeting: null,
  recordingNotice: true,
  staffNumbers: ["+12125550101"],
  publicPhone: "+12125550100",
  dialledNumber: "+12125550100",
};

test("English instructions: disclosure, recording notice, flow rules, local time in the location's zone", () => {
  const text = buildInstructions({ location, customer: null }, new Date("2026-11-22T17:30:00Z"));
  assert.match(text, /Thanks for calling Tony's Pizzeria Midtown! I'm the restaurant's AI ordering assistant\. This call may be recorded/);
  assert.match(text, /Sunday 12:30 PM/);
  assert.match(text, /get_order_summary and read back/);
  assert.match(text, /Never ask for or accept card numbers/);
  assert.match(text, /transfer_to_human/);
  assert.match(text, /switch to that language/);
  assert.doesNotMatch(text, /Returning caller/);
});

test("no recording notice where the location does not record; a returning caller is named and offered their last order", () => {
  const text = buildInstructions({ location: { ...location, recordingNotice: false }, customer: { name: "Maria", lastOrderSummary: "1 Large Pepperoni Pizza" } });
  assert.doesNotMatch(text, /recorded/);
  assert.match(text, /belongs to Maria\. Greet them by name/);
  assert.match(text, /1 Large Pepperoni Pizza/);
});

test("a Spanish-speaking location gets Spanish instructions that still follow a caller's switch to English", () => {
  const text = buildInstructions({ location: { ...location, language: "es-US", greeting: "¡Hola, gracias por llamar a Tony's!" }, customer: null });
  assert.match(text, /¡Hola, gracias por llamar a Tony's! Soy el asistente de pedidos con inteligencia artificial/);
  assert.match(text, /Esta llamada puede ser grabada/);
  assert.match(text, /Si el cliente habla inglés/);
  assert.match(text, /Nunca pida ni acepte números de tarjeta/);
});

test("the resume note carries the cart and the last turns", () => {
  const text = resumeNote({
    lang: "en",
    reason: "reconnected",
    cartSpeech: "1 Large Pepperoni Pizza (total 25.03)",
    transcriptTail: [{ role: "caller", text: "a large pepperoni", at: "2026-11-22T17:30:00Z" }],
  });
  assert.match(text, /cut off/);
  assert.match(text, /Current order: 1 Large Pepperoni Pizza/);
  assert.match(text, /caller: a large pepperoni/);
});
