import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DEMO_LOCATIONS } from "@orderline/db";
import { callerHangsUp, callerInterrupts, callerWaitsForReply, say } from "@orderline/testing";
import { parseMarkName } from "../src/media/wire.ts";
import { Stack } from "./harness.ts";

const MARK_INTERVAL_MS = 100;

describe("barge-in", () => {
  // The model streams audio 10x faster than real time (as the real API does): Twilio buffers it, marks queue up.
  // The webhook deadline is raised: this test is about playback, and a busy machine's first query must not send
  // the call to the static fallback before it ever streams.
  const stack = new Stack({ env: { MARK_INTERVAL_MS: String(MARK_INTERVAL_MS), WEBHOOK_DEADLINE_MS: "5000" }, realtime: { pace: 0.1 } });
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
    // Positions, not clocks: each cut lies between what the gateway must have known was played when the caller
    // started talking and the last mark the caller played back before the clear, plus one mark interval.
    const timeline = call.timeline;
    const indices = (type: string) => timeline.flatMap((e, i) => (e.type === type ? [i] : []));
    const interruptAt = indices("caller-interrupts");
    const clearAt = indices("clear");
    assert.equal(interruptAt.length, 2, "the caller interrupted twice");
    for (const [i, tr] of rt.truncates.entries()) {
      assert.ok(tr.accepted, "truncate within the audio actually sent");
      const speechAt = timeline.findIndex((e, at) => at > interruptAt[i]! && e.type === "caller-speech-start");
      assert.ok(interruptAt[i]! < speechAt && speechAt < clearAt[i]!, `interruption #${i}: caller speaks, then Twilio's buffer is cleared`);
      // Marks of this item and generation the caller received before the clear and did not get flushed were
      // echoed (played); those at least one frame short of the position heard when the caller started talking
      // were echoed before the caller's speech, so the gateway had them when it cut.
      const flushed = new Set(call.clears[i]!.marksFlushed);
      const echoed = timeline
        .slice(0, clearAt[i])
        .filter((e) => e.type === "mark" && !flushed.has(String(e.name)))
        .map((e) => parseMarkName(String(e.name))!)
        .filter((m) => m.generation === i && m.itemId === tr.itemId)
        .map((m) => m.sentMs);
      assert.ok(echoed.length > 0, `interruption #${i}: the caller played back marks of the item it interrupted`);
      const heardAtInterrupt = Number(timeline[interruptAt[i]!]!.playedMs);
      const floor = Math.max(0, ...echoed.filter((ms) => ms <= heardAtInterrupt - 20));
      const ceiling = Math.max(...echoed) + MARK_INTERVAL_MS;
      assert.ok(floor <= tr.audioEndMs && tr.audioEndMs <= ceiling, `truncate #${i} at ${tr.audioEndMs} ms, expected within [${floor}, ${ceiling}]`);
      assert.ok(tr.audioEndMs < tr.sentMs, `truncate #${i} at ${tr.audioEndMs} ms: before the end of what was sent (${tr.sentMs} ms)`);
      assert.ok(Math.max(...echoed) <= turns[i]!.playedMs, "the caller heard every mark it played back");
    }
    assert.notEqual(rt.truncates[0]!.itemId, rt.truncates[1]!.itemId, "each interruption cut its own item");
    // Marks flushed by a clear carry the old generation; marks sent afterwards the new one.
    const [firstClear, secondClear] = call.clears;
    assert.ok(firstClear!.marksFlushed.length > 0, "the first clear flushed pending marks");
    assert.ok(firstClear!.marksFlushed.every((m) => parseMarkName(m)?.generation === 0));
    assert.ok(secondClear!.marksFlushed.every((m) => parseMarkName(m)?.generation === 1));
    const marksAfter = timeline
      .slice(clearAt[1])
      .filter((e) => e.type === "mark")
      .map((e) => parseMarkName(String(e.name))!);
    assert.ok(marksAfter.length > 0 && marksAfter.every((m) => m.generation === 2), "marks after the second clear carry generation 2");
    const job = await stack.finalizeJob(call.sid);
    assert.equal(job.events.filter((e) => e.type === "barge_in").length, 2);
  });
});
