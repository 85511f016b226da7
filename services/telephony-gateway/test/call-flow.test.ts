import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DEMO_CUSTOMERS, DEMO_LOCATIONS } from "@orderline/db";
import { callerHangsUp, callerPauses, callerSays, callerWaitsForReply, say } from "@orderline/testing";
import { PUBLIC_BASE_URL, Stack } from "./harness.ts";

describe("a call through the gateway", () => {
  const stack = new Stack();
  before(async () => {
    await stack.start();
    await stack.startInProcess({ OPS_PORT: "0" });
  });
  after(() => stack.close());

  test("greets with the location's instructions, relays audio both ways, finalizes on hang-up", async () => {
    stack.realtime.script([{ greeting: say("Thanks for calling Tony's! How can I help?", 1200) }, { onCallerSpeech: say("Sure thing.", 600), heard: "what are your hours" }]);
    const call = stack.placeCall({
      from: "+14155550111",
      to: DEMO_LOCATIONS.newYork.phone,
      caller: [callerWaitsForReply(), callerSays(900, { text: "what are your hours" }), callerWaitsForReply(), callerPauses(200), callerHangsUp()],
    });
    await call.done;
    call.assertNoErrors();
    stack.realtime.assertNoViolations();
    const rt = await stack.realtime.waitForSession(0);
    const cfg = rt.config as { instructions: string; audio: { input: { format: { type: string } } }; tools: { name: string }[] };
    assert.match(cfg.instructions, /Tony's Pizzeria Midtown/);
    assert.match(cfg.instructions, /AI ordering assistant/);
    assert.equal(cfg.audio.input.format.type, "audio/pcmu");
    assert.ok(cfg.tools.some((t) => t.name === "submit_order"));
    assert.equal(call.heard.length, 2, "heard the greeting and the answer");
    assert.ok(call.heard[0]!.playedMs >= 1100, `greeting played ${call.heard[0]!.playedMs} ms`);
    assert.ok(rt.inputMs > 800, "caller audio reached the model");
    const job = await stack.finalizeJob(call.sid);
    assert.equal(job.callSid, call.sid);
    assert.equal(job.locationId, DEMO_LOCATIONS.newYork.id);
    assert.equal(job.disposition, "completed");
    assert.deepEqual(
      job.transcript.map((t) => t.role),
      ["assistant", "caller", "assistant"],
    );
    assert.ok(job.events.some((e) => e.type === "stream_started"));
    assert.ok(job.events.some((e) => e.type === "call_ended"));
    assert.ok(job.usage.responses >= 2);
    const metrics = await (await fetch(`http://127.0.0.1:${stack.port}/metrics`)).text();
    assert.match(metrics, /gateway_calls_total\{[^}]*outcome="connected"[^}]*\} [1-9]/);
    assert.match(metrics, /gateway_realtime_tokens_total\{[^}]*kind="output_audio"[^}]*\} [1-9]/);
    assert.match(metrics, /gateway_active_calls\{[^}]*\} 0/);
    assert.equal((await fetch(`http://127.0.0.1:${stack.port}/readyz`)).status, 200);
    // The same endpoints on OPS_PORT, where the Helm chart's probes and Prometheus look.
    const ops = stack.gateway!.opsPort!;
    assert.equal((await fetch(`http://127.0.0.1:${ops}/readyz`)).status, 200);
    assert.match(await (await fetch(`http://127.0.0.1:${ops}/metrics`)).text(), /gateway_frames_in_total/);
    const row = await stack.testDb.db.selectFrom("voice_calls").selectAll().where("call_sid", "=", call.sid).executeTakeFirstOrThrow();
    assert.equal(row.location_id, DEMO_LOCATIONS.newYork.id);
  });

  test("a returning caller is greeted by name and offered their last order", async () => {
    stack.realtime.script([{ greeting: say("Hi Maria!", 400) }]);
    const call = stack.placeCall({ from: DEMO_CUSTOMERS.maria.phone, to: DEMO_LOCATIONS.newYork.phone, caller: [callerWaitsForReply(), callerHangsUp()] });
    await call.done;
    call.assertNoErrors();
    const rt = stack.realtime.sessions.at(-1)!;
    const instructions = (rt.config as { instructions: string }).instructions;
    assert.match(instructions, /Maria Gonzalez/);
    assert.match(instructions, /last order was: \d+ /);
    assert.equal((await stack.finalizeJob(call.sid)).disposition, "abandoned");
  });

  test("a Spanish-speaking location: Spanish instructions, and the model may follow the caller into English", async () => {
    const denver = DEMO_LOCATIONS.denver;
    await stack.testDb.db.updateTable("locations").set({ language: "es-US", greeting: "¡Gracias por llamar a Tony's LoDo!" }).where("id", "=", denver.id).execute();
    stack.realtime.script([{ greeting: say("¡Gracias por llamar!", 400) }]);
    const call = stack.placeCall({ from: "+14155550188", to: denver.phone, caller: [callerWaitsForReply(), callerHangsUp()] });
    await call.done;
    call.assertNoErrors();
    const cfg = stack.realtime.sessions.at(-1)!.config as { instructions: string; audio: { input: { transcription: { language?: string } } } };
    assert.match(cfg.instructions, /¡Gracias por llamar a Tony's LoDo! Soy el asistente de pedidos/);
    assert.match(cfg.instructions, /Si el cliente habla inglés/);
    assert.equal(cfg.audio.input.transcription.language, undefined, "transcription not pinned to one language");
  });

  test("status callbacks are hints: duplicates and late ones do not finalize twice", async () => {
    stack.realtime.script([{ greeting: say("Hi!", 300) }]);
    const call = stack.placeCall({ from: "+14155550189", to: DEMO_LOCATIONS.newYork.phone, caller: [callerWaitsForReply(), callerHangsUp()] });
    await call.done;
    const job = await stack.finalizeJob(call.sid);
    const params = { AccountSid: stack.accountSid, CallSid: call.sid, CallStatus: "completed", From: call.from, To: call.to };
    assert.equal(await stack.cloud.postSigned(`${PUBLIC_BASE_URL}/voice/status`, params), 204);
    assert.equal(await stack.cloud.postSigned(`${PUBLIC_BASE_URL}/voice/status`, params), 204);
    const again = await stack.finalizeJob(call.sid);
    assert.equal(again.endedAt, job.endedAt, "the first finalization stands");
    assert.equal(again.events.filter((e) => e.type === "call_ended").length, 1);
  });
});

