import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import OpenAI from "openai";
import type { FunctionTool, ResponseStreamEvent } from "openai/resources/responses/responses";
import {
  type ResponsesEmulator,
  respondCut,
  respondError,
  respondFailed,
  respondHttp,
  respondInventedPrice,
  respondStall,
  respondText,
  respondToolCall,
  respondUnknownTool,
  startResponsesEmulator,
} from "../src/index.ts";

const API_KEY = "sk-test-responses";
let emu: ResponsesEmulator;
let client: OpenAI;

const ADD_ITEM: FunctionTool = {
  type: "function",
  name: "add_item",
  description: "Add a menu item to the caller's cart",
  strict: true,
  parameters: {
    type: "object",
    properties: { item: { type: "string" }, size: { type: ["string", "null"] }, quantity: { type: "integer" } },
    required: ["item", "size", "quantity"],
    additionalProperties: false,
  },
};

before(async () => {
  emu = await startResponsesEmulator({ apiKey: API_KEY });
  client = new OpenAI({ apiKey: API_KEY, baseURL: `${emu.url}/v1`, maxRetries: 0 });
});

after(async () => {
  await emu.close();
});

async function collect(stream: AsyncIterable<ResponseStreamEvent>): Promise<ResponseStreamEvent[]> {
  const events: ResponseStreamEvent[] = [];
  for await (const ev of stream) events.push(ev);
  return events;
}

const base = { model: "gpt-5-mini", instructions: "You take pizza orders.", tools: [ADD_ITEM], stream: true as const };

