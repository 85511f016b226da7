import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { TurnCounters } from "@orderline/contracts";
import { assessTurn, sentimentOf } from "./triggers.ts";

const NONE = TurnCounters.parse({});
const fired = (text: string, counters: Partial<TurnCounters> = {}) => assessTurn(text, { ...NONE, ...counters }).triggers.map((t) => t.trigger);

describe("trigger detection", () => {
  test("caller asks for a person, in several ways and in Spanish", () => {
    for (const text of [
      "Can I speak to a manager?",
      "I want to talk to a real person",
      "just transfer me please",
      "Operator!",
      "I don't want a robot, get me a human",
      "Quiero hablar con una persona",
    ]) {
      assert.deepEqual(fired(text), ["caller_request"], text);
    }
  });

  test("anger is the sentiment score of the words, not a keyword list only", () => {
    const angry = assessTurn("This is ridiculous, I'm furious, worst service ever", NONE);
    assert.equal(angry.sentiment.label, "negative");
    assert.ok(angry.sentiment.score <= -3, `score ${angry.sentiment.score}`);
    assert.deepEqual(
      angry.triggers.map((t) => t.trigger),
      ["complaint"],
    );
    assert.match(angry.triggers[0]!.evidence, /^sentiment -\d+$/);
    // Mildly negative without complaint words is not a transfer.
    assert.deepEqual(fired("no, not the small one"), []);
  });

  test("complaints in restaurant words fire even when AFINN scores them mildly", () => {
    assert.deepEqual(fired("my pizza arrived cold and it was the wrong order"), ["complaint"]);
    assert.deepEqual(fired("I want to make a complaint about last night"), ["complaint"]);
    assert.deepEqual(fired("quiero poner una queja"), ["complaint"]);
  });

  test("payment or refund", () => {
    // "charged" also scores negative: payment outranks the complaint it is.
    assert.deepEqual(fired("I was charged twice for my order"), ["payment_or_refund", "complaint"]);
    assert.deepEqual(fired("I'd like a refund please"), ["payment_or_refund"]);
    assert.deepEqual(fired("me cobraron dos veces"), ["payment_or_refund"]);
  });

  test("an allergy question needs a person only when the caller needs certainty", () => {
    assert.deepEqual(fired("does the margherita have gluten?"), []);
    assert.deepEqual(fired("my son has a severe peanut allergy, is the dough made on the same surface?"), ["allergy_confirmation"]);
    assert.deepEqual(fired("can you guarantee there's no cross contamination with shellfish"), ["allergy_confirmation"]);
  });

  test("large or catering order: the order service's flag or the caller's words", () => {
    assert.deepEqual(fired("add another pepperoni", { largeOrder: true }), ["large_order"]);
    assert.deepEqual(fired("I need catering for an office party"), ["large_order"]);
    assert.deepEqual(fired("pizzas for 40 people on Friday"), ["large_order"]);
    assert.deepEqual(fired("two large pizzas for 4 people"), []);
  });

  test("a question unanswered twice", () => {
    assert.deepEqual(fired("do you have vegan cheese?", { unansweredQuestions: 1 }), []);
    assert.deepEqual(fired("do you have vegan cheese?", { unansweredQuestions: 2 }), ["unanswered_question"]);
  });

  test("technical failure: tools failing or the engine lost", () => {
    assert.deepEqual(fired("", { consecutiveToolFailures: 2 }), ["technical_failure"]);
    assert.deepEqual(fired("", { failedTools: 3 }), ["technical_failure"]);
    assert.deepEqual(fired("hello?", { engineLost: true }), ["technical_failure"]);
    assert.deepEqual(fired("", { consecutiveToolFailures: 1, failedTools: 1 }), []);
  });

  test("several triggers come highest priority first", () => {
    assert.deepEqual(fired("I want a refund, let me talk to a manager", { consecutiveToolFailures: 2 }), [
      "technical_failure",
      "caller_request",
      "payment_or_refund",
    ]);
  });

  test("an ordinary ordering turn fires nothing", () => {
    for (const text of [
      "I'd like a large pepperoni pizza for pickup",
      "put me down for two garlic knots",
      "what time do you close tonight?",
      "that's all, thanks so much",
      "",
    ]) {
      assert.deepEqual(fired(text), [], text);
    }
  });

  test("a 5 KB turn is assessed on its start, quickly and without error", () => {
    const r = assessTurn(`let me speak to a person ${"and then ".repeat(600)}`, NONE);
    assert.deepEqual(
      r.triggers.map((t) => t.trigger),
      ["caller_request"],
    );
  });

  test("sentiment is positive for thanks and neutral for plain words", () => {
    assert.equal(sentimentOf("thanks so much, great").label, "positive");
    assert.equal(sentimentOf("one medium cheese").label, "neutral");
  });
});
