import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CallEventType } from "@orderline/contracts";
import type { JsonObject, TranscriptTurn } from "@orderline/db";
import { timeline } from "./call-detail.ts";

const at = (s: number) => new Date(Date.UTC(2026, 5, 17, 18, 0, s)).toISOString();
const event = (type: CallEventType, s: number, data: JsonObject = {}) => ({ event_type: type, event_data: data, timestamp: new Date(at(s)) });
const tool = (name: string, s: number) => event("tool_call", s, { tool: name, ok: true, ms: 5 });
const shape = (entries: ReturnType<typeof timeline>) => entries.map((e) => (e.kind === "turn" ? `${e.role}: ${e.text}` : e.kind === "tool" ? `tool ${e.name}` : `event ${e.type}`));

describe("a call's timeline", () => {
  it("turns by their own time even when stored out of order; a tool call at the caller turn's instant follows it", () => {
    // The caller turn was appended after the assistant's answer (its assessment took longer than the tool calls).
    const turns: TranscriptTurn[] = [
      { role: "assistant", text: "Hello", at: at(0) },
      { role: "assistant", text: "One large pepperoni", at: at(4) },
      { role: "caller", text: "A large pepperoni", at: at(2) },
    ];
    const events = [tool("start_order", 2), tool("add_item", 3), event("barge_in", 3)];
    assert.deepEqual(shape(timeline(turns, events)), ["assistant: Hello", "caller: A large pepperoni", "tool start_order", "tool add_item", "assistant: One large pepperoni"]);
  });

  it("a turn without a time stays after the turn before it; events after the last turn close the timeline", () => {
    const turns: TranscriptTurn[] = [
      { role: "assistant", text: "Hello", at: at(0) },
      { role: "caller", text: "Hi" },
      { role: "assistant", text: "Sure", at: at(5) },
    ];
    const events = [tool("start_order", 1), event("transfer", 9, { reason: "complaint" })];
    assert.deepEqual(shape(timeline(turns, events)), ["assistant: Hello", "caller: Hi", "tool start_order", "assistant: Sure", "event transfer"]);
  });
});
