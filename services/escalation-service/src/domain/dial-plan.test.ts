import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DateTime } from "luxon";
import { expectedCallback, type LocationHours, lineStatus, planDial, type StaffLine, smsLine } from "./dial-plan.ts";
import { cutSummary, normalizeReason } from "./summary.ts";
import { callbackSpeech, holdMessage, spokenWhen, whisperText } from "./texts.ts";

const ZONE = "America/Denver";
/** Denver store: 11:00–22:00 every day, closed on 2026-12-25. */
const HOURS = {
  location: { timezone: ZONE },
  weeklyHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, isClosed: false, opensAt: "11:00", closesAt: "22:00" })),
  exceptions: [{ date: "2026-12-25", isClosed: true, opensAt: null, closesAt: null, reason: "Christmas" }],
} satisfies LocationHours;

const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toJSDate();
const manager: StaffLine = {
  id: "m",
  number: "+13035550101",
  label: "Manager on duty",
  priority: 0,
  receivesSms: false,
  hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: "16:00", closesAt: "21:00" })),
};
const counter: StaffLine = { id: "c", number: "+13035550102", label: "Front counter", priority: 1, receivesSms: true, hours: [] };

describe("dial plan", () => {
  test("in the evening both lines answer, the manager first", () => {
    const plan = planDial([counter, manager], HOURS, local("2026-12-02T18:00"));
    assert.deepEqual(plan, {
      kind: "dial",
      targets: [
        { number: "+13035550101", label: "Manager on duty" },
        { number: "+13035550102", label: "Front counter" },
      ],
    });
  });

  test("at lunch only the counter (location hours) answers; the manager's own hours keep it out", () => {
    const plan = planDial([manager, counter], HOURS, local("2026-12-02T12:30"));
    assert.deepEqual(plan, { kind: "dial", targets: [{ number: "+13035550102", label: "Front counter" }] });
  });

  test("hours are the location's timezone, not UTC: 03:00 UTC is 20:00 in Denver", () => {
    assert.equal(lineStatus(manager, HOURS, new Date("2026-12-03T03:00:00Z")).availableNow, true);
  });

  test("at night nobody answers: callback, with the next time someone does", () => {
    const plan = planDial([manager, counter], HOURS, local("2026-12-02T23:30"));
    assert.equal(plan.kind, "callback");
    if (plan.kind !== "callback") return;
    assert.equal(plan.cause, "outside_hours");
    assert.equal(plan.nextAvailable?.toISO(), "2026-12-03T11:00:00.000-07:00");
  });

  test("the store's holiday closes the counter, not the manager's own hours", () => {
    const plan = planDial([manager, counter], HOURS, local("2026-12-25T17:00"));
    assert.deepEqual(plan, { kind: "dial", targets: [{ number: "+13035550101", label: "Manager on duty" }] });
  });

  test("no staff number at all → callback (no_staff_number)", () => {
    const plan = planDial([], HOURS, local("2026-12-02T12:00"));
    assert.deepEqual(plan, { kind: "callback", cause: "no_staff_number", nextAvailable: null });
  });

  test("callbacks are texted to the first line that takes SMS", () => {
    assert.equal(smsLine([manager, counter])?.number, "+13035550102");
  });

  test("when to expect the callback: soon after no answer, else after the next opening", () => {
    const now = local("2026-12-02T23:30");
    assert.deepEqual(expectedCallback("no_answer", null, now, 30), { at: new Date(now.getTime() + 30 * 60_000), soon: true });
    const next = DateTime.fromISO("2026-12-03T11:00", { zone: ZONE });
    assert.deepEqual(expectedCallback("outside_hours", next, now, 30), { at: local("2026-12-03T11:30"), soon: false });
  });
});

describe("texts", () => {
  const order = {
    orderId: "0b7d3c1e-5a2f-4c1e-9d3b-2f6a8e4c7b10",
    orderNumber: null,
    state: "draft" as const,
    orderType: "pickup" as const,
    lines: [
      { quantity: 2, name: "Pepperoni Pizza", size: "Large", modifiers: ["extra cheese"] },
      { quantity: 1, name: "Garlic Knots", size: null, modifiers: [] },
    ],
    itemCount: 3,
    totalCents: 4510,
    largeOrder: false,
  };

  test("the whisper says why, what the caller said and what is in the order", () => {
    const text = whisperText({
      lang: "en",
      locationName: "Tony's Pizzeria LoDo",
      reason: "complaint",
      summary: "Maria says last night's pizza arrived cold.",
      order,
      callerPhone: "+13035550123",
    });
    assert.equal(
      text,
      "Transferred call from the Tony's Pizzeria LoDo ordering line. The caller has a complaint. Maria says last night's pizza arrived cold. Order so far: 2 Large Pepperoni Pizza (extra cheese), 1 Garlic Knots; total $45.10. Caller's number: (303) 555-0123.",
    );
  });

  test("hold line apologises for a technical failure, and says 'still trying' on the next number", () => {
    assert.match(holdMessage("en", "technical_failure", 0), /^Sorry, we're having some technical trouble/);
    assert.equal(holdMessage("en", "complaint", 1), "Still trying to reach someone, please hold.");
    assert.match(holdMessage("es", "complaint", 0), /^Por favor espere/);
  });

  test("the caller is told when to expect the call, in the location's time", () => {
    const now = DateTime.fromISO("2026-12-02T23:30", { zone: ZONE });
    const from = DateTime.fromISO("2026-12-03T11:00", { zone: ZONE });
    assert.equal(spokenWhen(from, now, "en"), "at 11 AM tomorrow");
    assert.equal(
      callbackSpeech({ lang: "en", callerPhone: "+13035550123", soon: false, withinMinutes: 30, from, localNow: now }),
      "I'm sorry, our staff can't take calls right now. I've asked them to call you back at (303) 555-0123 starting at 11 AM tomorrow.",
    );
    assert.match(callbackSpeech({ lang: "en", callerPhone: null, soon: true, withinMinutes: 30, from: null, localNow: now }), /can't see the number/);
  });

  test("a Spanish-speaking location hears and whispers in Spanish", () => {
    const now = DateTime.fromISO("2026-12-02T23:30", { zone: ZONE });
    const from = DateTime.fromISO("2026-12-03T11:00", { zone: ZONE });
    assert.equal(
      callbackSpeech({ lang: "es", callerPhone: "+13035550123", soon: false, withinMinutes: 30, from, localNow: now }),
      "Lo siento, el personal no está disponible ahora. Les pedí que le devuelvan la llamada al (303) 555-0123 a partir de mañana a las 11 h.",
    );
    assert.match(whisperText({ lang: "es", locationName: "Tony's", reason: "payment_or_refund", summary: "Cobro doble.", order: null, callerPhone: null }), /^Llamada transferida desde la línea de pedidos de Tony's\. El cliente necesita ayuda con un pago o un reembolso\. Cobro doble\. Todavía no hay pedido\.$/);
  });

  test("a 5 KB summary is cut to 500 characters at a word; an unknown reason is other", () => {
    const cut = cutSummary(`${"the caller wants to talk about the order ".repeat(130)}`);
    assert.ok(cut.length <= 500, `length ${cut.length}`);
    assert.ok(cut.endsWith("…"));
    assert.equal(cutSummary("  short\n summary "), "short summary");
    assert.equal(normalizeReason("wants the owner"), "other");
    assert.equal(normalizeReason("complaint"), "complaint");
  });
});
