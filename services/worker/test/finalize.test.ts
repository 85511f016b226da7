import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type CallFinalizeJob, QUEUES, redisKeys } from "@orderline/contracts";
import { DEMO_LOCATIONS } from "@orderline/db";
import { Queue } from "bullmq";
import { sample } from "./support/metrics.ts";
import { eventually, startWorkerStack, type WorkerStack } from "./support/worker-stack.ts";

const NY = DEMO_LOCATIONS.newYork;
const SPOKEN_CARD = "four one one one one one one one one one one one one one one one";
const SSN = "078-05-1120";

function job(callSid: string, orderIds: string[]): CallFinalizeJob {
  const t = (s: number) => new Date(Date.parse("2026-12-05T18:00:00.000Z") + s * 1000).toISOString();
  return {
    callSid,
    locationId: NY.id,
    from: "+14155550401",
    to: NY.phone,
    startedAt: t(0),
    endedAt: t(125),
    disposition: "completed",
    endReason: "caller hung up",
    orderId: orderIds.at(-1) ?? null,
    orderIds,
    transferReason: null,
    transcript: [
      { role: "assistant", text: "Thanks for calling Tony's, what can I get you?", at: t(1) },
      { role: "caller", text: `Can I pay by card? It's ${SPOKEN_CARD}, security code seven three one.`, at: t(20) },
      { role: "assistant", text: "I'm sorry, we can't take payment over the phone.", at: t(25) },
      { role: "caller", text: `My social is ${SSN} if you need it.`, at: t(40) },
    ],
    events: [
      { type: "call_started", at: t(0), data: { to: NY.phone } },
      { type: "tool_call", at: t(30), data: { tool: "add_item", callId: "c1", ok: true, attempts: 1, ms: 14, args: { item: "pepperoni pizza", notes: "card 4111 1111 1111 1111" } } },
      { type: "tool_call", at: t(60), data: { tool: "submit_order", callId: "c2", ok: false, code: "validation", attempts: 1, ms: 9, args: {} } },
      { type: "fallback", at: t(70), data: { from: "realtime", to: "openai_text" } },
      { type: "call_ended", at: t(125), data: { reason: "caller hung up" } },
    ],
    usage: { inputAudioTokens: 10_000, inputTextTokens: 2_000, cachedTokens: 6_000, outputAudioTokens: 4_000, outputTextTokens: 500, responses: 7 },
    model: "gpt-realtime",
    textUsage: [{ model: "gpt-5-mini", inputTokens: 3_001, cachedTokens: 1_000, outputTokens: 401, requests: 3 }],
    transports: ["media_stream", "relay"],
    engines: ["realtime", "openai_text"],
  };
}

