import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DEMO_LOCATIONS } from "@orderline/db";
import { join } from "node:path";
import {
  callerHangsUp,
  callerSays,
  callerWaitsForReply,
  callerWaitsUntil,
  callTool,
  type ManagedProcess,
  REPO_ROOT,
  say,
  startProcess,
  waitFor,
} from "@orderline/testing";
import { LoadBalancer } from "../scripts/load-balancer.ts";
import { freePort, Stack } from "./harness.ts";

const NY = DEMO_LOCATIONS.newYork;

describe("gateway pods: resume after a kill, drain on SIGTERM", () => {
  const stack = new Stack({ timeScale: 0.5 });
  const lb = new LoadBalancer();
  let orders: ManagedProcess | undefined;
  const pods: ManagedProcess[] = [];

  const startPod = async (extra: Record<string, string> = {}) => {
    const port = await freePort();
    const pod = await startProcess({
      name: `gateway-${pods.length + 1}`,
      args: ["src/index.ts"],
      cwd: join(REPO_ROOT, "services/telephony-gateway"),
      env: stack.env({ PORT: String(port), ...extra }),
      readyUrl: `http://127.0.0.1:${port}/readyz`,
    });
    pods.push(pod);
    return { pod, port };
  };

  before(async () => {
    await stack.start();
    await lb.listen(stack.port);
    const opsPort = await freePort();
    orders = await startProcess({
      name: "order-service",
      args: ["src/index.ts"],
      cwd: join(REPO_ROOT, "services/order-service"),
      env: { DATABASE_URL: stack.testDb.url, NATS_URL: "nats://127.0.0.1:4222", NATS_SUBJECT_PREFIX: stack.natsPrefix, OPS_PORT: String(opsPort), LOG_LEVEL: "warn" },
      readyUrl: `http://127.0.0.1:${opsPort}/readyz`,
    });
  });
  after(async () => {
    await Promise.all(pods.map((p) => p.kill()));
    await orders?.stop();
    await lb.close();
    await stack.close();
  });

  test("a call resumes on a second gateway process after the first is killed mid-call, cart intact", async () => {
    const a = await startPod();
    const b = await startPod();
    lb.route(a.port);
    stack.realtime.script([
      { greeting: say("Thanks for calling Tony's, how can I help?", 600) },
      { onCallerSpeech: callTool("start_order", { order_type: "pickup" }), heard: "a large pepperoni for pickup" },
      { onToolResult: callTool("add_item", { item: "pepperoni pizza", size: "large", quantity: 1 }) },
      { onToolResult: say("One large pepperoni. Anything else?", 800) },
    ]);
    // The second Realtime session (on pod B) apologises and recaps, then answers the caller.
    stack.realtime.script([{ greeting: say("Sorry, we got cut off. I still have your large pepperoni.", 900) }, { onCallerSpeech: say("Great, see you soon.", 400), heard: "that's all" }]);
    const call: ReturnType<typeof stack.placeCall> = stack.placeCall({
      from: "+14155550211",
      to: NY.phone,
      // Each stream runs the caller's steps from the top.
      caller: [callerWaitsForReply(), callerSays(800), callerWaitsForReply(), callerWaitsUntil("a second stream", () => call.streams.length >= 2, { timeoutMs: 20_000 }), callerHangsUp()],
    });
    await call.waitFor((c) => c.heard.length >= 2 && c.heard[1]!.endMediaMs !== undefined, "the item confirmation", 20_000);
    lb.route(b.port);
    await a.pod.kill();
    await call.done;
        call.assertNoErrors();
    stack.realtime.assertNoViolations();
    assert.equal(call.streams.length, 2, "a second stream was set up");
    assert.equal(call.streams[0]!.outcome, "closed-by-server");
    assert.equal(stack.realtime.sessions.length, 2);
    const resumed = stack.realtime.sessions[1]!;
    const note = resumed.received.find((e) => e.type === "conversation.item.create") as { item: { role: string; content: { text: string }[] } } | undefined;
    assert.ok(note, "the new session was told what happened");
    assert.equal(note.item.role, "system");
    assert.match(note.item.content[0]!.text, /cut off/);
    assert.match(note.item.content[0]!.text, /1 Large Pepperoni Pizza/i);
    assert.ok(call.heard.some((t) => t.playedMs >= 800 && t.index >= 2), "the caller heard the resumed assistant");
    const order = await stack.testDb.db
      .selectFrom("orders as o")
      .innerJoin("order_items as i", "i.order_id", "o.id")
      .select(["o.state", "i.product_name", "i.size_name", "i.quantity"])
      .where("o.call_sid", "=", call.sid)
      .execute();
    assert.deepEqual(order.map((r) => [r.state, r.size_name, r.quantity]), [["draft", "Large", 1]]);
    const job = await stack.finalizeJob(call.sid);
    assert.ok(job.events.some((e) => e.type === "stream_resumed"));
    assert.equal(job.events.filter((e) => e.type === "tool_call").length, 2);
    await b.pod.stop();
  });

  test("SIGTERM: readiness fails at once, the live call continues through the grace period, then the caller is told and transferred", async () => {
    const c = await startPod({ SHUTDOWN_GRACE_MS: "1500" });
    const d = await startPod();
    lb.route(c.port);
    stack.realtime.script([{ greeting: say("Hi, Tony's!", 400) }, { onCallerSpeech: say("Sure, one moment.", 500), heard: "do you deliver" }]);
    let sigterm = false;
    const call = stack.placeCall({
      from: "+14155550212",
      to: NY.phone,
      caller: [callerWaitsForReply(), callerWaitsUntil("SIGTERM sent", () => sigterm), callerSays(700), callerWaitsForReply()],
    });
    await call.waitFor((cl) => cl.heard.length >= 1 && cl.heard[0]!.endMediaMs !== undefined, "the greeting", 20_000);
    const exit = c.pod.stop(); // SIGTERM
    sigterm = true;
    lb.route(d.port); // the balancer stops sending new requests to a pod that is not ready
    await waitFor(async () => (await fetch(`http://127.0.0.1:${c.port}/readyz`)).status === 503, {
      timeoutMs: 2000,
      message: "/readyz to answer 503 after SIGTERM",
    });
    await call.done;
    call.assertNoErrors();
    assert.ok(call.heard.length >= 2, "the conversation went on during the grace period");
    assert.ok(call.said.some((s) => /connect you to a team member/.test(s.text)), "told before the transfer");
    assert.equal(call.dials.length, 1);
    assert.equal(call.dials[0]!.number, NY.staffPhones[0]);
    assert.equal((await exit).code, 0, `gateway exit code (logs: ${c.pod.logs().slice(-2000)})`);
    const job = await stack.finalizeJob(call.sid);
    assert.equal(job.disposition, "transferred");
  });

  test("a call whose end is never reported (pod killed, no other pod reachable) is finalized by a sweeper later", async () => {
    const d = await startPod();
    lb.route(d.port);
    stack.realtime.script([{ greeting: say("Hi, Tony's!", 400) }]);
    const call = stack.placeCall({ from: "+14155550213", to: NY.phone, caller: [callerWaitsForReply(), callerWaitsUntil("never", () => false, { timeoutMs: 60_000 })] });
    await call.waitFor((c) => c.heard.length >= 1 && c.heard[0]!.endMediaMs !== undefined, "the greeting", 20_000);
    lb.route(await freePort()); // nothing listens there: after-stream and status callbacks fail
    await d.pod.kill();
    await call.done;
    assert.equal(call.status, "completed");
    assert.ok(call.errors.some((e) => /status callback/.test(e.message)), "Twilio could not report the end");
    // A new pod comes up; its sweeper asks Twilio about the silent call and finalizes it.
    const e = await startPod({ SWEEP_INTERVAL_MS: "300", STALE_CALL_MS: "500" });
    lb.route(e.port);
    const job = await stack.finalizeJob(call.sid, 15_000);
    assert.match(job.endReason ?? "", /sweeper_completed/);
    const active = await stack.redis.zrange(`${stack.redisPrefix}rl:location:${NY.id}:active`, 0, -1);
    assert.ok(!active.includes(call.sid), "the call's slot in the location limit was released");
  });
});