describe("a caller who goes quiet", () => {
  const stack = new Stack({ env: { REALTIME_IDLE_TIMEOUT_MS: "1200" } });
  before(async () => {
    await stack.start();
    await stack.startInProcess();
  });
  after(() => stack.close());

  test("semantic VAD: after the greeting has played and the caller says nothing, the model is asked to check on them", async () => {
    stack.realtime.script([{ greeting: say("Thanks for calling Tony's! How can I help?", 800) }, { onResponseCreate: say("Are you still there?", 600) }]);
    const call = stack.placeCall({ from: "+14155550112", to: DEMO_LOCATIONS.newYork.phone, caller: [callerWaitsForReply(), callerWaitsForReply({ timeoutMs: 8000 }), callerHangsUp()] });
    await call.done;
    call.assertNoErrors();
    stack.realtime.assertNoViolations();
    const rt = stack.realtime.sessions.at(-1)!;
    const config = rt.config as { audio: { input: { turn_detection: { type: string } } } };
    assert.equal(config.audio.input.turn_detection.type, "semantic_vad");
    const creates = rt.received.filter((e) => e.type === "response.create") as Array<{ response?: { instructions?: string } }>;
    assert.equal(creates.length, 2, "the greeting, then one check on the silent caller");
    assert.match(creates[1]!.response?.instructions ?? "", /said nothing/);
    assert.equal(call.heard.length, 2);
    const job = await stack.finalizeJob(call.sid);
    assert.equal(job.events.filter((e) => e.type === "reprompt").length, 1);
  });
});
