import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { WebSocket } from "ws";
import {
  callTool,
  fail,
  guessByteFormat,
  pcm16ToBytes,
  type RealtimeEmulator,
  say,
  silenceMuLaw,
  speechMuLaw,
  speechPcm16,
  startRealtimeEmulator,
} from "../src/index.ts";

type Ev = Record<string, unknown> & { type: string };

/** A minimal Realtime client: collects events, lets the test await one by type. */
async function connect(url: string, headers: Record<string, string> = { Authorization: "Bearer sk-test" }) {
  const ws = new WebSocket(`${url}?model=gpt-realtime`, { headers });
  const events: Ev[] = [];
  const waiters: { type: string; from: number; resolve: (e: Ev) => void }[] = [];
  let cursor = 0;
  ws.on("message", (d) => {
    const ev = JSON.parse(d.toString()) as Ev;
    events.push(ev);
    for (const w of [...waiters]) {
      if (ev.type === w.type) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(ev);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return {
    ws,
    events,
    send: (ev: Record<string, unknown>) => ws.send(JSON.stringify(ev)),
    /** Next event of `type` after the previous next() (or an already-received one). */
    next(type: string): Promise<Ev> {
      const idx = events.findIndex((e, i) => i >= cursor && e.type === type);
      if (idx >= 0) {
        cursor = idx + 1;
        return Promise.resolve(events[idx]!);
      }
      return new Promise((resolve) =>
        waiters.push({
          type,
          from: cursor,
          resolve: (e) => {
            cursor = events.indexOf(e) + 1;
            resolve(e);
          },
        }),
      );
    },
    close: () =>
      new Promise<void>((r) => {
        if (ws.readyState === ws.CLOSED) return r();
        ws.once("close", () => r());
        ws.close();
      }),
  };
}

const GA_SESSION = {
  type: "realtime",
  model: "gpt-realtime",
  instructions: "You take orders for Tony's Pizza.",
  output_modalities: ["audio"],
  audio: {
    input: {
      format: { type: "audio/pcmu" },
      noise_reduction: { type: "near_field" },
      transcription: { model: "gpt-4o-mini-transcribe", language: "en" },
      turn_detection: { type: "server_vad", threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500, create_response: true, interrupt_response: true },
    },
    output: { format: { type: "audio/pcmu" }, voice: "marin", speed: 1.0 },
  },
  tools: [{ type: "function", name: "add_item", description: "Add an item", parameters: { type: "object" } }],
  tool_choice: "auto",
  max_output_tokens: "inf",
  truncation: "auto",
};

function sendAudio(client: Awaited<ReturnType<typeof connect>>, audio: Buffer): void {
  for (let i = 0; i < audio.length; i += 160) client.send({ type: "input_audio_buffer.append", audio: audio.subarray(i, i + 160).toString("base64") });
}

let rt: RealtimeEmulator;
before(async () => {
  rt = await startRealtimeEmulator({ pace: 0 });
});
after(() => rt.close());

test("GA event sequence: greeting, VAD-detected caller turn, function call, tool result, usage", async () => {
  rt.script([
    { greeting: say("Hi, welcome to Tony's!", 400) },
    { onCallerSpeech: callTool("add_item", { item: "pepperoni pizza", quantity: 1, size: "large" }), heard: "a large pepperoni please" },
    { onToolResult: say("Added a large pepperoni.", 300) },
  ]);
  const c = await connect(rt.url);
  const created = await c.next("session.created");
  assert.equal((created["session"] as { type: string }).type, "realtime");
  c.send({ type: "session.update", session: GA_SESSION });
  const updated = await c.next("session.updated");
  assert.deepEqual((updated["session"] as typeof GA_SESSION).audio.output.format, { type: "audio/pcmu" });

  c.send({ type: "response.create" });
  const greetingDone = await c.next("response.done");
  const afterUpdate = c.events.slice(c.events.indexOf(updated) + 1, c.events.indexOf(greetingDone) + 1).map((e) => e.type);
  const compact = afterUpdate.filter((t, i) => t !== afterUpdate[i - 1]);
  assert.deepEqual(compact.filter((t) => !t.endsWith(".delta")), [
    "response.created",
    "rate_limits.updated",
    "response.output_item.added",
    "conversation.item.added",
    "response.content_part.added",
    "response.output_audio.done",
    "response.output_audio_transcript.done",
    "response.content_part.done",
    "response.output_item.done",
    "conversation.item.done",
    "response.done",
  ]);
  const deltas = c.events.filter((e) => e.type === "response.output_audio.delta");
  assert.equal(deltas.length, 20, "400 ms in 20 ms chunks");
  assert.ok(deltas.every((d) => Buffer.from(String(d["delta"]), "base64").length === 160), "pcmu: 160 bytes per 20 ms");
  const transcript = c.events.filter((e) => e.type === "response.output_audio_transcript.delta").map((e) => e["delta"]).join("");
  assert.equal(transcript, "Hi, welcome to Tony's!");
  const response = greetingDone["response"] as { status: string; usage: Record<string, unknown> };
  assert.equal(response.status, "completed");
  for (const k of ["input_tokens", "output_tokens", "total_tokens", "input_token_details", "output_token_details"]) assert.ok(k in response.usage, `usage.${k}`);
  assert.deepEqual(Object.keys(response.usage["input_token_details"] as object).sort(), ["audio_tokens", "cached_tokens", "cached_tokens_details", "image_tokens", "text_tokens"]);
  assert.equal((response.usage["output_token_details"] as { audio_tokens: number }).audio_tokens, 8, "20 audio tokens per second of output");

  sendAudio(c, Buffer.concat([silenceMuLaw(200), speechMuLaw(800), silenceMuLaw(700)]));
  const started = await c.next("input_audio_buffer.speech_started");
  assert.equal(started["audio_start_ms"], 0, "speech at 200 ms minus 300 ms prefix padding, clamped");
  const stopped = await c.next("input_audio_buffer.speech_stopped");
  assert.equal(stopped["audio_end_ms"], 1500, "speech ends at 1000 ms; detected after 500 ms of silence, which audio_end_ms includes");
  const committed = await c.next("input_audio_buffer.committed");
  assert.equal(committed["item_id"], started["item_id"]);
  const transcription = await c.next("conversation.item.input_audio_transcription.completed");
  assert.equal(transcription["transcript"], "a large pepperoni please");
  const args = await c.next("response.function_call_arguments.done");
  assert.equal(args["name"], "add_item");
  assert.deepEqual(JSON.parse(String(args["arguments"])), { item: "pepperoni pizza", quantity: 1, size: "large" });
  await c.next("response.done");

  c.send({ type: "conversation.item.create", item: { type: "function_call_output", call_id: args["call_id"], output: JSON.stringify({ ok: true }) } });
  c.send({ type: "response.create" });
  const last = await c.next("response.done");
  assert.equal((last["response"] as { status: string }).status, "completed");
  await c.close();
  const session = rt.sessions.at(-1)!;
  await session.whenClosed();
  assert.deepEqual(
    session.responses.map((r) => r.trigger),
    ["greeting", "caller_speech", "tool_result"],
  );
  assert.deepEqual(session.toolOutputs, [{ callId: args["call_id"], output: '{"ok":true}' }]);
  assert.deepEqual(session.violations, []);
});

test("a beta-shaped session.update is rejected with an error and recorded as a violation", async () => {
  const c = await connect(rt.url);
  await c.next("session.created");
  c.send({ type: "session.update", session: { modalities: ["audio", "text"], input_audio_format: "g711_ulaw", voice: "alloy" } });
  const err = await c.next("error");
  assert.equal((err["error"] as { code: string }).code, "unknown_parameter");
  await c.close();
  const v = rt.sessions.at(-1)!.violations;
  assert.equal(v[0]!.kind, "beta_session_update");
  assert.match(v[0]!.message, /session\.modalities/);
});

test("truncate past the audio actually sent is rejected; within it is accepted", async () => {
  rt.script([{ greeting: say("Our specials today are…", 600) }]);
  const c = await connect(rt.url);
  c.send({ type: "session.update", session: GA_SESSION });
  c.send({ type: "response.create" });
  const added = await c.next("response.output_item.added");
  await c.next("response.done");
  const itemId = (added["item"] as { id: string }).id;
  c.send({ type: "conversation.item.truncate", item_id: itemId, content_index: 0, audio_end_ms: 900 });
  const err = await c.next("error");
  assert.match((err["error"] as { message: string }).message, /Audio content of 600ms is already shorter than 900ms/);
  c.send({ type: "conversation.item.truncate", item_id: itemId, content_index: 0, audio_end_ms: 300 });
  const ok = await c.next("conversation.item.truncated");
  assert.equal(ok["audio_end_ms"], 300);
  await c.close();
  const s = rt.sessions.at(-1)!;
  assert.deepEqual(
    s.truncates.map((t) => [t.audioEndMs, t.sentMs, t.accepted]),
    [
      [900, 600, false],
      [300, 600, true],
    ],
  );
  assert.deepEqual(
    s.violations.map((v) => v.kind),
    ["truncate_past_audio"],
  );
});

test("caller speech during a response cancels it (interrupt_response) with status cancelled / turn_detected", async () => {
  const slow = await startRealtimeEmulator({ pace: 0.2 });
  try {
    slow.script([{ greeting: say("A very long list of every pizza we have ever made.", 5000) }, { onCallerSpeech: say("Sure.", 200) }]);
    const c = await connect(slow.url);
    c.send({ type: "session.update", session: GA_SESSION });
    c.send({ type: "response.create" });
    await c.next("response.output_audio.delta");
    sendAudio(c, Buffer.concat([speechMuLaw(400), silenceMuLaw(600)]));
    const done = await c.next("response.done");
    const r = done["response"] as { status: string; status_details: { type: string; reason: string } };
    assert.equal(r.status, "cancelled");
    assert.deepEqual(r.status_details, { type: "cancelled", reason: "turn_detected" });
    const next = await c.next("response.done");
    assert.equal((next["response"] as { status: string }).status, "completed");
    await c.close();
    slow.assertNoViolations();
    assert.ok(slow.sessions[0]!.responses[0]!.audioMs < 5000);
  } finally {
    await slow.close();
  }
});

test("closing with an unanswered function call, unknown events and wrong audio format are violations", async () => {
  rt.script([{ greeting: [say("One moment.", 100), callTool("get_menu", {})] }]);
  const c = await connect(rt.url);
  c.send({ type: "session.update", session: GA_SESSION });
  c.send({ type: "response.create" });
  await c.next("response.done");
  c.send({ type: "response.audio.delta", delta: "" });
  await c.next("error");
  // PCM16 silence is mostly zero bytes: not mu-law
  c.send({ type: "input_audio_buffer.append", audio: Buffer.alloc(320).toString("base64") });
  await c.close();
  const s = rt.sessions.at(-1)!;
  await s.whenClosed();
  assert.deepEqual(s.violations.map((v) => v.kind).sort(), ["audio_format", "missing_tool_output", "unknown_event"]);
  assert.throws(() => rt.assertNoViolations(), /missing_tool_output/);
});

test("a failing response sends error then response.done failed", async () => {
  rt.script([{ greeting: fail("server_error", "boom") }]);
  const c = await connect(rt.url);
  c.send({ type: "response.create" });
  const err = await c.next("error");
  assert.equal((err["error"] as { message: string }).message, "boom");
  const done = await c.next("response.done");
  assert.equal((done["response"] as { status: string }).status, "failed");
  await c.close();
});

test("the upgrade needs a Bearer key; OpenAI-Beta: realtime=v1 gets beta_api_shape_disabled and close 4000", async () => {
  await assert.rejects(connect(rt.url, {}), /Unexpected server response: 401/);
  const c = await connect(rt.url, { Authorization: "Bearer sk-test", "OpenAI-Beta": "realtime=v1" });
  const err = await c.next("error");
  assert.equal((err["error"] as { code: string }).code, "beta_api_shape_disabled");
  const code = await new Promise<number>((r) => c.ws.once("close", (code) => r(code)));
  assert.equal(code, 4000);
  assert.ok(rt.violations.some((v) => v.kind === "beta_header"));
});

test("pcm16 24 kHz sessions get 960-byte deltas; odd-length PCM appends are a format violation", async () => {
  rt.script([{ greeting: say("Hello.", 100) }]);
  const c = await connect(rt.url);
  const pcm = { type: "audio/pcm", rate: 24000 };
  c.send({ type: "session.update", session: { type: "realtime", audio: { input: { format: pcm }, output: { format: pcm, voice: "cedar" } } } });
  await c.next("session.updated");
  c.send({ type: "response.create" });
  await c.next("response.done");
  const deltas = c.events.filter((e) => e.type === "response.output_audio.delta");
  assert.equal(deltas.length, 5);
  assert.ok(deltas.every((d) => Buffer.from(String(d["delta"]), "base64").length === 960));
  c.send({ type: "input_audio_buffer.append", audio: pcm16ToBytes(speechPcm16(20, 24000)).toString("base64") });
  c.send({ type: "input_audio_buffer.append", audio: Buffer.alloc(161, 0xff).toString("base64") });
  c.send({ type: "input_audio_buffer.append", audio: speechMuLaw(100).toString("base64") });
  c.send({ type: "session.update", session: { type: "realtime", audio: { output: { voice: "alloy" } } } });
  const err = await c.next("error");
  assert.equal((err["error"] as { code: string }).code, "cannot_update_voice");
  await c.close();
  assert.deepEqual(
    rt.sessions.at(-1)!.violations.map((v) => v.kind),
    ["audio_format", "voice_change"],
    "real PCM16 passes; the odd-length and the mu-law appends give one audio_format violation per session",
  );
});

test("stall() hangs a response until response.cancel; closeSocket() closes with the given code", async () => {
  rt.script([{ greeting: [say("Let me check…", 100), { kind: "stall" }] }, { onResponseCreate: { kind: "close", code: 1011, reason: "upstream failed" } }]);
  const c = await connect(rt.url);
  c.send({ type: "response.create" });
  await c.next("response.output_audio.done");
  c.send({ type: "response.cancel" });
  const done = await c.next("response.done");
  assert.deepEqual((done["response"] as { status_details: unknown }).status_details, { type: "cancelled", reason: "client_cancelled" });
  c.send({ type: "response.create" });
  const code = await new Promise<number>((r) => c.ws.once("close", (code) => r(code)));
  assert.equal(code, 1011);
  const s = rt.sessions.at(-1)!;
  await s.whenClosed();
  assert.equal(s.closedBy, "server");
  assert.deepEqual(s.violations, []);
});

test("without turn detection the client commits and asks; a text item is the 'text' trigger; script mismatches are violations", async () => {
  rt.script([{ onCallerSpeech: say("Got it.", 100) }, { onText: say("Sure.", 100) }, { onToolResult: say("never", 100) }]);
  const c = await connect(rt.url);
  c.send({ type: "session.update", session: { type: "realtime", audio: { input: { format: { type: "audio/pcmu" }, turn_detection: null } } } });
  c.send({ type: "input_audio_buffer.commit" });
  assert.equal(((await c.next("error"))["error"] as { code: string }).code, "input_audio_buffer_commit_empty");
  sendAudio(c, speechMuLaw(400));
  c.send({ type: "input_audio_buffer.commit" });
  await c.next("input_audio_buffer.committed");
  c.send({ type: "response.create" });
  await c.next("response.done");
  c.send({ type: "conversation.item.create", item: { type: "message", role: "user", content: [{ type: "input_text", text: "and a coke" }] } });
  c.send({ type: "response.create" });
  await c.next("response.done");
  c.send({ type: "conversation.item.create", item: { type: "message", role: "user", content: [{ type: "text", text: "beta content type" }] } });
  await c.next("error");
  c.send({ type: "response.create" });
  await c.next("response.done");
  await c.close();
  const s = rt.sessions.at(-1)!;
  assert.deepEqual(
    s.responses.map((r) => r.trigger),
    ["caller_speech", "text", "response_create"],
  );
  assert.deepEqual(
    s.violations.map((v) => v.kind),
    ["item_create", "script_mismatch"],
  );
});

test("guessByteFormat tells G.711 from PCM16 at any level, and abstains on silence", () => {
  for (const level of [1, 0.3, 0.05, 0.01]) {
    assert.equal(guessByteFormat(speechMuLaw(100, { level })), "g711", `mu-law at ${level}`);
    assert.equal(guessByteFormat(pcm16ToBytes(speechPcm16(100, 24000, { level }))), "pcm16", `pcm16 at ${level}`);
  }
  assert.equal(guessByteFormat(silenceMuLaw(100)), undefined);
  assert.equal(guessByteFormat(Buffer.alloc(960)), undefined);
});
