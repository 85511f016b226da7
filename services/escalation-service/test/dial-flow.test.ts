import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type CallbackDecision, type DialDecision, ESCALATION_SUBJECTS, type SetCallbackStateResult, type ToolReply } from "@orderline/contracts";
import { callbackTwiml, dialTwiml } from "@orderline/handoff";
import { parseTwiml } from "@orderline/testing";
import { DENVER, DENVER_EVENING, type Harness, NY, NY_EVENING, startHarness } from "./harness.ts";

const URLS = { actionUrl: "https://voice.example.com/voice/dial-result", whisperUrl: "https://voice.example.com/voice/whisper" };

describe("no answer → next number → callback, and answered → transferred", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ now: DENVER_EVENING });
  });
  after(async () => {
    await h?.close();
  });

  test("Denver in the evening: manager, then the counter, then a callback request texted to the location", async () => {
    h.now.value = DENVER_EVENING;
    const envelope = await h.startCall({ location: DENVER, callerPhone: "+13035550123" });
    await h.order("start_order", { order_type: "pickup" }, envelope);
    await h.order("add_item", { item: "garlic knots", size: "12 piece", quantity: 2 }, envelope);

    const first = (await h.decide(envelope, { reason: "caller_request", summary: "Priya wants to change tomorrow's catering pickup." })) as DialDecision;
    assert.equal(first.action, "dial");
    assert.deepEqual(first.target, { number: "+13035550101", label: "Manager on duty" });
    assert.equal(first.remainingTargets, 1);
    assert.equal(first.callerId, DENVER.phone);

    const second = await h.dialOutcome(envelope, { escalationId: first.escalationId, attempt: 0, dialCallStatus: "no-answer" });
    assert.ok(second.ok);
    const next = second.result as DialDecision;
    assert.equal(next.action, "dial");
    assert.equal(next.attempt, 1);
    assert.deepEqual(next.target, { number: "+13035550102", label: "Front counter" });
    assert.equal(next.remainingTargets, 0);
    const twiml = parseTwiml(dialTwiml(next, URLS));
    assert.equal(twiml.children[0]!.text, "Still trying to reach someone, please hold.");
    assert.equal(twiml.children[1]!.children[0]!.text, "+13035550102");

    // Twilio retries the first webhook: nothing happens twice.
    const repeat = await h.dialOutcome(envelope, { escalationId: first.escalationId, attempt: 0, dialCallStatus: "no-answer" });
    assert.deepEqual(repeat, second);

    const last = await h.dialOutcome(envelope, { escalationId: first.escalationId, attempt: 1, dialCallStatus: "busy" });
    assert.ok(last.ok);
    const cb = last.result as CallbackDecision;
    assert.equal(cb.action, "callback");
    assert.equal(cb.cause, "no_answer");
    assert.equal(cb.callerPhone, "+13035550123");
    assert.equal(cb.staffNotified, true);
    assert.equal(cb.expectedBy, "2026-11-19T01:30:00.000Z");
    assert.equal(
      cb.speech,
      "I'm sorry, nobody from the restaurant can come to the phone right now. I've asked them to call you back at (303) 555-0123 within the next 30 minutes.",
    );
    assert.deepEqual(
      parseTwiml(callbackTwiml(cb)).children.map((n) => n.name),
      ["Say", "Hangup"],
    );

    // The SMS, through the real twilio client, to the location's first line that takes texts, from its number.
    const sms = h.cloud.messages.filter((m) => m.body.includes(cb.callbackRequestId.slice(0, 8)));
    assert.equal(sms.length, 1);
    assert.equal(sms[0]!.to, "+13035550101");
    assert.equal(sms[0]!.from, DENVER.phone);
    assert.match(sms[0]!.body, /^Callback request \(Tony's Pizzeria LoDo\): \(303\) 555-0123\. The caller asked to speak with a person\./);
    assert.ok(sms[0]!.body.includes("Priya wants to change tomorrow's catering pickup."));
    assert.ok(sms[0]!.body.includes("Order so far: 2 Garlic Knots, 12 Piece; total $"), sms[0]!.body);

    const stored = await h.db.selectFrom("callback_requests").selectAll().where("id", "=", cb.callbackRequestId).executeTakeFirstOrThrow();
    assert.equal(stored.state, "open");
    assert.equal(stored.caller_phone, "+13035550123");
    assert.equal(stored.reason, "caller_request");
    assert.equal(stored.cause, "no_answer");
    assert.equal(stored.sms_sid, sms[0]!.sid);
    assert.deepEqual(
      stored.order_so_far?.lines.map((l) => [l.quantity, l.name]),
      [[2, "Garlic Knots"]],
    );

    const events = await h.events(envelope.callSid);
    assert.deepEqual(
      events.map((e) => [e.event_type, e.event_data["step"] ?? null, e.event_data["number"] ?? null, e.event_data["answered"] ?? null]),
      [
        ["escalation", "decided", null, null],
        ["transfer", "dialing", "+13035550101", null],
        ["transfer", "not_answered", "+13035550101", false],
        ["transfer", "dialing", "+13035550102", null],
        ["transfer", "not_answered", "+13035550102", false],
        ["callback_requested", null, null, null],
      ],
    );

    // Staff call back and close it; the dashboard sees it done.
    const done = (await h.nc.request(
      ESCALATION_SUBJECTS.setCallbackState(h.prefix),
      JSON.stringify({ callbackRequestId: cb.callbackRequestId, locationId: DENVER.id, to: "done", actor: "staff:maria" }),
      { timeout: 10_000 },
    )).json() as ToolReply<SetCallbackStateResult>;
    assert.deepEqual(done, { ok: true, result: { callbackRequestId: cb.callbackRequestId, from: "open", to: "done", changed: true } });
    const elsewhere = (await h.nc.request(
      ESCALATION_SUBJECTS.setCallbackState(h.prefix),
      JSON.stringify({ callbackRequestId: cb.callbackRequestId, locationId: NY.id, to: "open", actor: "staff:bob" }),
      { timeout: 10_000 },
    )).json() as ToolReply<SetCallbackStateResult>;
    assert.equal(elsewhere.ok ? "ok" : elsewhere.error.code, "forbidden");
  });

  test("staff answer: the call's record ends transferred, to that number, with the reason", async () => {
    h.now.value = NY_EVENING;
    const envelope = await h.startCall();
    const dial = (await h.decide(envelope, { reason: "complaint", summary: "Caller says the pizza was cold." })) as DialDecision;
    const reply = await h.dialOutcome(envelope, { escalationId: dial.escalationId, attempt: 0, dialCallStatus: "completed", dialCallDuration: 95 });
    assert.deepEqual(reply, { ok: true, result: { action: "end", escalationId: dial.escalationId, outcome: "answered", answeredBy: "+12125550101" } });
    const call = await h.db
      .selectFrom("voice_calls")
      .select(["disposition", "transferred_to", "escalation_reason"])
      .where("call_sid", "=", envelope.callSid)
      .executeTakeFirstOrThrow();
    assert.deepEqual(call, { disposition: "transferred", transferred_to: "+12125550101", escalation_reason: "complaint" });
    const answered = (await h.events(envelope.callSid)).at(-1)!;
    assert.equal(answered.event_type, "transfer");
    assert.deepEqual(
      [answered.event_data["step"], answered.event_data["answered"], answered.event_data["durationSeconds"]],
      ["answered", true, 95],
    );
  });

  test("the caller hangs up while staff is rung: the transfer ends, nothing is texted", async () => {
    h.now.value = NY_EVENING;
    const envelope = await h.startCall();
    const before = h.cloud.messages.length;
    const dial = (await h.decide(envelope, { reason: "caller_request", summary: "Wants a person." })) as DialDecision;
    const reply = await h.dialOutcome(envelope, { escalationId: dial.escalationId, attempt: 0, dialCallStatus: "canceled" });
    assert.deepEqual(reply, { ok: true, result: { action: "end", escalationId: dial.escalationId, outcome: "caller_hung_up", answeredBy: null } });
    assert.equal(h.cloud.messages.length, before);
    const again = await h.decide(envelope, { reason: "caller_request", summary: "Wants a person." });
    assert.equal(again.action, "none", "a transfer after the caller left is a no-op");
  });

  test("staff SMS with the summary as the number is dialled, when configured", async () => {
    const h2 = await startHarness({ now: NY_EVENING, config: { staffSmsOnTransfer: true } });
    try {
      const envelope = await h2.startCall();
      const dial = (await h2.decide(envelope, { reason: "allergy_confirmation", summary: "Severe peanut allergy, needs the kitchen to confirm." })) as DialDecision;
      assert.ok(dial.staffSmsSid);
      const sms = h2.cloud.messages.find((m) => m.sid === dial.staffSmsSid)!;
      assert.equal(sms.to, "+12125550101");
      assert.equal(sms.body, `Incoming transfer: ${dial.whisper}`);
    } finally {
      await h2.close();
    }
  });
});
