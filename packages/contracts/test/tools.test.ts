import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import {
  type ToolName,
  TOOL_NAMES,
  TOOLS,
  RequestEnvelope,
  ToolFailure,
  realtimeTool,
  realtimeTools,
  toolSubject,
  serviceQueue,
  toolsOf,
  redisKeys,
  EVENT_SUBJECTS,
  eventLocation,
  CallFinalizeJob,
  formatCents,
  taxCents,
} from "../src/index.ts";

const SEED_TOOLS = [
  "get_menu", "get_item_details", "get_specials", "check_availability", "start_order", "add_item",
  "remove_item", "get_order_summary", "submit_order", "get_hours", "get_wait_time", "get_location",
  "transfer_to_human", "update_item", "review_order", "confirm_order", "cancel_order",
];

const UUID = "0b7d3c1e-5a2f-4c1e-9d3b-2f6a8e4c7b10";

/** One valid and one invalid argument object per tool, with what the invalid one gets wrong. */
const EXAMPLES: Record<ToolName, { valid: unknown; invalid: unknown; why: string }> = {
  get_menu: { valid: { category: "pizza" }, invalid: { category: "" }, why: "empty category" },
  get_item_details: { valid: { item_name: "large pep" }, invalid: { item_name: "x".repeat(2048) }, why: "2 KB name" },
  get_specials: { valid: {}, invalid: { day: "monday" }, why: "unknown argument" },
  check_availability: { valid: { item_name: "coke" }, invalid: {}, why: "missing item_name" },
  get_hours: { valid: { day: "friday" }, invalid: { day: 5 }, why: "day is not a string" },
  get_location: { valid: {}, invalid: { location_id: UUID }, why: "the model may not choose a location" },
  get_wait_time: { valid: { order_type: "delivery" }, invalid: { order_type: "drive-through" }, why: "unknown order type" },
  start_order: { valid: { order_type: "pickup" }, invalid: { order_type: "PICKUP" }, why: "order type is case-sensitive" },
  add_item: {
    valid: { item: "pepperoni pizza", quantity: 2, size: "large", modifiers: [{ name: "onions", action: "no" }] },
    invalid: { item: "pepperoni pizza", quantity: 1, price_cents: 1 },
    why: "a price from the model",
  },
  update_item: { valid: { line_id: UUID, quantity: 3 }, invalid: { line_id: UUID }, why: "nothing to change" },
  remove_item: { valid: { item: "coke" }, invalid: { line_id: "line-1" }, why: "line_id is not a uuid" },
  get_order_summary: { valid: {}, invalid: { total_cents: 100 }, why: "a total from the model" },
  submit_order: {
    valid: { customer_name: "Mike", phone: "555-123-4567", address: { street: "12 Main St", postal_code: "10001" } },
    invalid: { customer_name: "Mike", address: { street: "12 Main St", postal_code: "ten" } },
    why: "bad ZIP",
  },
  review_order: { valid: {}, invalid: { order_id: UUID }, why: "the model may not choose the order" },
  confirm_order: { valid: { notes: "ring the bell" }, invalid: { total_cents: 100 }, why: "a total from the model" },
  cancel_order: { valid: { reason: "plans changed" }, invalid: { reason: 7 }, why: "reason is not text" },
  transfer_to_human: {
    valid: { reason: "caller_request", summary: "Wants to talk about a catering order for 60 people." },
    invalid: { reason: "complaint", summary: 42 },
    why: "summary is not text",
  },
};

describe("tool registry", () => {
  test("has every seed tool plus update_item and the confirmation call's review/confirm/cancel, each with a description, schemas and an owner", () => {
    assert.deepEqual([...TOOL_NAMES].sort(), [...SEED_TOOLS].sort());
    for (const name of TOOL_NAMES) {
      const def = TOOLS[name];
      assert.equal(def.name, name);
      assert.ok(def.description.length > 20, `${name} has a real description`);
      assert.ok(["menu", "order", "escalation"].includes(def.service));
    }
  });

  test("subjects are unique, prefixed and grouped per service", () => {
    const subjects = TOOL_NAMES.map((n) => toolSubject(n, "t1."));
    assert.equal(new Set(subjects).size, subjects.length);
    assert.equal(toolSubject("add_item", "t1."), "t1.orderline.tools.order.add_item");
    assert.equal(serviceQueue("menu"), "menu-service");
    assert.deepEqual(toolsOf("escalation"), ["transfer_to_human"]);
  });

  const ajv = new Ajv({ strict: true, allErrors: true, strictRequired: false });
  // ajv-formats is CommonJS: under Node's ESM interop the default import is module.exports, the plugin itself.
  const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
  addFormats(ajv);
  for (const name of TOOL_NAMES) {
    test(`${name}: JSON Schema compiles and agrees with zod on a valid and an invalid example`, () => {
      const fn = realtimeTool(name);
      assert.equal(fn.type, "function");
      assert.equal(fn.parameters["type"], "object");
      assert.equal(fn.parameters["$schema"], undefined, "no $schema key in a Realtime tool");
      const validate = ajv.compile(fn.parameters);
      const ex = EXAMPLES[name];
      assert.equal(validate(ex.valid), true, `valid example rejected by JSON Schema: ${ajv.errorsText(validate.errors)}`);
      assert.equal(TOOLS[name].args.safeParse(ex.valid).success, true, "valid example rejected by zod");
      assert.equal(TOOLS[name].args.safeParse(ex.invalid).success, false, `zod accepted the invalid example (${ex.why})`);
      // refinements (update_item/remove_item "give line_id or item") are not representable in JSON Schema;
      // everything else must be rejected by the schema the model sees too.
      if (!(name === "update_item")) {
        assert.equal(validate(ex.invalid), false, `JSON Schema accepted the invalid example (${ex.why})`);
      }
    });
  }

  test("realtimeTools hands the session every tool in GA function shape", () => {
    const tools = realtimeTools();
    assert.equal(tools.length, TOOL_NAMES.length);
    for (const t of tools) assert.deepEqual(Object.keys(t).sort(), ["description", "name", "parameters", "type"]);
  });

  test("defaults are applied by the argument schema", () => {
    const parsed = TOOLS.add_item.args.parse({ item: "coke" });
    assert.equal(parsed.quantity, 1);
    assert.deepEqual(parsed.modifiers, []);
  });
});

