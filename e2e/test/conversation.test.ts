import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { DEMO_LOCATIONS } from "@orderline/db";
import {
  callerHangsUp,
  callerSays,
  callerWaitsForReply,
  callTool,
  closeSocket,
  respondHttp,
  respondInventedPrice,
  respondText,
  respondToolCall,
  say,
} from "@orderline/testing";
import { type LocalStack, PUBLIC_BASE_URL, startLocalStack } from "../src/local-stack.ts";
import {
  STANDARD_ORDER_GATHER_ANSWERS,
  STANDARD_ORDER_RELAY_CALLER,
  STANDARD_ORDER_LOCAL_AGENT_ANSWERS,
  STANDARD_ORDER_TEXT_MODEL,
  STANDARD_ORDER_TOOLS,
} from "../src/standard-order.ts";

const NY = DEMO_LOCATIONS.newYork;
// The seed's New York large pepperoni: $22.99, NYC tax 8.875 % → $2.04, total $25.03.
const PIZZA_SUBTOTAL = 2299;
const PIZZA_TAX = 204;
const PIZZA_TOTAL = 2503;

describe("one conversation, any transport: ConversationRelay, <Gather> and the fall back from Realtime (every service a process)", () => {
  let stack: LocalStack;
  let n = 0;
  const from = () => `+1415555${String(600 + n++).padStart(4, "0")}`;

  before(async () => {
    stack = await startLocalStack({ timeScale: 0.5 });
  });
  after(() => stack?.close());
  beforeEach(() => assert.equal(stack.responses.pendingTurns, 0, "the previous test used up its text-model script"));

  const setMode = async (mode: "realtime" | "relay" | "gather", textEngine: "openai" | "local" = "openai") => {
    await stack.db.db
      .insertInto("location_conversation_settings")
      .values({ location_id: NY.id, mode, text_engine: textEngine })
      .onConflict((oc) => oc.column("location_id").doUpdateSet({ mode, text_engine: textEngine }))
      .execute();
  };

  const place = (extra: Record<string, unknown>) =>
    stack.cloud.placeCall({ url: `${PUBLIC_BASE_URL}/voice/incoming`, statusCallback: `${PUBLIC_BASE_URL}/voice/status`, from: from(), to: NY.phone, ...extra } as never);
  const ordersOf = (callSid: string) => stack.db.db.selectFrom("orders").selectAll().where("call_sid", "=", callSid).orderBy("created_at").execute();
  const assertStandardOrder = async (callSid: string) => {
    const orders = await ordersOf(callSid);
    assert.equal(orders.length, 1, "exactly one order for the call");
    const o = orders[0]!;
    assert.equal(o.state, "submitted");
    assert.equal(o.customer_name, "Mike");
    assert.equal(o.customer_phone, "+15551234567");
    assert.equal(o.location_id, NY.id);
    assert.deepEqual([o.subtotal_cents, o.tax_cents, o.total_cents], [PIZZA_SUBTOTAL, PIZZA_TAX, PIZZA_TOTAL]);
    const lines = await stack.db.db.selectFrom("order_items").select(["product_name", "size_name", "quantity"]).where("order_id", "=", o.id).execute();
    assert.deepEqual(lines, [{ product_name: "Pepperoni Pizza", size_name: "Large", quantity: 1 }]);
    return o;
  };

  test("the standard order over ConversationRelay with the OpenAI text model ends in the same order as over Media Streams", async () => {
    await setMode("relay");
    stack.responses.script(STANDARD_ORDER_TEXT_MODEL);
    const call = place({ relayCaller: STANDARD_ORDER_RELAY_CALLER });
    await call.done;
    if (process.env.DEBUG_E2E) console.log(call.formatTimeline(), JSON.stringify(call.relays[0], null, 1), stack.services.gateway.logs());
    call.assertNoErrors();
    stack.responses.assertNoViolations();
    const relay = call.relays[0]!;
    assert.equal(relay.violations.length, 0, relay.violations.join("; "));
    assert.match(relay.attributes.welcomeGreeting ?? "", /AI ordering assistant/);
    assert.match(relay.attributes.hints ?? "", /Pepperoni Pizza/, "the location's item names are speech hints");
    assert.equal(relay.attributes.language, "en-US");
    assert.ok(relay.heard.some((t) => /One large pepperoni pizza/.test(t.text)), JSON.stringify(relay.heard.map((t) => t.text)));
    assert.ok(relay.heard.some((t) => /You're all set, Mike/.test(t.text)));
    const order = await assertStandardOrder(call.sid);
    const job = await stack.storedCall(call.sid);
    assert.deepEqual(job.orderIds, [order.id]);
    assert.deepEqual(job.transports, ["relay"]);
    assert.deepEqual(job.engines, ["openai_text"]);
    assert.deepEqual(
      job.events.filter((e) => e.type === "tool_call").map((e) => e.data.tool),
      [...STANDARD_ORDER_TOOLS],
    );
    assert.equal(job.textUsage?.[0]?.requests, STANDARD_ORDER_TEXT_MODEL.length);
    assert.ok(job.transcript.some((t) => t.role === "caller" && /Mike, 555-123-4567/.test(t.text)));
  });

  test("the standard order over <Gather> turns ends in the same order", async () => {
    await setMode("gather");
    stack.responses.script(STANDARD_ORDER_TEXT_MODEL);
    const call = place({ gatherAnswers: STANDARD_ORDER_GATHER_ANSWERS });
    await call.done;
    call.assertNoErrors();
    stack.responses.assertNoViolations();
    assert.equal(call.streams.length, 0);
    const g = call.gathers[0]!;
    assert.equal(g.attrs.input, "speech");
    assert.equal(g.attrs.speechTimeout, "auto");
    assert.match(g.attrs.hints ?? "", /Pepperoni Pizza/);
    assert.match(g.prompts.join(" "), /AI ordering assistant/);
    assert.match(call.gathers[1]!.prompts.join(" "), /One large pepperoni pizza/);
    await assertStandardOrder(call.sid);
    const job = await stack.storedCall(call.sid);
    assert.deepEqual(job.transports, ["gather"]);
    assert.equal(job.disposition, "completed");
  });

  test("two orders on one call get two numbers; the model repeating a submit places nothing more", async () => {
    await setMode("gather");
    stack.responses.script([
      ...STANDARD_ORDER_TEXT_MODEL.slice(0, 8),
      // The model repeats the submit of the same cart: no second order.
      { on: "tool_result", actions: respondToolCall("submit_order", { customer_name: "Mike", phone: "555-123-4567" }) },
      { on: "tool_result", actions: respondText("You're all set, Mike! Anything else?") },
      { on: "user", match: "separate order", actions: respondToolCall("start_order", { order_type: "pickup" }) },
      { on: "tool_result", actions: respondToolCall("add_item", { item: "bottled water", quantity: 1 }) },
      { on: "tool_result", actions: respondText("One bottled water. Whose name is it under?") },
      { on: "user", match: "Anna", actions: respondToolCall("submit_order", { customer_name: "Anna", phone: "555-123-4567" }) },
      { on: "tool_result", actions: respondText("Done, Anna's order is placed too. Thanks for calling!") },
    ]);
    const call = place({
      gatherAnswers: [
        ...STANDARD_ORDER_GATHER_ANSWERS.slice(0, 3),
        { speech: "And a separate order for my sister: a bottled water." },
        { speech: "Anna." },
        "hangup",
      ],
    });
    await call.done;
    call.assertNoErrors();
    stack.responses.assertNoViolations();
    const orders = await ordersOf(call.sid);
    assert.equal(orders.length, 2, "two orders, not one returned twice");
    assert.deepEqual(
      orders.map((o) => [o.customer_name, o.state, o.subtotal_cents]),
      [
        ["Mike", "submitted", PIZZA_SUBTOTAL],
        ["Anna", "submitted", 199],
      ],
    );
    assert.notEqual(orders[0]!.order_number, orders[1]!.order_number);
    const job = await stack.storedCall(call.sid);
    assert.deepEqual(job.orderIds, orders.map((o) => o.id));
    assert.equal(job.orderId, orders[1]!.id);
  });

  test("Realtime refused at call start: after a one-line apology the call goes on over <Gather>, one order", async () => {
    await setMode("realtime");
    stack.realtime.refuseConnections(1);
    stack.responses.script(STANDARD_ORDER_TEXT_MODEL);
    const call = place({ gatherAnswers: STANDARD_ORDER_GATHER_ANSWERS });
    await call.done;
    call.assertNoErrors();
    assert.equal(call.streams.length, 1, "the Media Stream was tried first");
    assert.equal(stack.realtime.rejected.at(-1)?.status, 503);
    assert.match(call.gathers[0]!.prompts.join(" "), /technical hiccup/);
    await assertStandardOrder(call.sid);
    const job = await stack.storedCall(call.sid);
    assert.deepEqual(job.transports, ["media_stream", "gather"]);
    assert.deepEqual(job.engines, ["realtime", "openai_text"]);
    assert.ok(job.events.some((e) => e.type === "realtime_error" && e.data.phase === "connect"));
    assert.ok(job.events.some((e) => e.type === "fallback"));
  });

  test("Realtime dropping mid-call: the cart stays, the caller hears it read back, and the order is placed once over <Gather>", async () => {
    await setMode("realtime");
    stack.realtime.script([
      { greeting: say("Thanks for calling Tony's! How can I help?", 1200) },
      { onCallerSpeech: callTool("start_order", { order_type: "pickup" }), heard: "A large pepperoni for pickup." },
      { onToolResult: callTool("add_item", { item: "pepperoni pizza", size: "large", quantity: 1 }) },
      { onToolResult: closeSocket(1011, "internal error") },
    ]);
    stack.responses.script(STANDARD_ORDER_TEXT_MODEL.slice(5));
    const call = place({
      caller: [callerWaitsForReply(), callerSays(1000, { text: "A large pepperoni for pickup." }), callerWaitsForReply({ timeoutMs: 8000 }), callerHangsUp()],
      gatherAnswers: STANDARD_ORDER_GATHER_ANSWERS.slice(1),
    });
    await call.done;
    const fallbackPrompt = call.gathers[0]!.prompts.join(" ");
    assert.match(fallbackPrompt, /technical hiccup/);
    assert.match(fallbackPrompt, /1 Large Pepperoni Pizza/, "the caller hears what is already in the order");
    await assertStandardOrder(call.sid);
    const job = await stack.storedCall(call.sid);
    assert.deepEqual(job.transports, ["media_stream", "gather"]);
    assert.ok(job.events.some((e) => e.type === "realtime_error" && e.data.phase === "mid_call"));
  });

  test("a reply naming a price no tool returned is not spoken", async () => {
    await setMode("gather");
    stack.responses.script([{ on: "user", actions: respondInventedPrice("$4.50", (p) => `Sure, extra cheese is ${p}. Anything else?`) }]);
    const call = place({ gatherAnswers: [{ speech: "How much is extra cheese?" }, "hangup"] });
    await call.done;
    call.assertNoErrors();
    const heard = call.gathers.map((g) => g.prompts.join(" ")).join(" | ");
    assert.doesNotMatch(heard, /4\.50/, heard);
    assert.match(heard, /double-check that price/);
    assert.match(heard, /Anything else\?/, "the rest of the reply is spoken");
    const job = await stack.storedCall(call.sid);
    assert.ok(job.events.some((e) => e.type === "engine_error" && e.data.kind === "invented_price"));
  });

  test("no cloud model: the local agent takes the standard order over <Gather>", async () => {
    await setMode("gather", "local");
    const requestsBefore = stack.responses.requests.length;
    const call = place({ gatherAnswers: STANDARD_ORDER_LOCAL_AGENT_ANSWERS });
    await call.done;
    call.assertNoErrors();
    assert.equal(stack.responses.requests.length, requestsBefore, "no text-model request");
    await assertStandardOrder(call.sid);
    const job = await stack.storedCall(call.sid);
    assert.deepEqual(job.engines, ["local"]);
  });

  test("the text model failing mid-call: the local agent answers the same turn and the order is placed once", async () => {
    await setMode("gather");
    stack.responses.script([{ on: "user", actions: respondHttp(500) }]);
    const call = place({ gatherAnswers: STANDARD_ORDER_LOCAL_AGENT_ANSWERS });
    await call.done;
    call.assertNoErrors();
    await assertStandardOrder(call.sid);
    const job = await stack.storedCall(call.sid);
    assert.deepEqual(job.engines, ["openai_text", "local"]);
    assert.ok(job.events.some((e) => e.type === "engine_error" && e.data.kind === "request_failed"));
    assert.ok(job.events.some((e) => e.type === "fallback" && (e.data.to as { engine: string }).engine === "local"));
  });

  test("Realtime refused and the text model down too: the local agent holds the call, one order", async () => {
    await setMode("realtime");
    stack.realtime.refuseConnections(1);
    stack.responses.script([{ on: "user", actions: respondHttp(503) }]);
    const call = place({ gatherAnswers: STANDARD_ORDER_LOCAL_AGENT_ANSWERS });
    await call.done;
    call.assertNoErrors();
    await assertStandardOrder(call.sid);
    const job = await stack.storedCall(call.sid);
    assert.deepEqual(job.transports, ["media_stream", "gather"]);
    assert.deepEqual(job.engines, ["realtime", "openai_text", "local"]);
  });
});
