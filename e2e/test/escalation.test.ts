import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DEMO_LOCATIONS } from "@orderline/db";
import { callerHangsUp, callerSays, callerWaitsForReply, callTool, parseTwiml, relaySays, relayWaitsForReply, respondText, respondToolCall, say, waitFor } from "@orderline/testing";
import { type LocalStack, PUBLIC_BASE_URL, startLocalStack } from "../src/local-stack.ts";

const NY = DEMO_LOCATIONS.newYork;
const DENVER = DEMO_LOCATIONS.denver;

/**
 * The escalation service wired into calls: every service its own process (menu, order, escalation, gateway) on
 * real Postgres, Redis and NATS, the Twilio simulator + REST emulator, the Realtime emulator and the local agent.
 */
describe("escalation end to end: the caller asks for a person mid-order, on every transport", () => {
  let stack: LocalStack;
  let n = 0;
  const from = () => `+1415555${String(700 + n++).padStart(4, "0")}`;

  // The kit's stop deletes the stack's Redis keys.
  before(async () => {
    stack = await startLocalStack({ timeScale: 0.5 });
  });
  after(() => stack?.close());

  const setMode = async (locationId: string, mode: "realtime" | "relay" | "gather", textEngine: "openai" | "local" = "local") => {
    await stack.db.db
      .insertInto("location_conversation_settings")
      .values({ location_id: locationId, mode, text_engine: textEngine })
      .onConflict((oc) => oc.column("location_id").doUpdateSet({ mode, text_engine: textEngine }))
      .execute();
  };
  const place = (extra: Record<string, unknown>) =>
    stack.cloud.placeCall({ url: `${PUBLIC_BASE_URL}/voice/incoming`, statusCallback: `${PUBLIC_BASE_URL}/voice/status`, from: from(), ...extra } as never);
  /** The call as the worker stored it (from the gateway's finalize job), with its events. */
  const finalizeJob = async (callSid: string) => {
    const stored = await stack.storedCall(callSid);
    const row = await voiceCall(callSid);
    return { ...stored, transferReason: row.escalation_reason };
  };
  /** Over <Gather> with the local agent: a large pepperoni, then a person asked for; staff answers. */
  const askForPersonOverGather = async () => {
    await setMode(NY.id, "gather", "local");
    const call = place({
      to: NY.phone,
      gatherAnswers: [{ speech: "Hi, I'd like a large pepperoni pizza for pickup." }, { speech: "Can I speak to a person please?" }],
      dialOutcomes: [{ status: "completed", durationSec: 15 }],
    });
    await call.done;
    call.assertNoErrors();
    return call;
  };
  /** The New York staff line was dialled once, its whisper named the cart, and the call ended transferred for caller_request. */
  const dialledNewYorkWithTheCart = async (call: { sid: string; dials: { number: string; whisper: string[] }[] }) => {
    assert.deepEqual(
      call.dials.map((d) => d.number),
      [NY.staffPhones[0]],
    );
    assert.match(call.dials[0]!.whisper.join(" "), /Order so far: 1 Large Pepperoni Pizza/);
    const job = await finalizeJob(call.sid);
    assert.equal(job.disposition, "transferred");
    assert.equal(job.transferReason, "caller_request");
    return job;
  };
  const voiceCall = (callSid: string) => stack.db.db.selectFrom("voice_calls").selectAll().where("call_sid", "=", callSid).executeTakeFirstOrThrow();
  const escalationOf = (callSid: string) => stack.db.db.selectFrom("escalations").selectAll().where("call_sid", "=", callSid).executeTakeFirst();
  /** The TwiML the gateway sent to Twilio REST for a call (calls(sid).update). */
  const restUpdates = (callSid: string) => stack.cloud.restRequests.filter((r) => r.path.endsWith(`/Calls/${callSid}.json`) && r.method === "POST");

  test("Media Streams + Realtime: a large pepperoni in the cart, 'a real person please' → the call is updated to <Dial> the store, the whisper names the cart, the call ends transferred", async () => {
    await setMode(NY.id, "realtime");
    stack.realtime.script([
      { greeting: say("Thanks for calling Tony's! How can I help?", 600) },
      { onCallerSpeech: callTool("start_order", { order_type: "pickup" }), heard: "A large pepperoni pizza for pickup." },
      { onToolResult: callTool("add_item", { item: "pepperoni pizza", size: "large", quantity: 1 }) },
      { onToolResult: say("One large pepperoni pizza. Anything else?", 800) },
      {
        onCallerSpeech: callTool("transfer_to_human", { reason: "caller_request", summary: "The caller asked for a person while ordering." }),
        heard: "Actually, can I talk to a real person please?",
      },
    ]);
    const call = place({
      to: NY.phone,
      caller: [callerWaitsForReply(), callerSays(900), callerWaitsForReply(), callerSays(900)],
      dialOutcomes: [{ status: "completed", durationSec: 20 }],
    });
    await call.done;
    call.assertNoErrors();

    const updates = restUpdates(call.sid);
    assert.equal(updates.length, 1, "one REST update of the live call");
    const twiml = parseTwiml(String(updates[0]!.params.Twiml));
    const dial = twiml.children.find((c) => c.name === "Dial");
    assert.ok(dial, `the update is a <Dial>: ${updates[0]!.params.Twiml}`);
    assert.equal(dial.attrs.answerOnBridge, "true");
    assert.equal(dial.attrs.callerId, NY.phone);
    assert.equal(dial.children[0]!.text, NY.staffPhones[0]);

    const job = await dialledNewYorkWithTheCart(call);
    const caller = job.transcript.filter((t) => t.role === "caller");
    assert.ok(caller.length >= 2, "the caller's turns are in the transcript");
    assert.ok(caller.every((t) => typeof t.sentiment === "number"), "every caller turn carries its sentiment score");

    const record = await waitFor(async () => {
      const row = await voiceCall(call.sid);
      return row.disposition === "transferred" ? row : undefined;
    }, { timeoutMs: 10_000, message: "voice_calls.disposition = transferred" });
    assert.equal(record.escalation_reason, "caller_request");
    assert.equal(record.transferred_to, NY.staffPhones[0]);
  });

  test("Gather + the local agent (no cloud model): the cart started, 'can I speak to a person' → <Dial> answered inline, whisper names the cart, transferred with the reason", async () => {
    const call = await askForPersonOverGather();
    const job = await dialledNewYorkWithTheCart(call);
    assert.equal(restUpdates(call.sid).length, 0, "Gather hands off in the webhook's answer, no REST update");
    assert.ok(job.events.some((e) => e.type === "escalation" && e.data.step === "assessed" && e.data.reason === "caller_request"), "the turn's assessment fired");
    const esc = await escalationOf(call.sid);
    assert.equal(esc?.reason, "caller_request");
    const record = await voiceCall(call.sid);
    assert.equal(record.escalation_reason, "caller_request");
  });

  test("no answer at either Denver line → the second is rung, then the callback goodbye and an SMS to the location's staff line", async () => {
    await setMode(DENVER.id, "realtime");
    stack.realtime.script([
      { greeting: say("Thanks for calling Tony's LoDo!", 600) },
      { onCallerSpeech: callTool("transfer_to_human", { reason: "complaint", summary: "Caller says the last pizza arrived cold." }), heard: "My last pizza arrived cold." },
    ]);
    const smsBefore = stack.cloud.messages.length;
    const call = place({
      to: DENVER.phone,
      caller: [callerWaitsForReply(), callerSays(900)],
      dialOutcomes: [{ status: "no-answer" }, { status: "no-answer" }],
    });
    await call.done;
    call.assertNoErrors();
    assert.deepEqual(
      call.dials.map((d) => d.number),
      [...DENVER.staffPhones],
    );
    const esc = await escalationOf(call.sid);
    assert.ok(esc, "an escalation row for the call");
    // Nobody answered, so no whisper was played; each attempt's whisper and action name the escalation and the attempt.
    assert.deepEqual(
      call.dials.map((d) => [new URL(d.whisperUrl!).searchParams.get("escalationId"), new URL(d.action!).searchParams.get("attempt")]),
      [
        [esc.id, "0"],
        [esc.id, "1"],
      ],
    );
    const callback = await stack.db.db.selectFrom("callback_requests").selectAll().where("call_sid", "=", call.sid).executeTakeFirstOrThrow();
    assert.equal(callback.state, "open");
    assert.equal(callback.cause, "no_answer");
    const sms = stack.cloud.messages.slice(smsBefore);
    assert.equal(sms.length, 1, "one SMS to the location");
    assert.equal(sms[0]!.to, DENVER.staffPhones[0]);
    assert.match(sms[0]!.body, /Callback request/);
    assert.ok(call.said.some((s) => /call you back|call back/i.test(s.text)), `the caller hears about the callback: ${call.said.map((s) => s.text).join(" | ")}`);
    const job = await finalizeJob(call.sid);
    assert.equal(job.transferReason, "complaint");
    assert.ok(job.events.some((e) => e.type === "callback_requested" && e.data.cause === "no_answer"));
    assert.deepEqual(
      job.events.filter((e) => e.type === "transfer" && e.data.dialStatus).map((e) => e.data.dialStatus),
      ["no-answer", "no-answer"],
    );
  });

  test("a location with no staff line: transfer_to_human stores a callback request, the model gets it with the speech and keeps the caller", async () => {
    const CHICAGO = DEMO_LOCATIONS.chicago;
    await setMode(CHICAGO.id, "realtime");
    await stack.db.db.updateTable("location_staff_lines").set({ active: false }).where("location_id", "=", CHICAGO.id).execute();
    try {
      stack.realtime.script([
        { greeting: say("Thanks for calling Tony's Chicago!", 400) },
        { onCallerSpeech: callTool("transfer_to_human", { reason: "caller_request", summary: "The caller wants to ask a manager about a birthday party." }), heard: "Can a manager call me about a party?" },
        { onToolResult: say("Nobody can take the call right now, but the restaurant will call you back. Anything else I can help with?", 1200) },
      ]);
      const call = place({ to: CHICAGO.phone, caller: [callerWaitsForReply(), callerSays(900), callerWaitsForReply(), callerHangsUp()] });
      await call.done;
      call.assertNoErrors();
      const outputs = stack.realtime.sessions.at(-1)!.toolOutputs.map((o) => JSON.parse(o.output) as { callbackRequested?: boolean; speech?: string; decision?: { action: string } });
      assert.equal(outputs.length, 1);
      assert.equal(outputs[0]!.callbackRequested, true);
      assert.equal(outputs[0]!.decision?.action, "callback");
      assert.match(outputs[0]!.speech ?? "", /call/i);
      assert.equal(call.dials.length, 0, "nobody dialled");
      assert.equal(restUpdates(call.sid).length, 0, "the call stayed with the assistant");
      assert.ok(call.heard.length >= 2, "the model went on speaking after the tool result");
      const callback = await stack.db.db.selectFrom("callback_requests").selectAll().where("call_sid", "=", call.sid).executeTakeFirstOrThrow();
      assert.equal(callback.cause, "no_staff_number");
      const job = await finalizeJob(call.sid);
      assert.equal(job.disposition, "completed");
      assert.ok(job.events.some((e) => e.type === "callback_requested" && e.data.cause === "no_staff_number"));
    } finally {
      await stack.db.db.updateTable("location_staff_lines").set({ active: true }).where("location_id", "=", CHICAGO.id).execute();
    }
  });

  test("an angry caller the Realtime model does not transfer: the turn's assessment (sentiment) makes the gateway ask for the transfer itself", async () => {
    await setMode(NY.id, "realtime");
    stack.realtime.script([
      { greeting: say("Thanks for calling Tony's!", 400) },
      { onCallerSpeech: say("I'm sorry to hear that.", 800), heard: "This is terrible. The worst, disgusting pizza, I am furious and angry!" },
    ]);
    const call = place({ to: NY.phone, caller: [callerWaitsForReply(), callerSays(900)], dialOutcomes: [{ status: "completed", durationSec: 10 }] });
    await call.done;
    call.assertNoErrors();
    assert.equal(stack.realtime.sessions.at(-1)!.functionCalls.length, 0, "the model called no tool");
    assert.deepEqual(
      call.dials.map((d) => d.number),
      [NY.staffPhones[0]],
    );
    const esc = await escalationOf(call.sid);
    assert.equal(esc?.reason, "complaint");
    const job = await finalizeJob(call.sid);
    assert.equal(job.transferReason, "complaint");
    const angry = job.transcript.find((t) => t.role === "caller");
    assert.ok(angry && typeof angry.sentiment === "number" && angry.sentiment <= -3, `the turn's sentiment is stored: ${JSON.stringify(angry)}`);
  });

  test("ConversationRelay + the text model: 'a real person please' after an item → end with the service's handoffData, the Connect action answers <Dial> with the whisper", async () => {
    await setMode(NY.id, "relay", "openai");
    stack.responses.script([
      { on: "user", match: "pepperoni", actions: respondToolCall("start_order", { order_type: "pickup" }) },
      { on: "tool_result", actions: respondToolCall("add_item", { item: "pepperoni pizza", size: "large", quantity: 1 }) },
      { on: "tool_result", actions: respondText("One large pepperoni pizza. Anything else?") },
    ]);
    const call = place({
      to: NY.phone,
      relayCaller: [relaySays("A large pepperoni pizza for pickup please."), relayWaitsForReply(), relaySays("Can I talk to a real person please?"), relayWaitsForReply({ timeoutMs: 3000 })],
      dialOutcomes: [{ status: "completed", durationSec: 10 }],
    });
    await call.done;
    call.assertNoErrors();
    assert.equal(stack.responses.pendingTurns, 0, "the text model's script was used up");
    const relay = call.relays[0]!;
    assert.equal(relay.outcome, "ended-by-app");
    const esc = await escalationOf(call.sid);
    assert.ok(esc);
    assert.deepEqual(JSON.parse(relay.handoffData ?? "{}"), { kind: "escalation", action: "dial", escalationId: esc.id });
    await dialledNewYorkWithTheCart(call);
  });

  test("a technical failure (the menu service gone) goes through the escalation service: the live call is updated to its <Dial>, reason technical_failure", async () => {
    await setMode(NY.id, "realtime");
    await stack.services.menu.stop();
    try {
      stack.realtime.script([{ greeting: say("Hi!", 300) }, { onCallerSpeech: callTool("get_menu", {}), heard: "What pizzas do you have?" }]);
      const call = place({ to: NY.phone, caller: [callerWaitsForReply(), callerSays(800)], dialOutcomes: [{ status: "completed", durationSec: 10 }] });
      await call.done;
      call.assertNoErrors();
      const esc = await escalationOf(call.sid);
      assert.equal(esc?.reason, "technical_failure");
      const updates = restUpdates(call.sid);
      assert.equal(updates.length, 1);
      const dial = parseTwiml(String(updates[0]!.params.Twiml)).children.find((c) => c.name === "Dial");
      assert.ok(dial, "the live call is updated to a <Dial>");
      assert.match(dial.attrs.action ?? "", new RegExp(`escalationId=${esc!.id}`));
      assert.deepEqual(
        call.dials.map((d) => d.number),
        [NY.staffPhones[0]],
      );
      assert.match(call.dials[0]!.whisper.join(" "), /Technical problem on the AI line/);
      const job = await finalizeJob(call.sid);
      assert.equal(job.transferReason, "technical_failure");
    } finally {
      await stack.restart("menu");
    }
  });

  // Last: it stops the escalation service.
  test("the escalation service down: the caller asking for a person is still put through to the store's staff number", async () => {
    await stack.services.escalation.stop();
    const call = await askForPersonOverGather();
    assert.deepEqual(
      call.dials.map((d) => d.number),
      [NY.staffPhones[0]],
    );
    const job = await finalizeJob(call.sid);
    assert.equal(job.disposition, "transferred");
    assert.equal(job.transferReason, "caller_request");
    assert.equal(await escalationOf(call.sid), undefined, "nothing reached the escalation service");
  });
});
