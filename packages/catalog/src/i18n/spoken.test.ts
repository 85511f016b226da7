import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DateTime } from "luxon";
import { speechLanguage, speechLanguageOf } from "./language.ts";
import { SPOKEN } from "./spoken.ts";

const zone = "America/Denver";
const now = DateTime.fromISO("2026-11-25T21:00", { zone });
const local = (iso: string) => DateTime.fromISO(iso, { zone });

describe("speech language", () => {
  it("is the envelope's when given, else the location's; Spanish for any es tag, else English", () => {
    assert.equal(speechLanguageOf("es-US"), "es");
    assert.equal(speechLanguageOf("es"), "es");
    assert.equal(speechLanguageOf("en-US"), "en");
    assert.equal(speechLanguageOf("fr-CA"), "en");
    assert.equal(speechLanguageOf(undefined), "en");
    assert.equal(speechLanguage({ language: "es-US" }, { language: "en-US" }), "es");
    assert.equal(speechLanguage({}, { language: "es-MX" }), "es");
    assert.equal(speechLanguage({ language: "en-US" }, { language: "es-US" }), "en");
  });
});

describe("English building blocks", () => {
  const en = SPOKEN.en;
  it("says prices, with whole dollars short when asked", () => {
    assert.equal(en.money(1449), "$14.49");
    assert.equal(en.money(1500), "$15.00");
    assert.equal(en.money(1500, { short: true }), "$15");
    assert.equal(en.money(0, { short: true }), "$0");
  });

  it("says days and times relative to the location's today", () => {
    assert.equal(en.day("2026-11-25", now), "today");
    assert.equal(en.day("2026-11-26", now), "tomorrow");
    assert.equal(en.day("2026-11-27", now), "Friday, November 27");
    assert.equal(en.when(local("2026-11-25T23:30"), now), "at 11:30 PM");
    assert.equal(en.when(local("2026-11-26T11:00"), now), "at 11 AM tomorrow");
    assert.equal(en.when(local("2026-11-28T12:00"), now), "at noon on Saturday, November 28");
    assert.equal(en.clock("00:00"), "midnight");
  });

  it("lists with the article and serial comma it is asked for", () => {
    assert.equal(en.list(["A", "B", "C"], "or", { article: "the " }), "the A, the B or the C");
    assert.equal(en.list(["a", "b", "c"], "and", { serialComma: true }), "a, b, and c");
  });
});

describe("Spanish building blocks", () => {
  const es = SPOKEN.es;
  it("says US prices in dollars", () => {
    assert.equal(es.money(1899), "$18.99");
    assert.equal(es.money(1500, { short: true }), "$15");
  });

  it("says times of day as people do, with the right article", () => {
    assert.equal(es.time(local("2026-11-25T11:00")), "11 de la mañana");
    assert.equal(es.time(local("2026-11-25T15:30")), "3:30 de la tarde");
    assert.equal(es.time(local("2026-11-25T23:00")), "11 de la noche");
    assert.equal(es.time(local("2026-11-26T02:00")), "2 de la madrugada");
    assert.equal(es.atTime(local("2026-11-25T13:00")), "a la 1 de la tarde");
    assert.equal(es.atTime(local("2026-11-25T12:00")), "al mediodía");
    assert.equal(es.atTime(local("2026-11-26T00:00")), "a medianoche");
  });

  it("says days relative to the location's today", () => {
    assert.equal(es.day("2026-11-25", now), "hoy");
    assert.equal(es.day("2026-11-26", now), "mañana");
    assert.equal(es.day("2026-11-27", now), "el viernes 27 de noviembre");
    assert.equal(es.when(local("2026-11-25T23:30"), now), "a las 11:30 de la noche");
    assert.equal(es.when(local("2026-11-26T11:00"), now), "mañana a las 11 de la mañana");
  });

  it("lists without a serial comma, y → e and o → u before the same sound", () => {
    assert.equal(es.list(["A", "B", "C"], "and", { serialComma: true, article: "the " }), "A, B y C");
    assert.equal(es.list(["pan", "hielo"], "and"), "pan y hielo");
    assert.equal(es.list(["pan", "Italian Sub"], "and"), "pan e Italian Sub");
    assert.equal(es.list(["siete", "ocho"], "or"), "siete u ocho");
  });
});
