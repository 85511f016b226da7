import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DEMO_DASHBOARD_USERS, DEMO_LOCATIONS } from "@orderline/db";
import {
  type LocalStack,
  PUBLIC_BASE_URL,
  STANDARD_ORDER_CALLER,
  STANDARD_ORDER_MODEL,
  STANDARD_ORDER_RELAY_CALLER,
  STANDARD_ORDER_TEXT_MODEL,
  startLocalStack,
} from "@orderline/e2e";
import { Client, type Json } from "./support/stack.ts";

const MIDTOWN = DEMO_LOCATIONS.newYork;

/**
 * The standard order as the call's page must tell it: each caller turn before the tool calls answering it, the
 * assistant's words after the tool calls they speak about.
 */
const CONVERSATION = [
  "assistant: Thanks for calling",
  "caller: Hi, I'd like a large pepperoni pizza",
  "tool start_order",
  "tool get_item_details",
  "tool check_availability",
  "tool add_item",
  "assistant: One large pepperoni pizza.",
  "caller: No thanks, that's all.",
  "tool get_order_summary",
  "assistant: That's one large pepperoni pizza",
  "caller: Yes please, it's Mike",
  "tool submit_order",
  "assistant: You're all set, Mike!",
];

/** The page's timeline as turns and tool calls (the notable events left out), each turn cut to its expected opening. */
const conversation = (timeline: Json[]) =>
  timeline
    .filter((e) => e.kind !== "event")
    .map((e, i) => {
      if (e.kind === "tool") return `tool ${e.name}`;
      const expected = CONVERSATION[i] ?? "";
      const prefix = `${e.role}: `;
      const text = `${prefix}${e.text}`;
      return expected.startsWith(prefix) && text.startsWith(expected) ? expected : text;
    });

describe("a call's page over real stored calls: turns and their tool calls in conversational order", () => {
  let stack: LocalStack;
  let staff: Client;
  let n = 0;

  before(async () => {
    stack = await startLocalStack({ timeScale: 0.5, dashboard: true });
    staff = new Client(stack.dashboardUrl!);
    const login = await staff.login(DEMO_DASHBOARD_USERS.midtownStaff.email, DEMO_DASHBOARD_USERS.midtownStaff.password);
    assert.equal(login.status, 200, JSON.stringify(login.body));
  });
  after(() => stack?.close());

  /** Places the call, waits for its stored record, and reads its page as Midtown staff. */
  async function callPage(extra: Record<string, unknown>): Promise<Json> {
    const from = `+1415555${String(700 + n++).padStart(4, "0")}`;
    const call = stack.cloud.placeCall({ url: `${PUBLIC_BASE_URL}/voice/incoming`, statusCallback: `${PUBLIC_BASE_URL}/voice/status`, from, to: MIDTOWN.phone, ...extra } as never);
    await call.done;
    const record = await stack.callRecord(call.sid);
    const page = await staff.get(`/api/calls/${record.call.id}`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    return page.body;
  }

  it("over Media Streams with the Realtime model (the caller's words are transcribed after the model began answering)", async () => {
    stack.realtime.script(STANDARD_ORDER_MODEL);
    const page = await callPage({ caller: STANDARD_ORDER_CALLER });
    assert.deepEqual(page.engines, ["realtime"]);
    assert.deepEqual(conversation(page.timeline), CONVERSATION);
  });

  it("over ConversationRelay with the OpenAI text model", async () => {
    await stack.db.db
      .insertInto("location_conversation_settings")
      .values({ location_id: MIDTOWN.id, mode: "relay", text_engine: "openai" })
      .onConflict((oc) => oc.column("location_id").doUpdateSet({ mode: "relay", text_engine: "openai" }))
      .execute();
    stack.responses.script(STANDARD_ORDER_TEXT_MODEL);
    const page = await callPage({ relayCaller: STANDARD_ORDER_RELAY_CALLER });
    assert.deepEqual(page.engines, ["openai_text"]);
    assert.deepEqual(conversation(page.timeline), CONVERSATION);
  });
});
