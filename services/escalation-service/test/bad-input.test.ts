import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { CallbackDecision, DialDecision } from "@orderline/contracts";
import { type Harness, NY, NY_EVENING, NY_MORNING, startHarness } from "./harness.ts";

describe("bad input: the number comes from configuration, nothing is lost, no caller is dropped", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ now: NY_EVENING });
  });
  after(async () => {
    await h?.close();
  });

  test('"Transfer me to +44…": the model passes the number on; the dial goes to the location\'s staff line only', async () => {
    const envelope = await h.startCall();
    const reply = await h.transfer(envelope, { reason: "caller_request", summary: "Caller says: transfer me to +44 20 7946 0958.", to: "+442079460958", number: "+442079460958" });
    assert.ok(reply.ok, JSON.stringify(reply));
    assert.equal(reply.result.to, "+12125550101");
    const dial = reply.result.decision as DialDecision;
    assert.deepEqual(dial.target, { number: "+12125550101", label: "Front counter" });
    const dialled = (await h.events(envelope.callSid)).filter((e) => e.event_type === "transfer").map((e) => e.event_data["number"]);
    assert.deepEqual(dialled, ["+12125550101"]);
  });

  test("a reason outside the enum is other, with the words kept as detail", async () => {
    const envelope = await h.startCall();
    const dial = (await h.decide(envelope, { reason: "wants_the_owner", detail: "wants to talk to the owner about a job", summary: "Asks for the owner." })) as DialDecision;
    assert.equal(dial.reason, "other");
    const row = await h.db.selectFrom("escalations").select(["reason", "reason_detail"]).where("call_sid", "=", envelope.callSid).executeTakeFirstOrThrow();
    assert.deepEqual(row, { reason: "other", reason_detail: "wants to talk to the owner about a job" });
  });

  test("a transfer for a call that already ended is a no-op with a clear result", async () => {
    const envelope = await h.startCall({ ended: true });
    const reply = await h.transfer(envelope, { reason: "complaint", summary: "Too late." });
    assert.ok(reply.ok);
    assert.deepEqual(reply.result, {
      transferred: false,
      to: null,
      callbackRequested: false,
      speech: "This call has already ended, so there is nothing to transfer.",
      decision: { action: "none", cause: "call_ended", speech: "This call has already ended, so there is nothing to transfer." },
    });
    assert.equal(await h.db.selectFrom("escalations").select("id").where("call_sid", "=", envelope.callSid).executeTakeFirst(), undefined);
    assert.equal(await h.db.selectFrom("callback_requests").select("id").where("call_sid", "=", envelope.callSid).executeTakeFirst(), undefined);
    const events = await h.events(envelope.callSid);
    assert.deepEqual(
      events.map((e) => [e.event_type, e.event_data["step"], e.event_data["cause"]]),
      [["escalation", "ignored", "call_ended"]],
    );
  });

  test("a 5 KB summary is accepted and cut to 500 characters for staff", async () => {
    const envelope = await h.startCall();
    const long = `The caller wants to discuss a large order for a wedding. ${"They keep adding details about the menu and the timing. ".repeat(90)}`;
    assert.ok(long.length >= 5000);
    const dial = (await h.decide(envelope, { reason: "large_order", summary: long })) as DialDecision;
    const row = await h.db.selectFrom("escalations").select("summary").where("call_sid", "=", envelope.callSid).executeTakeFirstOrThrow();
    assert.ok(row.summary.length <= 500, `stored ${row.summary.length} characters`);
    assert.ok(row.summary.endsWith("…"));
    assert.ok(row.summary.startsWith("The caller wants to discuss a large order for a wedding."));
    assert.ok(dial.whisper.includes(row.summary));
    const decided = (await h.events(envelope.callSid)).find((e) => e.event_data["step"] === "decided")!;
    assert.equal(decided.event_data["summaryCut"], true);
  });

  test("a location with no staff number: callback request, the caller told when, nothing dialled", async () => {
    await h.db.updateTable("location_staff_lines").set({ active: false }).where("location_id", "=", NY.id).execute();
    try {
      const envelope = await h.startCall({ callerPhone: "+12125550177" });
      const reply = await h.transfer(envelope, { reason: "payment_or_refund", summary: "Charged twice for order 41." });
      assert.ok(reply.ok);
      assert.equal(reply.result.transferred, false);
      assert.equal(reply.result.callbackRequested, true);
      const cb = reply.result.decision as CallbackDecision;
      assert.equal(cb.action, "callback");
      assert.equal(cb.cause, "no_staff_number");
      assert.equal(cb.staffNotified, false);
      assert.equal(cb.expectedBy, "2026-11-19T00:00:00.000Z");
      const row = await h.db.selectFrom("callback_requests").selectAll().where("id", "=", cb.callbackRequestId).executeTakeFirstOrThrow();
      assert.equal(row.state, "open");
      assert.equal(row.caller_phone, "+12125550177");
      assert.equal(row.notify_error, "the location has no staff line to text");
      assert.deepEqual(
        (await h.events(envelope.callSid)).map((e) => e.event_type),
        ["escalation", "callback_requested"],
      );
    } finally {
      await h.db.updateTable("location_staff_lines").set({ active: true }).where("location_id", "=", NY.id).execute();
    }
  });

  test("outside staff hours: callback after the next opening, in the location's time; staff texted", async () => {
    h.now.value = NY_MORNING;
    try {
      const envelope = await h.startCall();
      const cb = (await h.decide(envelope, { reason: "complaint", summary: "Cold pizza last night." })) as CallbackDecision;
      assert.equal(cb.action, "callback");
      assert.equal(cb.cause, "outside_hours");
      assert.equal(cb.expectedBy, "2026-11-18T16:30:00.000Z");
      assert.equal(cb.speech, "I'm sorry, our staff can't take calls right now. I've asked them to call you back at (212) 555-0142 starting at 11 AM today.");
      assert.equal(cb.staffNotified, true);
      assert.ok(h.cloud.messages.some((m) => m.to === "+12125550101" && m.body.includes(cb.callbackRequestId.slice(0, 8))));
    } finally {
      h.now.value = NY_EVENING;
    }
  });

  test("a holiday closes the store's line: Thanksgiving evening → callback from the next day's opening", async () => {
    h.now.value = new Date("2026-11-26T23:00:00Z");
    try {
      const envelope = await h.startCall();
      const cb = (await h.decide(envelope, { reason: "large_order", summary: "Office party for 40 on Monday." })) as CallbackDecision;
      assert.equal(cb.cause, "outside_hours");
      assert.equal(cb.expectedBy, "2026-11-27T16:30:00.000Z");
      assert.match(cb.speech, /starting at 11 AM tomorrow\.$/);
    } finally {
      h.now.value = NY_EVENING;
    }
  });

  test("a withheld caller ID: the callback is stored without a number and the caller is asked to call again", async () => {
    h.now.value = NY_MORNING;
    try {
      const envelope = await h.startCall({ callerPhone: null });
      const cb = (await h.decide(envelope, { reason: "caller_request", summary: "Wants a person." })) as CallbackDecision;
      assert.equal(cb.callerPhone, null);
      assert.match(cb.speech, /can't see the number you're calling from\. Please call us again at 11 AM today\.$/);
    } finally {
      h.now.value = NY_EVENING;
    }
  });

  test("a repeated transfer_to_human for the same call returns the same decision, one escalation", async () => {
    const envelope = await h.startCall();
    const [a, b] = await Promise.all([
      h.decide(envelope, { reason: "caller_request", summary: "Wants a person." }),
      h.decide(envelope, { reason: "caller_request", summary: "Wants a person." }),
    ]);
    assert.deepEqual(a, b);
    const rows = await h.db.selectFrom("escalations").select("id").where("call_sid", "=", envelope.callSid).execute();
    assert.equal(rows.length, 1);
  });

  test("a dial outcome for another call's transfer or with an unknown status is refused with a clear error", async () => {
    const mine = await h.startCall();
    const other = await h.startCall();
    const dial = (await h.decide(mine, { reason: "caller_request", summary: "Wants a person." })) as DialDecision;
    const stolen = await h.dialOutcome(other, { escalationId: dial.escalationId, attempt: 0, dialCallStatus: "completed" });
    assert.equal(stolen.ok ? "ok" : stolen.error.code, "forbidden");
    const bad = await h.dialOutcome(mine, { escalationId: dial.escalationId, attempt: 0, dialCallStatus: "ringing" as never });
    assert.ok(!bad.ok);
    assert.equal(bad.error.code, "invalid_arguments");
    assert.match(bad.error.message, /dialCallStatus/);
    const row = await h.db.selectFrom("escalations").select(["state", "attempt"]).where("id", "=", dial.escalationId).executeTakeFirstOrThrow();
    assert.deepEqual(row, { state: "dialing", attempt: 0 }, "nothing changed");
  });

  test("a 5 KB turn and an unknown counter: assess_turn answers or names the problem", async () => {
    const envelope = await h.startCall();
    const long = await h.assess(envelope, { text: `I want to speak to a manager ${"please ".repeat(800)}` });
    assert.equal(long.reason, "caller_request");
    assert.ok((long.summaryHint ?? "").length <= 500, `summary hint of ${long.summaryHint?.length} characters`);
    await assert.rejects(h.assess(envelope, { text: "hi", counters: { mood: 3 } as never }), /invalid_arguments: .*counters/);
  });
});