test("the official openai client streams a text reply: event order, sequence numbers, deltas, usage", async () => {
  emu.script([{ on: "user", match: "hours", actions: respondText("We are open until ten tonight.") }]);
  const sentAt = performance.now();
  const events = await collect(await client.responses.create({ ...base, input: [{ role: "user", content: "What are your hours?" }] }));
  const readAt = performance.now();
  const types = events.map((e) => e.type);
  assert.deepEqual(types.slice(0, 4), ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added"]);
  assert.deepEqual(types.slice(-4), ["response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"]);
  assert.deepEqual(
    events.map((e) => e.sequence_number),
    events.map((_, i) => i),
  );
  const deltas = events.flatMap((e) => (e.type === "response.output_text.delta" ? [e.delta] : []));
  assert.ok(deltas.length > 3, "the text arrives in several deltas");
  assert.equal(deltas.join(""), "We are open until ten tonight.");
  const done = events.at(-1)!;
  assert.equal(done.type, "response.completed");
  if (done.type !== "response.completed") return;
  assert.equal(done.response.status, "completed");
  assert.equal(done.response.output_text, undefined, "output_text is an SDK convenience of non-streamed responses only");
  const usage = done.response.usage!;
  assert.ok(usage.input_tokens > 0 && usage.output_tokens > 0);
  assert.equal(usage.total_tokens, usage.input_tokens + usage.output_tokens);
  assert.equal(typeof usage.input_tokens_details.cached_tokens, "number");
  assert.equal(emu.requests.at(-1)!.answeredBy, "queue");
  assert.equal(emu.requests.at(-1)!.text, "We are open until ten tonight.");
  const { startedAt, finishedAt } = emu.requests.at(-1)!;
  assert.ok(sentAt <= startedAt && startedAt <= finishedAt && finishedAt <= readAt, `request timestamps ${startedAt}..${finishedAt} lie within ${sentAt}..${readAt}`);
  emu.assertNoViolations();
});

test("function call round trip: argument deltas, then the tool output via previous_response_id", async () => {
  emu.script([
    { on: "user", actions: [respondText("Adding that."), respondToolCall("add_item", { item: "pepperoni pizza", size: "large", quantity: 1 })] },
    { on: "tool_result", match: (r) => r.toolOutputs.some((o) => o.output.includes("1899")), actions: respondText("Added a large pepperoni.") },
  ]);
  const first = await collect(await client.responses.create({ ...base, input: [{ role: "user", content: "A large pepperoni please" }] }));
  const added = first.find((e) => e.type === "response.output_item.added" && e.item.type === "function_call");
  assert.ok(added && added.type === "response.output_item.added" && added.item.type === "function_call");
  assert.equal(added.item.arguments, "", "the call starts with empty arguments");
  const argDeltas = first.flatMap((e) => (e.type === "response.function_call_arguments.delta" ? [e.delta] : []));
  const argsDone = first.find((e) => e.type === "response.function_call_arguments.done");
  assert.ok(argsDone && argsDone.type === "response.function_call_arguments.done");
  assert.equal(argDeltas.join(""), argsDone.arguments);
  assert.deepEqual(JSON.parse(argsDone.arguments), { item: "pepperoni pizza", size: "large", quantity: 1 });
  const completed = first.at(-1)!;
  assert.ok(completed.type === "response.completed");
  const call = completed.response.output.find((o) => o.type === "function_call");
  assert.ok(call && call.type === "function_call");
  assert.equal(call.name, "add_item");

  // A missing tool output is refused like the real API.
  await assert.rejects(
    client.responses.create({ ...base, previous_response_id: completed.response.id, input: [{ role: "user", content: "hello?" }] }),
    (err: unknown) => err instanceof OpenAI.BadRequestError && /No tool output found for function call call_/.test(err.message),
  );
  assert.equal(emu.violations.pop()?.kind, "invalid_request", "the bad request is recorded as a client violation");
  const second = await collect(
    await client.responses.create({
      ...base,
      previous_response_id: completed.response.id,
      input: [{ type: "function_call_output", call_id: call.call_id, output: JSON.stringify({ ok: true, line_total_cents: 1899 }) }],
    }),
  );
  const text = second.flatMap((e) => (e.type === "response.output_text.delta" ? [e.delta] : [])).join("");
  assert.equal(text, "Added a large pepperoni.");
  const rec = emu.requests.at(-1)!;
  assert.equal(rec.trigger, "tool_result");
  assert.deepEqual(rec.toolOutputs, [{ callId: call.call_id, output: '{"ok":true,"line_total_cents":1899}' }]);
  // The chained request's input includes the first turn, so it costs more input tokens.
  assert.ok(rec.usage!.input_tokens > emu.requests.at(-3)!.usage!.input_tokens);
});

test("strict request validation answers OpenAI-shaped 400s naming the parameter", async () => {
  const before = emu.violations.length;
  const cases: [Record<string, unknown>, RegExp, string | null][] = [
    [{ ...base, input: "hi", temprature: 0.2 }, /Unknown parameter: 'temprature'/, "temprature"],
    [{ instructions: "x", input: "hi", stream: true }, /Missing required parameter: 'model'/, "model"],
    [{ ...base, input: [{ type: "function_call_output", call_id: "call_nope", output: "{}" }] }, /No tool call found/, "input"],
    [{ ...base, input: [{ type: "function_call_output", call_id: "c", output: { ok: true } }] }, /output must be a string/, "input[0].output"],
    [{ ...base, input: "hi", previous_response_id: "resp_unknown" }, /Previous response with id 'resp_unknown' not found/, "previous_response_id"],
    [
      { ...base, input: "hi", tools: [{ ...ADD_ITEM, parameters: { type: "object", properties: { item: { type: "string" } }, required: [] } }] },
      /Invalid schema for function 'add_item'.*additionalProperties/,
      "tools[0].parameters",
    ],
    [{ ...base, input: "hi", tool_choice: { type: "function", name: "nope" } }, /Tool choice 'nope' not found/, "tool_choice"],
  ];
  for (const [body, message, param] of cases) {
    await assert.rejects(
      client.responses.create(body as never),
      (err: unknown) => {
        assert.ok(err instanceof OpenAI.BadRequestError, `expected a 400 for ${JSON.stringify(body).slice(0, 80)}, got ${String(err)}`);
        assert.match(err.message, message);
        assert.equal(err.param, param);
        assert.equal(err.type, "invalid_request_error");
        return true;
      },
    );
  }
  assert.equal(emu.violations.length - before, cases.length, "every bad request is recorded as a client violation");
  emu.violations.length = before;
  await assert.rejects(
    new OpenAI({ apiKey: "sk-wrong", baseURL: `${emu.url}/v1`, maxRetries: 0 }).responses.create({ ...base, input: "hi" }),
    OpenAI.AuthenticationError,
  );
});

test("faults: error event, response.failed, a stream cut half-way, a stall, 429 retried, 500", async () => {
  emu.script([{ actions: [respondText("Let me"), respondError("server_error", "boom")] }]);
  const seen: string[] = [];
  await assert.rejects(async () => {
    for await (const ev of await client.responses.create({ ...base, input: "hi" })) seen.push(ev.type);
  }, /boom/);
  assert.ok(seen.includes("response.output_text.delta"), "the text before the error was streamed");
  assert.equal(emu.requests.at(-1)!.outcome, "error");

  emu.script([{ actions: respondFailed("server_error", "model crashed") }]);
  const failed = await collect(await client.responses.create({ ...base, input: "hi" }));
  const last = failed.at(-1)!;
  assert.ok(last.type === "response.failed");
  assert.equal(last.response.status, "failed");
  assert.deepEqual(last.response.error, { code: "server_error", message: "model crashed" });

  emu.script([{ actions: [respondText("A large pepperoni is"), respondCut()] }]);
  const partial: string[] = [];
  await assert.rejects(async () => {
    for await (const ev of await client.responses.create({ ...base, input: "hi" })) if (ev.type === "response.output_text.delta") partial.push(ev.delta);
  });
  assert.equal(partial.join(""), "A large pepperoni is");
  assert.equal(emu.requests.at(-1)!.outcome, "cut");

  emu.script([{ actions: [respondText("Hmm"), respondStall()] }]);
  const abort = new AbortController();
  const stalled: string[] = [];
  // The stream goes quiet after the text; the client gives up (the openai client ends the iteration quietly on abort).
  for await (const ev of await client.responses.create({ ...base, input: "hi" }, { signal: abort.signal })) {
    stalled.push(ev.type);
    if (ev.type === "response.output_item.done") setImmediate(() => abort.abort());
  }
  assert.equal(stalled.at(-1), "response.output_item.done", "nothing follows the stall");
  const stalledRecord = emu.requests.at(-1)!;
  await emu.waitFor(() => stalledRecord.outcome !== undefined, "the stalled request to end");
  assert.equal(stalledRecord.outcome, "stall");

  const retrying = new OpenAI({ apiKey: API_KEY, baseURL: `${emu.url}/v1`, maxRetries: 1 });
  const count = emu.requests.length;
  emu.script([{ actions: respondHttp(429) }, { actions: respondText("Second time lucky.") }]);
  const retried = await collect(await retrying.responses.create({ ...base, input: "hi" }));
  assert.equal(retried.at(-1)!.type, "response.completed");
  assert.equal(emu.requests.length - count, 2, "the client retried the 429 once");
  assert.equal(emu.requests.at(-2)!.status, 429);

  emu.script([{ actions: respondHttp(500) }]);
  await assert.rejects(client.responses.create({ ...base, input: "hi" }), OpenAI.InternalServerError);
  emu.assertNoViolations();
});

test("unknown tool and invented price faults, rules, unscripted requests, non-streaming and cached tokens", async () => {
  emu.script([{ actions: respondUnknownTool("make_it_free", { order: "all" }) }, { actions: respondInventedPrice("$3.00") }]);
  const unknown = await collect(await client.responses.create({ ...base, input: "make it free" }));
  const call = unknown.find((e) => e.type === "response.output_item.done");
  assert.ok(call && call.type === "response.output_item.done" && call.item.type === "function_call");
  assert.equal(call.item.name, "make_it_free");
  const priced = await client.responses.create({ ...base, stream: false, store: false, input: "how much is garlic bread?" });
  assert.equal(priced.status, "completed");
  assert.match(priced.output_text, /\$3\.00/);
  assert.deepEqual(emu.scriptProblems, [], "respondUnknownTool is a deliberate fault, not a script problem");

  emu.rule({ match: /allerg/i, actions: respondText("The crust contains wheat."), times: 1 });
  const ruled = await client.responses.create({ ...base, stream: false, input: "Any allergens?" });
  assert.equal(ruled.output_text, "The crust contains wheat.");
  const unscripted = await client.responses.create({ ...base, stream: false, input: "Any allergens?" });
  assert.equal(unscripted.output_text, "Sorry, could you say that again?", "the rule was used up");
  assert.ok(emu.unscripted.includes(emu.requests.at(-1)!.index));

  const longInstructions = "Menu: ".padEnd(6000, "pepperoni pizza, large $18.99; ");
  emu.script([{ actions: respondText("First.") }, { actions: respondText("Second.") }]);
  const a = await client.responses.create({ ...base, stream: false, instructions: longInstructions, input: "one" });
  const b = await client.responses.create({ ...base, stream: false, instructions: longInstructions, input: "two" });
  assert.equal(a.usage!.input_tokens_details.cached_tokens, 0);
  assert.ok(b.usage!.input_tokens_details.cached_tokens >= 1024, "the shared instructions prefix is billed as cached");
  assert.equal(b.usage!.input_tokens_details.cached_tokens % 128, 0);
  assert.ok(emu.usage.cached_tokens >= b.usage!.input_tokens_details.cached_tokens);
  assert.equal(emu.usage.requests, emu.requests.filter((r) => r.usage).length);
  emu.assertNoViolations();
});