describe("call finalization (worker process, real Postgres and Redis)", () => {
  let stack: WorkerStack;
  let queue: Queue;
  before(async () => {
    stack = await startWorkerStack();
    queue = new Queue(QUEUES.callFinalize, { connection: stack.redis, prefix: redisKeys(stack.kit.redisKeyPrefix).bullPrefix() });
  });
  after(async () => {
    await queue?.close();
    await stack?.close();
  });

  const finalizedRow = (callSid: string) => () =>
    stack.db.db.selectFrom("voice_calls").selectAll().where("call_sid", "=", callSid).where("finalized_at", "is not", null).executeTakeFirst();

  test("stores the redacted record with cost once, however often the job runs, and removes the raw copies", async () => {
    const callSid = "CAfinalize0000000000000000000000a1";
    const orders = await stack.db.db.selectFrom("orders").select("id").orderBy("id").limit(2).execute();
    const orderIds = orders.map((o) => o.id);
    assert.equal(orderIds.length, 2, "the seed has past orders to point at");
    const keys = redisKeys(stack.kit.redisKeyPrefix);
    // The gateway's raw lists, as it leaves them behind today.
    await stack.redis.rpush(keys.callTranscript(callSid), JSON.stringify({ role: "caller", text: SPOKEN_CARD, at: new Date().toISOString() }));
    await stack.redis.rpush(keys.callEvents(callSid), JSON.stringify({ type: "call_started", at: new Date().toISOString(), data: {} }));
    await stack.redis.set(keys.callEngineState(callSid), JSON.stringify({ history: [{ role: "user", content: SPOKEN_CARD }] }));
    await stack.redis.sadd(keys.callKnownPrices(callSid), "2299");

    await queue.add("finalize", job(callSid, orderIds), { jobId: callSid, removeOnComplete: true });
    const row = await eventually("the voice_calls row to be finalized", finalizedRow(callSid));

    assert.equal(row.disposition, "completed");
    assert.equal(row.duration_seconds, 125);
    assert.deepEqual(row.order_ids, orderIds);
    assert.equal(row.order_id, orderIds[1]);
    assert.equal(row.end_reason, "caller hung up");
    // Realtime $0.4024 + text engine $0.00132725 → 403 727 µ$ (rounded once); 3 started minutes × $0.0085 = 25 500 µ$.
    assert.equal(row.ai_cost_micros, 403_727);
    assert.equal(row.telephony_cost_micros, 25_500);
    assert.equal(row.total_cost_micros, 429_227);
    const stored = JSON.stringify(row.transcript);
    assert.deepEqual(
      row.transcript?.map((t) => t.text),
      [
        "Thanks for calling Tony's, what can I get you?",
        "Can I pay by card? It's [redacted card number], security code [redacted security code].",
        "I'm sorry, we can't take payment over the phone.",
        "My social is [redacted SSN] if you need it.",
      ],
    );
    assert.ok(!stored.includes("four one one one") && !stored.includes(SSN));
    assert.deepEqual(row.usage.transports, ["media_stream", "relay"]);

    const events = await stack.db.db.selectFrom("voice_call_events").selectAll().where("call_id", "=", row.id).orderBy("id").execute();
    assert.deepEqual(
      events.map((e) => e.event_type),
      ["call_started", "tool_call", "tool_call", "fallback", "call_ended"],
    );
    assert.deepEqual(events[1]!.event_data, {
      tool: "add_item",
      callId: "c1",
      ok: true,
      attempts: 1,
      ms: 14,
      args: { item: "pepperoni pizza", notes: "card [redacted card number]" },
      result: "ok",
      latencyMs: 14,
    });
    assert.equal(events[2]!.event_data["result"], "error: validation");

    assert.equal(
      await stack.redis.exists(keys.callTranscript(callSid), keys.callEvents(callSid), keys.callEngineState(callSid), keys.callKnownPrices(callSid)),
      0,
      "raw transcript, events and text-engine state deleted from Redis",
    );
    await eventually("the completed job to be removed", async () => (await queue.getJob(callSid)) === undefined);

    // A second delivery of the same call (gateway retry, duplicate enqueue) changes nothing.
    await queue.add("finalize", { ...job(callSid, orderIds), disposition: "abandoned" }, { jobId: callSid, removeOnComplete: true });
    await eventually("the second job to be processed", async () => (await queue.getJob(callSid)) === undefined);
    await eventually("the worker to log the second run", async () => stack.worker.logs().includes('"alreadyStored":true'));
    const again = await stack.db.db.selectFrom("voice_calls").selectAll().where("call_sid", "=", callSid).execute();
    assert.equal(again.length, 1);
    assert.equal(again[0]!.disposition, "completed");
    assert.deepEqual(again[0]!.finalized_at, row.finalized_at);
    const eventsAgain = await stack.db.db.selectFrom("voice_call_events").select("id").where("call_id", "=", row.id).orderBy("id").execute();
    assert.deepEqual(
      eventsAgain.map((e) => e.id),
      events.map((e) => e.id),
    );

    // Counted once, however often the job ran: 429 227 µ$ = $0.429227, under the engine the call started on.
    const metrics = await (await fetch(`${stack.worker.opsUrl}/metrics`)).text();
    assert.equal(sample(metrics, "worker_call_cost_usd_total", { engine: "realtime", location: NY.id }), 0.429227);

    const logs = stack.worker.logs();
    for (const raw of ["four one one one", "4111", SSN, "seven three one"]) assert.ok(!logs.includes(raw), `raw "${raw}" in the worker's logs`);
  });

  test("a payload that breaks the contract fails at once with the reason, is not retried and writes nothing", async () => {
    const callSid = "CAfinalize0000000000000000000000b2";
    const bad = { ...job(callSid, []), startedAt: "yesterday", usage: { inputAudioTokens: -5 } };
    await queue.add("finalize", bad, { jobId: callSid, attempts: 8, backoff: { type: "fixed", delay: 10 } });
    // The job is read after its state says failed (read before, it may predate the move and lack failedReason).
    await eventually("the job to fail", async () => (await queue.getJobState(callSid)) === "failed");
    const failed = (await queue.getJob(callSid))!;
    // Failed for good on its only run: the worker logged the final failure once and never a retry.
    const lines = () => stack.worker.logs().split("\n").filter((l) => l.includes(callSid));
    await eventually("the final failure to be logged", async () => lines().some((l) => l.includes("job failed for good")));
    assert.equal(lines().filter((l) => l.includes("job failed for good")).length, 1);
    assert.ok(!lines().some((l) => l.includes("will be retried")));
    assert.equal(await failed.getState(), "failed");
    assert.match(failed.failedReason, /does not match its contract: .*startedAt/);
    assert.match(failed.failedReason, /usage\.inputAudioTokens/);
    const rows = await stack.db.db.selectFrom("voice_calls").select("id").where("call_sid", "=", callSid).execute();
    assert.equal(rows.length, 0);
    // What stays in Redis for inspection is a redacted copy.
    const kept = await eventually("the failed job's payload to be scrubbed", async () => {
      const text = JSON.stringify((await queue.getJob(callSid))?.data);
      return !text.includes("four one one one") && text;
    });
    assert.match(kept, /\[redacted card number\]/);
    assert.ok(!kept.includes(SSN));
  });
});
