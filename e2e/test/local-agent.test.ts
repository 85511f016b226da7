import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { MENU_CONTROL_SUBJECTS, SetItemSoldOutResult } from "@orderline/contracts";
import { DEMO_LOCATIONS } from "@orderline/db";
import { adminRequest, connectNats, drainNats, type NatsConnection } from "@orderline/nats";
import { type LocalStack, PUBLIC_BASE_URL, startLocalStack } from "../src/local-stack.ts";
import { STANDARD_ORDER_LOCAL_AGENT_ANSWERS } from "../src/standard-order.ts";

const NY = DEMO_LOCATIONS.newYork;

/**
 * The local agent (no cloud model, `<Gather>` turns) as the manager sees its calls: the call's stored record
 * holds the tool calls the conversation made, not the agent's reading of the menu (one menu-service request,
 * outside the call's tool calls), and a menu change announced by the menu service reaches the agent at once.
 */
describe("the local agent's calls: recorded tool calls and menu changes (every service a process)", () => {
  let stack: LocalStack;
  let nc: NatsConnection;
  let n = 0;
  const from = () => `+1415555${String(800 + n++).padStart(4, "0")}`;
  before(async () => {
    stack = await startLocalStack({ timeScale: 0.5 });
    await stack.db.db.insertInto("location_conversation_settings").values({ location_id: NY.id, mode: "gather", text_engine: "local" }).execute();
    nc = await connectNats({ url: process.env["NATS_URL"] ?? "nats://127.0.0.1:4222", name: "e2e-local-agent" });
  });
  after(async () => {
    if (nc) await drainNats(nc).catch(() => {});
    await stack?.close();
  });
  const place = (extra: Record<string, unknown>) =>
    stack.cloud.placeCall({ url: `${PUBLIC_BASE_URL}/voice/incoming`, statusCallback: `${PUBLIC_BASE_URL}/voice/status`, from: from(), to: NY.phone, ...extra } as never);

  test("a standard local-agent call records only the conversation's tool calls: the menu read is not one of them", async () => {
    const call = place({ gatherAnswers: STANDARD_ORDER_LOCAL_AGENT_ANSWERS });
    await call.done;
    call.assertNoErrors();
    const { events } = await stack.callRecord(call.sid);
    const tools = events.filter((e) => e.event_type === "tool_call" || e.event_type === "tool_error").map((e) => String(e.event_data["tool"]));
    console.log(`tool calls recorded for the standard local-agent call (${tools.length}): ${tools.join(", ")}`);
    assert.deepEqual(
      tools.filter((t) => t === "get_menu" || t === "get_item_details"),
      [],
      "the agent's menu read is not recorded as tool calls",
    );
    // "a large pepperoni pizza for pickup" → start_order + add_item; the drink offer declined; name and phone;
    // the readback reads the cart; "yes" submits.
    assert.deepEqual(tools, ["start_order", "add_item", "get_order_summary", "submit_order"]);
    const orders = await stack.db.db.selectFrom("orders").select(["state"]).where("call_sid", "=", call.sid).execute();
    assert.deepEqual(orders, [{ state: "submitted" }]);
  });

  test("staff 86 the drink the agent offers: the next call's agent no longer offers it (its cached menu was dropped)", async () => {
    const firstTurn = async () => {
      const call = place({ gatherAnswers: [{ speech: "Hi, I'd like a large pepperoni pizza for pickup." }, "hangup"] });
      await call.done;
      call.assertNoErrors();
      return call.gathers[1]!.prompts.join(" ");
    };
    // The first call reads New York's menu into the agent's cache (kept a minute unless the menu changes).
    assert.match(await firstTurn(), /like a Coca-Cola\?/);
    const coke = await stack.db.db.selectFrom("products").select("id").where("name", "=", "Coca-Cola").executeTakeFirstOrThrow();
    const reply = await adminRequest(
      nc,
      MENU_CONTROL_SUBJECTS.setItemSoldOut(stack.natsPrefix),
      { locationId: NY.id, productId: coke.id, soldOut: true, actor: "staff:e2e" },
      SetItemSoldOutResult,
      10_000,
    );
    assert.ok(reply.ok && reply.result.changed, JSON.stringify(reply));
    // The menu service announced the change (catalogChanged) before it replied: the gateway's agent read the menu again.
    const offered = await firstTurn();
    assert.doesNotMatch(offered, /Coca-Cola/, offered);
    assert.match(offered, /like a Diet Coke\?/, offered);
  });
});
