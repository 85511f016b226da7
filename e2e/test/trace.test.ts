import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { QUEUES } from "@orderline/contracts";
import { DEMO_LOCATIONS } from "@orderline/db";
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from "@orderline/telemetry/testing";
import { waitFor } from "@orderline/testing";
import { type LocalStack, PUBLIC_BASE_URL, startLocalStack } from "../src/local-stack.ts";
import { STANDARD_ORDER_CALLER, STANDARD_ORDER_LOCAL_AGENT_ANSWERS, STANDARD_ORDER_MODEL, STANDARD_ORDER_TOOLS } from "../src/standard-order.ts";

const NY = DEMO_LOCATIONS.newYork;

describe("one trace per call: every service exports OTLP/HTTP to a collector in this process", () => {
  let receiver: OtlpReceiver;
  let stack: LocalStack;
  before(async () => {
    receiver = await startOtlpReceiver();
    stack = await startLocalStack({ timeScale: 0.5, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });
  });
  after(async () => {
    await stack?.close();
    await receiver?.close();
  });

  test("the standard order's spans — gateway webhooks, media stream, tool calls over NATS, the services' handlers and SQL, the worker's finalize and receipt jobs — form one tree under one trace id", async (t) => {
    stack.realtime.script(STANDARD_ORDER_MODEL);
    const call = stack.cloud.placeCall({
      url: `${PUBLIC_BASE_URL}/voice/incoming`,
      statusCallback: `${PUBLIC_BASE_URL}/voice/status`,
      from: "+14155550402",
      to: NY.phone,
      caller: STANDARD_ORDER_CALLER,
    });
    await call.done;
    call.assertNoErrors();
    await stack.callRecord(call.sid);

    // The call's root: the incoming webhook's span at the gateway.
    const { root, spans, find, parentOf } = await callTrace(call.sid, ["media stream"]);
    for (const line of summarise(spans)) t.diagnostic(line);

    // Gateway: the stream under the root, each of the model's tool calls under the stream, one NATS request each.
    const stream = find("telephony-gateway", "media stream")!;
    assert.equal(stream.parentSpanId, root.spanId);
    for (const tool of STANDARD_ORDER_TOOLS) {
      const toolSpan = spans.find((s) => s.service === "telephony-gateway" && s.name === `tool ${tool}`);
      assert.ok(toolSpan, `gateway span for ${tool}`);
      assert.equal(toolSpan.parentSpanId, stream.spanId, `${tool} is a child of the stream`);
      const request = spans.find((s) => s.name === `call ${tool}` && s.parentSpanId === toolSpan.spanId);
      assert.ok(request, `NATS request span for ${tool}`);
      assert.equal(request.kind, "client");
      assert.equal(request.attributes["messaging.system"], "nats");
      // The owning service continued the trace from the NATS headers.
      const served = spans.find((s) => s.name === `serve ${tool}` && s.parentSpanId === request.spanId);
      assert.ok(served, `service span for ${tool}`);
      assert.equal(served.kind, "server");
      assert.match(served.service, /^(menu|order)-service$/);
      assert.equal(served.attributes["orderline.call_sid"], call.sid);
    }

    // The order service's SQL for submit_order: children of its handler span, statements without values.
    const submit = spans.find((s) => s.name === "serve submit_order")!;
    const sql = spans.filter((s) => s.service === "order-service" && s.kind === "client" && s.attributes["db.system.name"] === "postgresql");
    assert.ok(sql.some((s) => s.parentSpanId === submit.spanId), "submit_order's statements are its children");
    for (const s of sql) {
      assert.equal(typeof s.attributes["db.query.text"], "string");
      assert.ok(!String(s.attributes["db.query.text"]).includes("Mike"), `no parameter value in ${s.attributes["db.query.text"]}`);
    }

    // The worker: the finalize job enqueued by the gateway, processed in the call's trace, with its SQL.
    const finalize = find("worker", `process ${QUEUES.callFinalize}`)!;
    assert.equal(finalize.kind, "consumer");
    assert.equal(parentOf(finalize)?.name, `send ${QUEUES.callFinalize}`);
    assert.equal(parentOf(finalize)?.service, "telephony-gateway");
    assert.ok(
      spans.some((s) => s.service === "worker" && s.attributes["db.system.name"] === "postgresql" && s.parentSpanId === finalize.spanId),
      "the finalize job's SQL is in the trace",
    );
    // The receipt SMS: order-service's submitted event → the worker's subscription → the job, one chain.
    const receipt = find("worker", `process ${QUEUES.smsReceipt}`)!;
    const send = parentOf(receipt)!;
    assert.equal(send.name, `send ${QUEUES.smsReceipt}`);
    const consumed = parentOf(send)!;
    assert.equal(consumed.name, "process order_status");
    const published = parentOf(consumed)!;
    assert.equal(published.service, "order-service");
    assert.equal(published.name, "publish order_status");
    assert.equal(parentOf(published)?.spanId, submit.spanId);

    // Spans per turn and per tool call, never per media frame.
    assert.equal(spans.filter((s) => s.name === "media stream").length, 1);
    assert.ok(spans.length < 200, `${spans.length} spans for one call`);
    // Every process of the stack took part (the escalation service assessed each caller turn).
    assert.ok(spans.some((s) => s.service === "escalation-service" && s.name === "serve assess_turn"));
    assert.deepEqual([...new Set(spans.map((s) => s.service))].sort(), ["escalation-service", "menu-service", "order-service", "telephony-gateway", "worker"]);
  });

  test("a <Gather> call with the local agent: each turn's webhook is a child of the call's root and the turn's tool calls are children of that webhook", async (t) => {
    await stack.db.db
      .insertInto("location_conversation_settings")
      .values({ location_id: NY.id, mode: "gather", text_engine: "local" })
      .onConflict((oc) => oc.column("location_id").doUpdateSet({ mode: "gather", text_engine: "local" }))
      .execute();
    const call = stack.cloud.placeCall({
      url: `${PUBLIC_BASE_URL}/voice/incoming`,
      statusCallback: `${PUBLIC_BASE_URL}/voice/status`,
      from: "+14155550403",
      to: NY.phone,
      gatherAnswers: STANDARD_ORDER_LOCAL_AGENT_ANSWERS,
    });
    await call.done;
    call.assertNoErrors();
    await stack.callRecord(call.sid);
    const { root, spans, parentOf } = await callTrace(call.sid, []);
    for (const line of summarise(spans)) t.diagnostic(line);

    const turns = spans.filter((s) => s.name === "POST /voice/gather");
    assert.equal(turns.length, STANDARD_ORDER_LOCAL_AGENT_ANSWERS.length - 1, "one span per speech turn");
    for (const turn of turns) assert.equal(turn.parentSpanId, root.spanId);
    const tools = spans.filter((s) => s.service === "telephony-gateway" && s.name.startsWith("tool "));
    assert.ok(tools.some((s) => s.name === "tool submit_order"), tools.map((s) => s.name).join(", "));
    for (const tool of tools) assert.equal(parentOf(tool)?.name, "POST /voice/gather", `${tool.name} runs inside a turn's webhook`);
    assert.equal(spans.filter((s) => s.name === "serve submit_order").length, 1);
    // The agent learns the menu in at most one request (none when its cache is warm), not a tool call per item.
    assert.deepEqual(
      tools.filter((s) => s.name === "tool get_menu" || s.name === "tool get_item_details").map((s) => s.name),
      [],
    );
    assert.ok(spans.filter((s) => s.name === "serve agent_menu").length <= 1);
    t.diagnostic(`${spans.length} spans for the call`);
  });

  /**
   * The spans of one call as the collector received them: its root (the incoming webhook's span) and the rest of
   * its trace once the worker's jobs (and `alsoWait`) are in — services export in batches every few seconds.
   * Asserts they form one tree: the root has no parent and every other span's parent is a span of the trace.
   */
  async function callTrace(callSid: string, alsoWait: readonly string[]) {
    const root = await waitFor(() => receiver.spans.find((s) => s.name === "POST /voice/incoming" && s.attributes["orderline.call_sid"] === callSid), {
      timeoutMs: 30_000,
      message: "the incoming webhook's span to be exported",
    });
    const inTrace = () => receiver.spans.filter((s) => s.traceId === root.traceId);
    const find = (service: string, name: string) => inTrace().find((s) => s.service === service && s.name === name);
    const expected = [`worker process ${QUEUES.callFinalize}`, `worker process ${QUEUES.smsReceipt}`, ...alsoWait.map((n) => `telephony-gateway ${n}`)];
    const spans = await waitFor(() => (expected.every((e) => inTrace().some((s) => `${s.service} ${s.name}` === e)) ? inTrace() : undefined), {
      timeoutMs: 30_000,
      message: `${expected.join(", ")} to be exported`,
    });
    assert.deepEqual(receiver.rejected, [], "every export was OTLP/HTTP JSON");
    assert.equal(root.parentSpanId, "");
    assert.equal(root.kind, "server");
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const orphans = spans.filter((s) => s !== root && !byId.has(s.parentSpanId));
    assert.deepEqual(orphans.map((s) => `${s.service} ${s.name}`), [], "every span hangs off the call's tree");
    return { root, spans, find, parentOf: (s: ReceivedSpan) => byId.get(s.parentSpanId) };
  }
});

/** One line per span, indented by depth: what the trace looks like (test diagnostics). */
function summarise(spans: readonly ReceivedSpan[]): string[] {
  const children = new Map<string, ReceivedSpan[]>();
  for (const s of spans) children.set(s.parentSpanId, [...(children.get(s.parentSpanId) ?? []), s]);
  const lines: string[] = [];
  const walk = (parent: string, depth: number) => {
    for (const s of children.get(parent) ?? []) {
      lines.push(`${"  ".repeat(depth)}${s.service}: ${s.name}`);
      if (depth < 12) walk(s.spanId, depth + 1);
    }
  };
  walk("", 0);
  return lines;
}
