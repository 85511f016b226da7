import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DEMO_LOCATIONS } from "@orderline/db";
import { callerHangsUp, callerSays, callerWaitsForReply, callerWaitsUntil, say } from "@orderline/testing";
import { decodeMuLaw, rmsDbfs } from "@orderline/audio";
import { Stack } from "./harness.ts";

const NY = DEMO_LOCATIONS.newYork;

describe("PCM16 24 kHz mode", () => {
  const stack = new Stack({ env: { AUDIO_MODE: "pcm24k" } });
  before(async () => {
    await stack.start();
    await stack.startInProcess();
  });
  after(() => stack.close());

  test("caller audio reaches the model as 24 kHz PCM16 and the model's PCM is heard as mu-law", async () => {
    stack.realtime.script([{ greeting: say("Hello from Tony's!", 1000) }, { onCallerSpeech: say("Got it.", 600), heard: "a large pepperoni" }]);
    const call = stack.placeCall({ from: "+14155550501", to: NY.phone, caller: [callerWaitsForReply(), callerSays(900), callerWaitsForReply(), callerHangsUp()] });
    await call.done;
    call.assertNoErrors();
    stack.realtime.assertNoViolations(); // includes "appended audio does not look like PCM16"
    const rt = stack.realtime.sessions.at(-1)!;
    assert.deepEqual((rt.config as { audio: { input: { format: unknown } } }).audio.input.format, { type: "audio/pcm", rate: 24000 });
    assert.equal(rt.speechTurns.length, 1, "the model's VAD heard the caller's speech through the converter");
    assert.equal(call.heard.length, 2);
    // 1000 ms at 24 kHz → 1000 ms of 8 kHz mu-law (the resampler may hold back a few samples).
    assert.ok(Math.abs(call.heard[0]!.playedMs - 1000) <= 5, `played ${call.heard[0]!.playedMs} ms`);
    const level = rmsDbfs(decodeMuLaw(call.heard[0]!.audio));
    assert.ok(level > -40, `the assistant is audible (${level.toFixed(1)} dBFS), not silence or noise from a wrong codec`);
  });
});

describe("Realtime session rotation before its time cap", () => {
  const stack = new Stack({ env: { REALTIME_MAX_SESSION_MS: "1500" } });
  before(async () => {
    await stack.start();
    await stack.startInProcess();
  });
  after(() => stack.close());

  test("a new Realtime session takes over with the conversation so far; the call goes on", async () => {
    stack.realtime.script([{ greeting: say("Hi, Tony's!", 500) }, { onCallerSpeech: say("Sure.", 400), heard: "do you have wings" }]);
    stack.realtime.script([{ onCallerSpeech: say("Yes, we have wings.", 700), heard: "and do you have wings" }]);
    const call = stack.placeCall({
      from: "+14155550502",
      to: NY.phone,
      caller: [
        callerWaitsForReply(),
        callerSays(700),
        callerWaitsForReply(),
        // Speak again only once the gateway has swapped sessions (when that happens depends on machine speed).
        callerWaitsUntil("the gateway opened a second Realtime session", () => stack.realtime.sessions.length >= 2),
        callerSays(700),
        callerWaitsForReply(),
        callerHangsUp(),
      ],
    });
    await call.done;
    call.assertNoErrors();
    stack.realtime.assertNoViolations();
    assert.equal(stack.realtime.sessions.length, 2);
    const [first, second] = stack.realtime.sessions;
    assert.equal(first!.closedBy, "client", "the old session was closed by the gateway");
    const note = second!.received.find((e) => e.type === "conversation.item.create") as { item: { content: { text: string }[] } };
    assert.match(note.item.content[0]!.text, /do you have wings/, "the transcript tail was carried over");
    assert.equal(second!.responses.length, 1, "no greeting on the new session, only the answer");
    assert.equal(call.heard.length, 3);
    assert.equal(call.streams.length, 1, "the caller's stream never changed");
  });

  test("never swaps sessions while the caller is mid-sentence: the turn is answered first, then it rotates", async () => {
    // The caller talks for 2.5 s of media across the 1.5 s rotation deadline.
    stack.realtime.script([{ greeting: say("Hi, Tony's!", 300) }, { onCallerSpeech: say("Got all of that.", 400), heard: "a long order" }]);
    stack.realtime.script([]);
    const before = stack.realtime.sessions.length;
    const call = stack.placeCall({
      from: "+14155550503",
      to: NY.phone,
      caller: [
        callerWaitsForReply(),
        callerSays(2500),
        callerWaitsForReply(),
        callerWaitsUntil("the gateway rotated after the answer", () => stack.realtime.sessions.length >= before + 2),
        callerHangsUp(),
      ],
    });
    await call.done;
    call.assertNoErrors();
    stack.realtime.assertNoViolations();
    const [first, second] = stack.realtime.sessions.slice(before);
    assert.equal(first!.speechTurns.length, 1, "the whole utterance went to the session that answers it");
    assert.equal(first!.responses.filter((r) => r.trigger === "caller_speech").length, 1);
    assert.equal(call.heard.length, 2, "greeting and the answer to the long turn");
    assert.equal(second!.speechTurns.length, 0, "no half-utterance leaked into the new session");
  });
});
