import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DEMO_LOCATIONS } from "@orderline/db";
import { callerHangsUp, callerInterrupts, callerWaitsForReply, say } from "@orderline/testing";
import { parseMarkName } from "../src/media/wire.ts";
import { Stack } from "./harness.ts";

const MARK_INTERVAL_MS = 100;

describe("barge-in", () => {
  // The model streams audio 10x faster than real time (as the real API does): Twilio buffers it, marks queue up.
  const stack = new Stack({ env: { MARK_INTERVAL_MS: String(MARK_INTERVAL_MS) }, realtime: { pace: 0.1 } });
  before(async () => {
    await stack.start();
    await stack.startInProcess();
  });
  after(() => stack.close());

  test("truncates the assistant item at the played position, clears Twilio's buffer and ignores stale marks", async () => {
    stack.realtime.script([
      { greeting: say("Thanks for calling Tony's Pizzeria Midtown, I'm the AI ordering assistant, how can I help you today?", 3000) },
      { onCallerSpeech: say("Sure, let me tell you all about our specials today, we have a lot of them.", 3000), heard: "specials?" },
      { onCallerSpeech: say("Okay!", 400), heard: "just a large pepperoni" },
    ]);
    const call = stack.placeCall({
      from: "+14155550155",
      to: DEMO_LOCATIONS.newYork.phone,
      caller: [callerInterrupts(1000, 700), callerInterrupts(600, 700), callerWaitsForReply(), callerHangsUp()],
    });
    await call.done;
    call.assertNoErrors();
    stack.realtime.assertNoViolations();
    const rt = stack.realtime.sessions.at(-1)!;

    assert.equal(call.clears.length, 2, "one clear per interruption");
    assert.equal(rt.truncates.length, 2, "one truncate per interruption");
    const turns = call.heard;
    assert.equal(turns.length, 3, `heard ${turns.length} turns: audio of a cancelled item must not leak after the clear`);
    assert.ok(turns[0]!.cleared && turns[1]!.cleared && !turns[2]!.cleared);
    for (const [i, tr] of rt.truncates.entries()) {
      assert.ok(tr.accepted, "truncate within the audio actually sent");
      const played = turns[i]!.playedMs;
      // The played position is known to one mark interval (plus one 20 ms frame of clock skew).
      assert.ok(Math.abs(tr.audioEndMs - played) <= MARK_INTERVAL_MS + 40, `truncate #${i} at ${tr.audioEndMs} ms, caller heard ${played} ms`);
      assert.ok(tr.audioEndMs < tr.sentMs, "truncated before the end of what was sent");
    }
    // Marks flushed by a clear carry the old generation; marks sent afterwards the new one.
    const [firstClear, secondClear] = call.clears;
    assert.ok(firstClear!.marksFlushed.length > 0, "the first clear flushed pending marks");
    assert.ok(firstClear!.marksFlushed.every((m) => parseMarkName(m)?.generation === 0));
    assert.ok(secondClear!.marksFlushed.every((m) => parseMarkName(m)?.generation === 1));
    const secondClearAt = call.timeline.findLastIndex((e) => e.type === "clear");
    const marksAfter = call.timeline.slice(secondClearAt).filter((e) => e.type === "mark").map((e) => parseMarkName(String(e.name))!);
    assert.ok(marksAfter.length > 0 && marksAfter.every((m) => m.generation === 2), "marks after the second clear carry generation 2");
    // Echoes of the first item's marks arrived after the clear yet the second truncate is near what was heard
    // of the second item, not the first item's position.
    assert.ok(rt.truncates[1]!.audioEndMs < 1000);
    const job = await stack.finalizeJob(call.sid);
    assert.equal(job.events.filter((e) => e.type === "barge_in").length, 2);
  });
});