describe("envelope, errors, keys, jobs", () => {
  test("the envelope requires call, location and order session; location must be a uuid", () => {
    assert.equal(RequestEnvelope.safeParse({ callSid: "CA1", locationId: UUID, orderSessionId: "s1" }).success, true);
    const bad = RequestEnvelope.safeParse({ callSid: "CA1", locationId: "downtown", orderSessionId: "s1" });
    assert.equal(bad.success, false);
    assert.equal(RequestEnvelope.safeParse({ callSid: "CA1", locationId: UUID, orderSessionId: "s1", callerPhone: "5551234" }).success, false);
  });

  test("ToolFailure serializes to the wire error shape", () => {
    const e = new ToolFailure("needs_size", "Which size: small, medium or large?", { choices: ["Small", "Medium", "Large"] });
    assert.deepEqual(JSON.parse(JSON.stringify(e)), {
      code: "needs_size",
      message: "Which size: small, medium or large?",
      details: { choices: ["Small", "Medium", "Large"] },
    });
    assert.equal(e.name, "ToolFailure");
  });

  test("event subjects name their location, read back from any prefix", () => {
    const loc = "6f1c1c1e-1b1a-4c1e-9a1e-1c1e1b1a4c1e";
    assert.equal(eventLocation(EVENT_SUBJECTS.catalogChanged(loc, "t1.x.")), loc);
    assert.equal(eventLocation(EVENT_SUBJECTS.catalogChanged("*")), "*");
    assert.equal(eventLocation(EVENT_SUBJECTS.orderStatus(loc, "submitted", "t2.")), loc);
    assert.equal(eventLocation("orderline.events.catalog.not-a-location"), "*", "junk drops everything");
    assert.equal(eventLocation("orderline.events.other.thing"), "*");
  });

  test("redis keys share one prefix", () => {
    const k = redisKeys("test-1:");
    assert.equal(k.callSession("CA9"), "test-1:call:CA9");
    assert.equal(k.callFinalized("CA9"), "test-1:call:CA9:finalized");
    assert.equal(k.callerActiveCalls("+12125550100"), "test-1:rl:caller:+12125550100:active");
    assert.ok(Object.values(k).every((f) => (f as (...a: string[]) => string)("x", "y").startsWith("test-1:")));
  });

  test("finalize job payload validates and rejects a missing call SID", () => {
    const job = {
      callSid: "CA1", locationId: UUID, from: "+12125550123", to: "+12125550100",
      startedAt: "2026-11-22T15:00:00.000Z", endedAt: "2026-11-22T15:03:00.000Z", disposition: "completed",
      orderId: null, transcript: [{ role: "caller", text: "hi", at: "2026-11-22T15:00:01.000Z" }],
      events: [{ type: "tool_call", at: "2026-11-22T15:00:02.000Z", data: { name: "get_menu" } }], usage: {},
    };
    assert.equal(CallFinalizeJob.safeParse(job).success, true);
    assert.equal(CallFinalizeJob.safeParse({ ...job, callSid: "" }).success, false);
  });

  test("formatCents speaks dollars", () => {
    assert.equal(formatCents(2415), "$24.15");
    assert.equal(formatCents(0), "$0.00");
  });

  test("tax: parts per million, rounded half up once on the subtotal, in exact integers", () => {
    assert.equal(taxCents(2299, 88_750), 204); // NYC 8.875 %: 204.036 → 204
    assert.equal(taxCents(20_000, 88_750), 1775); // exactly 1775 — 8.88 % would say 1776
    assert.equal(taxCents(1000, 62_500), 63); // 62.5 → 63 (half goes up)
    assert.equal(taxCents(999, 62_500), 62); // 62.4375 → 62
    assert.equal(taxCents(0, 88_750), 0);
    assert.equal(taxCents(12_345, 0), 0);
    assert.equal(taxCents(90_000_000_000_000, 100_000), 9_000_000_000_000); // no floating-point loss at scale
    assert.throws(() => taxCents(-1, 80_000), /subtotal/);
    assert.throws(() => taxCents(1.5, 80_000), /subtotal/);
    assert.throws(() => taxCents(100, 1_000_001), /parts per million/);
    assert.throws(() => taxCents(100, 8.875), /parts per million/);
  });
});
