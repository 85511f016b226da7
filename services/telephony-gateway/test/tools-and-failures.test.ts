import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type RequestEnvelope, toolSubject } from "@orderline/contracts";
import { DEMO_LOCATIONS } from "@orderline/db";
import { connectNats, type NatsConnection } from "@orderline/nats";
import { initTracing, type Tracing } from "@orderline/telemetry";
import {
  callerHangsUp,
  callerSays,
  callerWaitsForReply,
  callTool,
  closeSocket,
  fail,
  freePort,
  type ManagedProcess,
  REPO_ROOT,
  say,
  stall,
  startProcess,
} from "@orderline/testing";
import { Stack } from "./harness.ts";

const NY = DEMO_LOCATIONS.newYork;

describe("tool calls and failures", () => {
  // The real menu-service as its own process; the order service is deliberately absent (no responders).
  // FALLBACK_TRANSPORT=none: a Realtime failure goes to staff here (moving to a text transport is tested in conversation-fallback).
  const stack = new Stack({ env: { TOOL_TIMEOUT_MS: "300", FALLBACK_TRANSPORT: "none", REALTIME_STALL_MS: "800" } });
  let nc: NatsConnection;
  let menu: ManagedProcess;
  /** Envelopes of get_menu requests, seen by a plain (non-queue) subscription: a tap, not a responder. */
  const seen: RequestEnvelope[] = [];
  let tracing: Tracing;
  before(async () => {
    tracing = initTracing({ service: "telephony-gateway", inMemory: true });
    await stack.start();
    const opsPort = await freePort();
    menu = await startProcess({
      name: "menu-service",
      cmd: "node",
      args: ["src/index.ts"],
      cwd: join(REPO_ROOT, "services", "menu-service"),
      env: {
        DATABASE_URL: stack.testDb.url,
        NATS_URL: "nats://127.0.0.1:4222",
        NATS_SUBJECT_PREFIX: stack.natsPrefix,
        OPS_PORT: String(opsPort),
        LOG_LEVEL: "warn",
      },
      readyUrl: `http://127.0.0.1:${opsPort}/readyz`,
    });
    nc = await connectNats({ url: "nats://127.0.0.1:4222", name: "gateway-test-tap" });
    nc.subscribe(toolSubject("get_menu", stack.natsPrefix), {
      callback: (_err, msg) => {
        seen.push((msg.json() as { envelope: RequestEnvelope }).envelope);
      },
    });
    await nc.flush();
    await stack.startInProcess();
  });
  after(async () => {
    await stack.close();
    await menu.stop();
    await nc.close();
    await tracing.shutdown();
  });

  test("invalid tool arguments come back to the model as an explanation, no request is sent", async () => {
    stack.realtime.script([
      { greeting: callTool("add_item", { item: "", quantity: 0 }) },
      { onToolResult: callTool("start_order", "{not json") },
      { onToolResult: say("Sorry, what would you like?", 300) },
    ]);
    const call = stack.placeCall({ from: "+14155550166", to: NY.phone, caller: [callerWaitsForReply(), callerHangsUp()] });
    await call.done;
    call.assertNoErrors();
    stack.realtime.assertNoViolations();
    const rt = stack.realtime.sessions.at(-1)!;
    const [first, second] = rt.toolOutputs.map((o) => JSON.parse(o.output) as { error: { code: string; message: string } });
    assert.equal(first!.error.code, "invalid_arguments");
    assert.match(first!.error.message, /item: must not be empty/);
    assert.match(first!.error.message, /quantity: must be at least 1/);
    assert.equal(second!.error.code, "invalid_arguments");
    assert.match(second!.error.message, /not valid JSON/);
    assert.equal(call.dials.length, 0, "a model mistake is not a technical failure");
  });

  test("a timeout is retried once with the same request id; two failed tool calls in a row → apology and transfer", async (t) => {
    seen.length = 0;
    // A menu-service that stopped answering (paused, its NATS subscription still registered): requests reach
    // it and time out — the ambiguous case, unlike no responders.
    process.kill(menu.pid, "SIGSTOP");
    t.after(() => {
      process.kill(menu.pid, "SIGCONT");
    });
    stack.realtime.script([
      { greeting: callTool("get_menu", {}) },
      { onToolResult: callTool("get_menu", { category: "pizza" }) },
      { onToolResult: say("I'm sorry, we're having a technical problem, let me connect you with a team member.", 800) },
    ]);
    const call = stack.placeCall({ from: "+14155550177", to: NY.phone });
    await call.done;
    call.assertNoErrors();
    stack.realtime.assertNoViolations();
    assert.equal(seen.length, 4, "two tool calls, each sent twice");
    assert.equal(seen[0]!.requestId, seen[1]!.requestId, "the retry carries the same request id");
    assert.equal(seen[2]!.requestId, seen[3]!.requestId);
    assert.notEqual(seen[0]!.requestId, seen[2]!.requestId);
    assert.equal(seen[0]!.locationId, NY.id);
    assert.equal(seen[0]!.callSid, call.sid);
    // One trace from the incoming webhook through every tool request.
    await tracing.flush();
    const webhook = tracing.exporter!.getFinishedSpans().find((sp) => sp.name === "POST /voice/incoming" && sp.attributes["orderline.call_sid"] === call.sid);
    assert.ok(webhook, "the webhook span was recorded");
    const traceId = webhook.spanContext().traceId;
    for (const env of seen) assert.equal(env.traceparent?.split("-")[1], traceId, "tool requests carry the call's trace");
    const toolSpans = tracing.exporter!.getFinishedSpans().filter((sp) => sp.name === "tool get_menu" && sp.spanContext().traceId === traceId);
    assert.equal(toolSpans.length, 2);
    const rt = stack.realtime.sessions.at(-1)!;
    assert.equal(JSON.parse(rt.toolOutputs[0]!.output).error.code, "timeout");
    assert.ok(call.heard.some((t) => t.playedMs >= 700), "the apology was played before the transfer");
    assert.equal(call.dials.length, 1);
    assert.equal(call.dials[0]!.number, NY.staffPhones[0]);
    assert.match(call.dials[0]!.whisper.join(" "), /Technical problem/);
    const job = await stack.finalizeJob(call.sid);
    assert.equal(job.disposition, "transferred");
    assert.equal(job.transferReason, "technical_failure");
    assert.equal(job.events.filter((e) => e.type === "tool_error").length, 2);
  });

  test("a service with no responders: apology and transfer at once", async () => {
    stack.realtime.script([
      { greeting: say("Hi!", 300) },
      { onCallerSpeech: callTool("start_order", { order_type: "pickup" }), heard: "pickup please" },
      { onToolResult: say("Sorry, we have a technical problem, connecting you now.", 600) },
    ]);
    const call = stack.placeCall({ from: "+14155550188", to: NY.phone, caller: [callerWaitsForReply(), callerSays(800)] });
    await call.done;
    call.assertNoErrors();
    stack.realtime.assertNoViolations();
    const rt = stack.realtime.sessions.at(-1)!;
    assert.equal(JSON.parse(rt.toolOutputs[0]!.output).error.code, "no_responders");
    assert.equal(call.dials.length, 1);
    const job = await stack.finalizeJob(call.sid);
    assert.equal(job.transferReason, "technical_failure");
    assert.ok(job.events.some((e) => e.type === "tool_error" && e.data.code === "no_responders"));
    assert.ok(job.events.some((e) => e.type === "transfer"));
  });

  test("a failed Realtime response is asked for again: the caller hears the greeting, no dead air", async () => {
    stack.realtime.script([{ greeting: fail() }, { onResponseCreate: say("Hi, thanks for calling Tony's!", 600) }]);
    const call = stack.placeCall({ from: "+14155550197", to: NY.phone, caller: [callerWaitsForReply(), callerHangsUp()] });
    await call.done;
    call.assertNoErrors();
    assert.equal(call.dials.length, 0);
    assert.ok(call.heard.length >= 1 && call.heard[0]!.playedMs > 0, "the retried greeting was heard");
    const rt = stack.realtime.sessions.at(-1)!;
    assert.deepEqual(
      rt.responses.map((r) => r.status),
      ["failed", "completed"],
    );
    const job = await stack.finalizeJob(call.sid);
    assert.ok(job.events.some((e) => e.type === "realtime_error" && e.data.status === "failed"));
  });

  test("two stalled Realtime responses in a row: cancelled, then the caller is handed on (here: to staff)", async () => {
    stack.realtime.script([{ greeting: stall() }, { onResponseCreate: stall() }]);
    const call = stack.placeCall({ from: "+14155550196", to: NY.phone, caller: [callerWaitsForReply({ timeoutMs: 10_000 })] });
    await call.done;
    call.assertNoErrors();
    assert.ok(call.said.some((s) => /technical trouble/.test(s.text)), `said: ${JSON.stringify(call.said)}`);
    assert.equal(call.dials.length, 1);
    const job = await stack.finalizeJob(call.sid);
    assert.equal(job.events.filter((e) => e.type === "realtime_error" && e.data.status === "stalled").length, 2);
    assert.equal(job.transferReason, "technical_failure");
  });

  test("the Realtime session dropping mid-call: the caller hears an apology and is transferred", async () => {
    stack.realtime.script([{ greeting: say("Hi there!", 300) }, { onCallerSpeech: closeSocket(1011, "internal error"), heard: "hello?" }]);
    const call = stack.placeCall({ from: "+14155550199", to: NY.phone, caller: [callerWaitsForReply(), callerSays(800)] });
    await call.done;
    call.assertNoErrors();
    assert.ok(call.said.some((s) => /technical trouble/.test(s.text)), `said: ${JSON.stringify(call.said)}`);
    assert.equal(call.dials.length, 1);
    const job = await stack.finalizeJob(call.sid);
    assert.equal(job.disposition, "transferred");
    assert.ok(job.events.some((e) => e.type === "realtime_error"));
  });

  test("the model's transfer_to_human: whisper summary to staff, no answer → callback offered", async () => {
    stack.realtime.script([
      { greeting: say("Hi!", 300) },
      { onCallerSpeech: callTool("transfer_to_human", { reason: "caller_request", summary: "Caller wants to talk about a catering order for 40 people." }), heard: "a person please" },
    ]);
    const call = stack.placeCall({
      from: "+14155550100",
      to: NY.phone,
      caller: [callerWaitsForReply(), callerSays(800)],
      dialOutcomes: [{ status: "no-answer" }],
      gatherAnswers: [{ digits: "1" }],
    });
    await call.done;
    call.assertNoErrors();
    stack.realtime.assertNoViolations();
    assert.equal(call.dials.length, 1);
    assert.ok(call.said.some((s) => /call you back/.test(s.text)));
    const job = await stack.finalizeJob(call.sid);
    assert.equal(job.transferReason, "caller_request");
    assert.ok(job.events.some((e) => e.type === "transfer" && /catering order for 40 people/.test(String(e.data.summary))));
    assert.ok(job.events.some((e) => e.type === "transfer" && e.data.dialStatus === "no-answer"));
    assert.ok(job.events.some((e) => e.type === "transfer" && e.data.callbackRequested === true));
  });

  test("a question not answered twice in a row: the model is told to offer staff", async () => {
    stack.realtime.script([
      { greeting: callTool("get_item_details", { item_name: "sushi" }) },
      { onToolResult: callTool("get_item_details", { item_name: "sashimi" }) },
      { onToolResult: say("Sorry, we don't have that. Would you like me to connect you with someone?", 600) },
    ]);
    const call = stack.placeCall({ from: "+14155550109", to: NY.phone, caller: [callerWaitsForReply(), callerHangsUp()] });
    await call.done;
    call.assertNoErrors();
    const [first, second] = stack.realtime.sessions.at(-1)!.toolOutputs.map((o) => JSON.parse(o.output) as { error: { code: string }; hint?: string });
    assert.equal(first!.error.code, "not_on_menu");
    assert.equal(first!.hint, undefined);
    assert.match(second!.hint ?? "", /transfer_to_human with reason unanswered_question/);
    assert.equal(call.dials.length, 0, "the model decides; the gateway does not transfer by itself");
  });

  test("transfer: no answer at the first staff number rings the next one, with the same whisper", async () => {
    const denver = DEMO_LOCATIONS.denver;
    stack.realtime.script([
      { greeting: say("Hi!", 300) },
      { onCallerSpeech: callTool("transfer_to_human", { reason: "complaint", summary: "Caller says the last pizza arrived cold." }), heard: "my pizza was cold" },
    ]);
    const call = stack.placeCall({
      from: "+14155550108",
      to: denver.phone,
      caller: [callerWaitsForReply(), callerSays(800)],
      dialOutcomes: [{ status: "no-answer" }, { status: "completed", durationSec: 30 }],
    });
    await call.done;
    call.assertNoErrors();
    assert.deepEqual(
      call.dials.map((d) => d.number),
      [...denver.staffPhones],
    );
    assert.match(call.dials[1]!.whisper.join(" "), /arrived cold/);
    assert.ok(call.said.some((s) => /Still trying/.test(s.text)));
    const job = await stack.finalizeJob(call.sid);
    assert.equal(job.transferReason, "complaint");
  });
});
