import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { AssessTurnArgsInput, DialDecision, EscalationTrigger, RequestEnvelopeInput, TurnCounters } from "@orderline/contracts";
import { dialTwiml, whisperTwiml } from "@orderline/handoff";
import { parseTwiml } from "@orderline/testing";
import { type Harness, NY, startHarness } from "./harness.ts";

const URLS = (callSid: string) => ({
  actionUrl: `https://voice.example.com/voice/dial-result?callSid=${callSid}&attempt=0`,
  whisperUrl: `https://voice.example.com/voice/whisper?callSid=${callSid}`,
});

/** Each seed trigger: the caller's turn and the call's counters as the gateway reports them. */
const CASES: { trigger: EscalationTrigger; turn: string; counters?: Partial<TurnCounters>; summary: string; large?: boolean }[] = [
  { trigger: "caller_request", turn: "Actually, can I just talk to a real person?", summary: "Caller asked for a person in the middle of a pickup order." },
  { trigger: "complaint", turn: "This is ridiculous, I'm furious, last time was the worst service ever", summary: "Caller is angry about their last order." },
  { trigger: "large_order", turn: "and add the rest of them too", summary: "Caller is ordering pizzas for an office event.", large: true },
  { trigger: "unanswered_question", turn: "do you have vegan cheese or not?", counters: { unansweredQuestions: 2 }, summary: "Caller asked twice about vegan cheese." },
  { trigger: "payment_or_refund", turn: "I'd like a refund for yesterday's delivery", summary: "Caller wants a refund for yesterday's delivery." },
  { trigger: "allergy_confirmation", turn: "my daughter has a severe peanut allergy, is it safe?", summary: "Caller needs a peanut allergy confirmed." },
  { trigger: "technical_failure", turn: "hello? are you there?", counters: { consecutiveToolFailures: 2, failedTools: 2 }, summary: "The ordering system failed twice." },
];

describe("the seven triggers, end to end through NATS and Postgres", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  /** A call with a pickup order of 2 large pepperoni with extra cheese — or 12 of them for the large order. */
  async function callWithCart(large: boolean): Promise<{ envelope: RequestEnvelopeInput; largeOrder: boolean }> {
    const envelope = await h.startCall();
    await h.order("start_order", { order_type: "pickup" }, envelope);
    const added = await h.order("add_item", { item: "pepperoni pizza", size: "large", quantity: large ? 12 : 2, modifiers: [{ name: "cheese", action: "extra" }] }, envelope);
    return { envelope, largeOrder: added.cart.flags.largeOrder };
  }

  for (const c of CASES) {
    test(`${c.trigger}: detected from the turn, then a warm transfer to the location's staff with the cart in the whisper`, async () => {
      const { envelope, largeOrder } = await callWithCart(c.large === true);
      assert.equal(largeOrder, c.large === true, "the order service's large-order flag");
      const args: AssessTurnArgsInput = { text: c.turn, counters: { ...c.counters, largeOrder } };
      const assessment = await h.assess(envelope, args);
      assert.equal(assessment.escalate, true);
      assert.equal(assessment.reason, c.trigger);
      assert.equal(assessment.triggers[0]?.trigger, c.trigger);
      if (c.trigger === "complaint") assert.ok(assessment.sentiment.score <= -3, `sentiment ${assessment.sentiment.score}`);

      const decision = await h.decide(envelope, { reason: assessment.reason, summary: c.summary });
      assert.equal(decision.action, "dial");
      const dial = decision as DialDecision;
      assert.deepEqual(dial.target, { number: "+12125550101", label: "Front counter" });
      assert.equal(dial.callerId, NY.phone);
      assert.equal(dial.reason, c.trigger);

      // The TwiML the gateway sends to Twilio for this decision.
      const twiml = parseTwiml(dialTwiml(dial, URLS(envelope.callSid)));
      assert.deepEqual(
        twiml.children.map((n) => n.name),
        ["Say", "Dial"],
      );
      assert.equal(twiml.children[1]!.attrs["callerId"], NY.phone);
      assert.equal(twiml.children[1]!.attrs["answerOnBridge"], "true");
      assert.equal(twiml.children[1]!.children[0]!.text, "+12125550101");
      if (c.trigger === "technical_failure") assert.match(twiml.children[0]!.text, /^Sorry, we're having some technical trouble/);
      else assert.equal(twiml.children[0]!.text, "Please hold while I connect you to a team member.");

      // The whisper: why, what the caller needs, the items in the cart.
      const whisper = parseTwiml(whisperTwiml(dial)).children[0]!.text;
      assert.ok(whisper.includes(c.summary), whisper);
      const quantity = c.large ? 12 : 2;
      const total = c.large ? "$326.49" : "$54.42";
      assert.ok(whisper.includes(`Order so far: ${quantity} Large Pepperoni Pizza (extra Cheese, Hand-Tossed); total ${total}.`), whisper);
      assert.ok(whisper.includes("Caller's number: (212) 555-0142."), whisper);

      const events = await h.events(envelope.callSid);
      assert.deepEqual(
        events.map((e) => [e.event_type, e.event_data["step"]]),
        [
          ["escalation", "triggered"],
          ["escalation", "decided"],
          ["transfer", "dialing"],
        ],
      );
      assert.equal(events[1]!.event_data["reason"], c.trigger);
      assert.equal(events[1]!.event_data["summary"], c.summary);
      assert.deepEqual(events[2]!.event_data["number"], "+12125550101");
      const call = await h.db.selectFrom("voice_calls").select(["escalation_reason"]).where("call_sid", "=", envelope.callSid).executeTakeFirstOrThrow();
      assert.equal(call.escalation_reason, c.trigger);
    });
  }

  test("an ordinary turn fires nothing and records nothing", async () => {
    const envelope = await h.startCall();
    const assessment = await h.assess(envelope, { text: "a large pepperoni for pickup please" });
    assert.deepEqual(assessment.triggers, []);
    assert.equal(assessment.escalate, false);
    assert.equal(assessment.reason, null);
    assert.deepEqual(await h.events(envelope.callSid), []);
  });

  test("transfer reasons are countable per location", async () => {
    const rows = await h.db
      .selectFrom("escalations")
      .select(["reason", (eb) => eb.fn.countAll<string>().as("n")])
      .where("location_id", "=", NY.id)
      .groupBy("reason")
      .orderBy("reason")
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.reason, Number(r.n)]),
      [...CASES.map((c) => c.trigger)].sort().map((t) => [t, 1]),
    );
  });
});
