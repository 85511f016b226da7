import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { CallbackDecision, DialDecision } from "@orderline/contracts";
import { parseTwiml } from "@orderline/testing";
import { callbackTwiml, dialTwiml, endTwiml, relayHandoffData, whisperTwiml } from "./twiml.ts";

const DIAL: DialDecision = {
  action: "dial",
  escalationId: "0b7d3c1e-5a2f-4c1e-9d3b-2f6a8e4c7b10",
  attempt: 1,
  target: { number: "+13035550102", label: "Front counter" },
  remainingTargets: 0,
  callerId: "+13035550100",
  timeoutSeconds: 20,
  holdMessage: "Still trying to reach someone, please hold.",
  whisper: "Transferred call. The caller has a complaint & wants a refund <now>.",
  language: "en-US",
  reason: "complaint",
  staffSmsSid: null,
};

describe("handoff TwiML", () => {
  test("warm transfer: hold line, then Dial answerOnBridge from the location's number with the whisper URL", () => {
    const root = parseTwiml(dialTwiml(DIAL, { actionUrl: "https://voice.example.com/voice/dial-result?callSid=CA1&attempt=1", whisperUrl: "https://voice.example.com/voice/whisper?callSid=CA1" }));
    assert.deepEqual(
      root.children.map((c) => c.name),
      ["Say", "Dial"],
    );
    assert.equal(root.children[0]!.text, "Still trying to reach someone, please hold.");
    assert.equal(root.children[0]!.attrs["language"], "en-US");
    const dial = root.children[1]!;
    assert.deepEqual(dial.attrs, {
      answerOnBridge: "true",
      callerId: "+13035550100",
      timeout: "20",
      action: "https://voice.example.com/voice/dial-result?callSid=CA1&attempt=1",
      method: "POST",
    });
    assert.deepEqual(dial.children[0], { name: "Number", attrs: { url: "https://voice.example.com/voice/whisper?callSid=CA1", method: "POST" }, text: "+13035550102", children: [] });
  });

  test("the whisper is escaped XML that says the text as is", () => {
    const xml = whisperTwiml(DIAL);
    assert.ok(xml.includes("complaint &amp; wants a refund &lt;now&gt;."), xml);
    assert.equal(parseTwiml(xml).children[0]!.text, DIAL.whisper);
  });

  test("callback goodbye and end", () => {
    const cb: CallbackDecision = {
      action: "callback",
      escalationId: DIAL.escalationId,
      callbackRequestId: DIAL.escalationId,
      cause: "no_answer",
      expectedBy: null,
      callerPhone: "+13035550123",
      staffNotified: true,
      speech: "We will call you back.",
      language: "es-US",
    };
    const root = parseTwiml(callbackTwiml(cb));
    assert.deepEqual(
      root.children.map((c) => [c.name, c.text, c.attrs["language"] ?? null]),
      [
        ["Say", "We will call you back.", "es-US"],
        ["Hangup", "", null],
      ],
    );
    assert.deepEqual(
      parseTwiml(endTwiml()).children.map((c) => c.name),
      ["Hangup"],
    );
    assert.deepEqual(JSON.parse(relayHandoffData(cb)), { kind: "escalation", action: "callback", escalationId: DIAL.escalationId });
  });
});
