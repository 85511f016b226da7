import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import {
  RelayTwilioMessage,
  relayHangsUp,
  relayInterrupts,
  relayPresses,
  relaySays,
  relaySendsRaw,
  relayWaitsForReply,
  relayWaitsUntil,
  type TwilioCloud,
} from "../src/index.ts";
import { startCloudWithApp, streamTokens, type TwimlApp } from "./support/twiml-app.ts";

let cloud: TwilioCloud;
let app: TwimlApp;
const FROM = "+14155550100";
const TO = "+14155550199";

let closeAll: () => Promise<void>;

before(async () => {
  ({ cloud, app, close: closeAll } = await startCloudWithApp());
});

after(() => closeAll());

let tokenSeq = 0;
/** The `interruptible` attribute the next call's TwiML gets. */
let relayInterruptible = "any";
beforeEach(() => {
  app.hits.length = 0;
  app.upgrades.length = 0;
  const token = `tok-${++tokenSeq}`;
  app.routes = {
    "/voice/incoming": () =>
      `<Response><Connect action="${app.base}/voice/relay-done"><ConversationRelay url="${app.base.replace("http", "ws")}/voice/relay" welcomeGreeting="Hi, Tony's Pizza!" language="en-US" hints="pepperoni,calzone" interruptible="${relayInterruptible}" dtmfDetection="true"><Language code="es-US" voice="es-US-Neural2-A"/><Parameter name="token" value="${token}"/></ConversationRelay></Connect></Response>`,
    "/voice/relay-done": () => "<Response><Dial>+14155550111</Dial></Response>",
  };
});

const placeCall = (extra: Parameters<TwilioCloud["placeCall"]>[0] extends infer P ? Partial<P> : never) =>
  cloud.placeCall({ url: `${app.base}/voice/incoming`, from: FROM, to: TO, ...extra });

test("ConversationRelay: signed upgrade, setup, welcome, prompts, streamed replies, interrupt mid-stream, DTMF, language switch, end → action → Dial", async () => {
  app.onMessage = (s, msg) => {
    if (msg["type"] === "prompt" && msg["voicePrompt"] === "a large pepperoni") void streamTokens(s, "Sure, a large pepperoni pizza is eighteen ninety-nine. Anything else?", 5);
    if (msg["type"] === "prompt" && msg["voicePrompt"] === "en español por favor") {
      s.send({ type: "language", ttsLanguage: "es-US", transcriptionLanguage: "es-US" });
      void streamTokens(s, "Claro, ¿qué más?");
    }
    if (msg["type"] === "dtmf" && msg["digit"] === "#") void streamTokens(s, "Transferring you now.").then(() => s.send({ type: "end", handoffData: JSON.stringify({ reason: "caller_asked" }) }));
  };
  const call = placeCall({
    relayCaller: [
      relaySays("a large pepperoni"),
      relayInterrupts(12, "actually make it two"),
      relayWaitsUntil("the cut reply to finish streaming", () => call.relays[0]?.heard[1]?.complete === true),
      relaySays("en español por favor"),
      relayWaitsForReply(),
      relayPresses("1#"),
    ],
  });
  await call.done;
  call.assertNoErrors();
  const relay = call.relays[0]!;
  assert.equal(relay.outcome, "ended-by-app");
  assert.deepEqual(app.upgrades, [{ signatureValid: true }]);
  assert.deepEqual(relay.attributes["hints"], "pepperoni,calzone");
  assert.deepEqual(relay.languages, [{ code: "es-US", voice: "es-US-Neural2-A" }]);

  // Every message Twilio sent is well-formed; setup comes first and carries the call.
  for (const m of relay.sent) RelayTwilioMessage.parse(m);
  const setup = relay.sent[0]!;
  assert.equal(setup["type"], "setup");
  assert.match(String(setup["sessionId"]), /^VX[0-9a-f]{32}$/);
  assert.equal(setup["callSid"], call.sid);
  assert.equal(setup["from"], FROM);
  assert.deepEqual(setup["customParameters"], { token: `tok-${tokenSeq}` });

  // What the caller heard, turn by turn.
  const heard = relay.heard.map((t) => ({ source: t.source, text: t.text, interrupted: t.interrupted, lang: t.lang }));
  assert.deepEqual(heard[0], { source: "welcome", text: "Hi, Tony's Pizza!", interrupted: false, lang: "en-US" });
  assert.deepEqual(heard[1], { source: "text", text: "Sure, a large", interrupted: true, lang: "en-US" });
  assert.match(relay.heard[1]!.droppedText, /pepperoni pizza/, "tokens after the interrupt were never spoken");
  assert.deepEqual(heard[2], { source: "text", text: "Claro, ¿qué más?", interrupted: false, lang: "es-US" });
  assert.deepEqual(heard[3], { source: "text", text: "Transferring you now.", interrupted: false, lang: "es-US" });
  assert.deepEqual(relay.interrupts, [{ turn: 1, utteranceUntilInterrupt: "Sure, a large", durationUntilInterruptMs: 867 }]);
  assert.deepEqual(relay.prompts, ["a large pepperoni", "actually make it two", "en español por favor"]);
  assert.deepEqual(relay.languageChanges, [{ ttsLanguage: "es-US", transcriptionLanguage: "es-US" }]);
  const prompt = relay.sent.find((m) => m["voicePrompt"] === "en español por favor");
  assert.equal(prompt?.["lang"], "en-US", "the switch applies to the next utterance");
  assert.deepEqual(
    relay.sent.filter((m) => m["type"] === "dtmf").map((m) => m["digit"]),
    ["1", "#"],
  );

  // end → the Connect action, signed, with the session's fields; its TwiML (a Dial) runs.
  const done = app.hits.find((h) => h.path === "/voice/relay-done")!;
  assert.equal(done.signatureValid, true);
  assert.equal(done.params["SessionId"], relay.sessionId);
  assert.equal(done.params["SessionStatus"], "ended");
  assert.match(String(done.params["SessionDuration"]), /^\d+$/);
  assert.equal(done.params["HandoffData"], '{"reason":"caller_asked"}');
  assert.equal(done.params["CallSid"], call.sid);
  assert.equal(call.dials.length, 1);
  assert.equal(call.dials[0]!.number, "+14155550111");
});

