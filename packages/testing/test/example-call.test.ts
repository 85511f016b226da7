import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  callerHangsUp,
  callerInterrupts,
  callerSays,
  callerWaitsForReply,
  callTool,
  modelAudio,
  type RealtimeEmulator,
  say,
  startRealtimeEmulator,
  startTwilioCloud,
  type TwilioCloud,
} from "../src/index.ts";
import { type Relay, startMinimalRelay } from "./support/minimal-relay.ts";

// The call runs 4× faster than real time (media time, which the assertions use, is unchanged) and the
// "model" generates audio twice as fast as it plays, like the real API, so there is unplayed audio to clear.
const SPEED = 0.25;
let cloud: TwilioCloud;
let realtime: RealtimeEmulator;
let relay: Relay;
const cart: Record<string, unknown>[] = [];

before(async () => {
  cloud = await startTwilioCloud({ timeScale: SPEED });
  realtime = await startRealtimeEmulator({ pace: SPEED / 2 });
  const add_item = (args: Record<string, unknown>) => {
    cart.push(args);
    return { ok: true, line: 1 };
  };
  relay = await startMinimalRelay({ realtimeUrl: realtime.url, tools: { add_item } });
});
after(async () => {
  await cloud.close();
  await realtime.close();
  await relay.close();
});

test("caller orders, the model adds the item, the caller interrupts the confirmation at 300 ms", async () => {
  // the "model"
  realtime.script([
    { greeting: say("Hi, welcome to Tony's! What can I get you?", 1500) },
    { onCallerSpeech: callTool("add_item", { item: "pepperoni pizza", size: "large", quantity: 1 }), heard: "a large pepperoni please" },
    { onToolResult: say("Added one large pepperoni pizza. Would you like anything else with that?", 2500) },
    { onCallerSpeech: say("Sure, two it is.", 600), heard: "actually make it two" },
  ]);
  // the caller
  const call = cloud.placeCall({
    url: relay.url,
    from: "+14155550100",
    to: "+14155550199",
    turnGapMs: 1000, // a turn ends after 1 s of silence: robust against a slow CI machine
    caller: [callerWaitsForReply(), callerSays(1200), callerInterrupts(300, 700), callerWaitsForReply(), callerHangsUp()],
  });
  await call.done;
  call.assertNoErrors();
  realtime.assertNoViolations();
  assert.deepEqual(cart, [{ item: "pepperoni pizza", size: "large", quantity: 1 }]);

  // what the caller heard: the whole greeting, the confirmation cut short by a clear, the final answer
  assert.equal(call.heard.length, 3);
  const [greeting, confirmation, answer] = call.heard;
  assert.equal(greeting!.playedMs, 1500);
  assert.equal(greeting!.cleared, false);
  assert.ok(greeting!.audio.equals(modelAudio(1500)), "pcmu passthrough: the caller heard the model's bytes exactly");
  assert.equal(confirmation!.cleared, true);
  assert.ok(confirmation!.playedMs >= 300 && confirmation!.playedMs < 2500, `confirmation played ${confirmation!.playedMs} ms`);
  assert.equal(answer!.playedMs, 600);
  assert.equal(call.clears.length, 1);
  assert.equal(call.latencies.length, 2, "one latency per caller turn that got an answer");

  // what the model saw: the truncate at the played position, the cancelled response, the tool output
  const session = realtime.sessions[0]!;
  assert.equal(session.truncates.length, 1);
  const truncate = session.truncates[0]!;
  assert.ok(truncate.accepted);
  assert.ok(truncate.audioEndMs >= 300 && truncate.audioEndMs <= confirmation!.playedMs, `truncated at ${truncate.audioEndMs} ms`);
  assert.deepEqual(
    session.responses.map((r) => [r.trigger, r.status]),
    [
      ["greeting", "completed"],
      ["caller_speech", "completed"],
      ["tool_result", "cancelled"],
      ["caller_speech", "completed"],
    ],
  );
  assert.deepEqual(session.toolOutputs.map((o) => JSON.parse(o.output)), [{ ok: true, line: 1 }]);
  const conversation = session.conversation();
  assert.deepEqual(
    conversation.map((c) => c.role),
    ["assistant", "caller", "tool_call", "tool_output", "assistant", "caller", "assistant"],
  );
  assert.equal(conversation[1]!.text, "a large pepperoni please");
  assert.equal(conversation[4]!.audioMs, truncate.audioEndMs, "the interrupted answer keeps only the audio the caller heard");
});