test("invalid app messages get an error back and are recorded (64107); the session goes on", async () => {
  app.onMessage = (s, msg) => {
    if (msg["type"] !== "prompt") return;
    s.send({ type: "speak", text: "hi" });
    s.send({ type: "text", token: "no last flag" });
    s.send({ type: "end", handoffData: { reason: "object" } });
    void streamTokens(s, "Still here.");
  };
  const call = placeCall({ relayCaller: [relaySays("hello?"), relayWaitsForReply(), relaySendsRaw({ type: "mystery" }), relayHangsUp()] });
  await call.done;
  const relay = call.relays[0]!;
  assert.equal(relay.violations.length, 3, relay.violations.join("\n"));
  assert.match(relay.violations[0]!, /unknown message type "speak"/);
  assert.match(relay.violations[1]!, /text\.last/);
  assert.match(relay.violations[2]!, /handoffData must be a string/);
  assert.deepEqual(
    call.errors.map((e) => e.code),
    [64107, 64107, 64107],
  );
  assert.equal(relay.sent.filter((m) => m["type"] === "error").length, 3);
  assert.equal(relay.heard.at(-1)!.text, "Still here.");
  assert.equal(relay.outcome, "caller-hung-up");
  // The caller hung up: the action is still requested (SessionStatus completed), its TwiML is not run.
  assert.equal(app.hits.find((h) => h.path === "/voice/relay-done")!.params["SessionStatus"], "completed");
  assert.equal(call.dials.length, 0);
  assert.equal(call.status, "completed");
});

test("the app closing the socket without `end` still requests the action (SessionStatus failed)", async () => {
  app.onMessage = (s, msg) => {
    if (msg["type"] === "prompt") s.ws.close(1011, "engine failed");
  };
  const call = placeCall({ relayCaller: [relaySays("hi")] });
  await call.done;
  call.assertNoErrors();
  assert.equal(call.relays[0]!.outcome, "closed-by-app");
  assert.equal(call.relays[0]!.closeCode, 1011);
  const done = app.hits.find((h) => h.path === "/voice/relay-done")!;
  assert.equal(done.params["SessionStatus"], "failed");
  assert.equal(done.params["HandoffData"], undefined);
  assert.equal(call.dials.length, 1, "the action's TwiML continues the call");
});

test("forged upgrades: wrong signature and no signature are refused; a replayed token is closed by the app", async () => {
  for (const forgery of ["wrong-signature", "no-signature"] as const) {
    const call = placeCall({ relayForgery: forgery });
    await call.done;
    call.assertNoErrors();
    assert.equal(call.relays[0]!.handshakeStatus, 403, forgery);
    assert.equal(call.relays[0]!.outcome, "handshake-failed");
  }
  app.onMessage = () => {};
  const call = placeCall({ relayForgery: "replay", relayCaller: [relayWaitsUntil("the replay to finish", () => call.relays[0]?.replay?.closeCode !== undefined), relayHangsUp()] });
  await call.done;
  call.assertNoErrors();
  const replay = call.relays[0]!.replay!;
  assert.equal(replay.handshakeStatus, 101, "the signature itself is valid");
  assert.equal(replay.closeCode, 4001, "the app refused the second use of the token");
  assert.equal(replay.rejected, true);

  const early = placeCall({ relayForgery: "prompt-before-setup" });
  await early.done;
  assert.equal(early.relays[0]!.sent[0]!["type"], "prompt", "the prompt went out before setup");
  assert.equal(early.relays[0]!.closeCode, 4002, "the app closed the session");
  assert.equal(early.relays[0]!.outcome, "closed-by-app");
});

test("interruptible=none: the caller's words wait for the end of the reply, no interrupt is sent", async () => {
  relayInterruptible = "none";
  try {
    app.onMessage = (s, msg) => {
      if (msg["type"] === "prompt" && msg["voicePrompt"] === "what's good?") void streamTokens(s, "Our pepperoni pizza is the favourite.", 2);
      else if (msg["type"] === "prompt") s.send({ type: "end" });
    };
    const call = placeCall({ relayCaller: [relaySays("what's good?"), relayInterrupts(5, "okay"), relayWaitsForReply()] });
    await call.done;
    call.assertNoErrors();
    const relay = call.relays[0]!;
    assert.deepEqual(relay.interrupts, []);
    assert.equal(relay.heard[1]!.text, "Our pepperoni pizza is the favourite.");
    assert.equal(relay.heard[1]!.interrupted, false);
    assert.equal(call.timeline.filter((t) => t.type === "relay-interrupt-not-allowed").length, 1);
  } finally {
    relayInterruptible = "any";
  }
});
