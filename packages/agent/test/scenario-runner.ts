import { randomUUID } from "node:crypto";
import { DEMO_LOCATIONS } from "@orderline/db";
import { createTestDatabase, type TestDatabase } from "@orderline/db/testing";
import { connectNats, drainNats, type NatsConnection } from "@orderline/nats";
import { type LocalStack, startLocalStack } from "@orderline/testing";
import { type AgentCallContext, type AgentReply, type AgentState, type AgentTools, createLocalAgent, type LocalAgent } from "../src/index.ts";
import { natsAgentTools, type RecordedTransfer } from "./nats-tools.ts";
import type { Scenario } from "./scenario.ts";

/**
 * Plays scenarios against the real menu-service and order-service, each its own process on a fresh seeded
 * database (the testing kit's startLocalStack), through `natsAgentTools`, and checks how each call ended by
 * reading Postgres.
 */
export interface AgentStack {
  db: TestDatabase;
  kit: LocalStack;
  nc: NatsConnection;
  close(): Promise<void>;
}

export async function startAgentStack(): Promise<AgentStack> {
  const db = await createTestDatabase({ seed: true });
  let kit: LocalStack | undefined;
  let nc: NatsConnection | undefined;
  try {
    // The demo chain keeps real opening hours: a suite must not depend on the time of day it runs at.
    await db.db.deleteFrom("location_hour_exceptions").execute();
    await db.db.deleteFrom("location_hours").execute();
    const locations = await db.db.selectFrom("locations").select("id").execute();
    await db.db
      .insertInto("location_hours")
      .values(locations.flatMap((l) => ([1, 2, 3, 4, 5, 6, 7] as const).map((weekday) => ({ location_id: l.id, weekday, is_closed: false, opens_at: "00:00", closes_at: "23:59:59" }))))
      .execute();
    kit = await startLocalStack({ database: false, env: { DATABASE_URL: db.url, LOG_LEVEL: "warn" }, services: [{ name: "menu-service" }, { name: "order-service" }] });
    nc = await connectNats({ url: kit.natsUrl, name: "agent-scenarios" });
    const k = kit;
    const n = nc;
    return {
      db,
      kit: k,
      nc: n,
      async close() {
        await drainNats(n).catch(() => {});
        await k.stop().catch(() => {});
        await db.close();
      },
    };
  } catch (err) {
    if (nc) await drainNats(nc).catch(() => {});
    await kit?.stop().catch(() => {});
    await db.close();
    throw err;
  }
}

export interface Exchange {
  caller: string;
  agent: string;
}

export interface ScenarioResult {
  name: string;
  exact: boolean;
  problems: string[];
  transcript: Exchange[];
  /** Milliseconds per agent turn (greeting excluded). */
  turnMs: number[];
  /** Of each turn, milliseconds spent waiting for tool replies (NATS round trips and the services' work). */
  toolMs: number[];
}

/** Digit runs of 13–19 digits (card numbers) in a caller turn, spaces and dashes ignored. */
function cardNumbers(text: string): string[] {
  return (text.match(/\d[\d\s-]{11,}\d/g) ?? []).map((m) => m.replace(/\D/g, "")).filter((d) => d.length >= 13 && d.length <= 19);
}

function expandTurn(t: Scenario["turns"][number]): { text: string; confidence?: number } {
  if (typeof t === "string") return { text: t };
  const text = t.repeat ? t.text.repeat(t.repeat) : t.text;
  return t.confidence === undefined ? { text } : { text, confidence: t.confidence };
}

export async function playScenario(stack: AgentStack, agent: LocalAgent, name: string, scenario: Scenario): Promise<ScenarioResult> {
  const loc = DEMO_LOCATIONS[scenario.location];
  const row = await stack.db.db.selectFrom("locations").select(["language"]).where("id", "=", loc.id).executeTakeFirstOrThrow();
  const callSid = `CA${randomUUID().replaceAll("-", "")}`;
  const ctx: AgentCallContext = {
    location: { id: loc.id, name: loc.name, language: scenario.language ?? row.language, timezone: loc.timezone },
    callerPhone: scenario.callerPhone,
    customerName: scenario.customerName,
    now: new Date(),
  };
  const transfers: RecordedTransfer[] = [];
  const tools = natsAgentTools(
    stack.nc,
    scenario.toolsDown ? `unserved-${randomUUID().slice(0, 8)}.` : stack.kit.natsSubjectPrefix,
    { callSid, locationId: loc.id, orderSessionId: randomUUID(), ...(scenario.callerPhone ? { callerPhone: scenario.callerPhone } : {}) },
    transfers,
  );
  const transcript: Exchange[] = [];
  const turnMs: number[] = [];
  const toolMs: number[] = [];
  let waiting = 0;
  const timedTools: AgentTools = {
    async call(name, args) {
      const t0 = performance.now();
      try {
        return await tools.call(name, args);
      } finally {
        waiting += performance.now() - t0;
      }
    },
  };
  let reply: AgentReply = await agent.greet(ctx);
  transcript.push({ caller: "", agent: reply.say });
  // The gateway keeps the state in Redis between turns: it only ever sees it as JSON.
  let state = JSON.parse(JSON.stringify(reply.state)) as AgentState;
  for (const t of scenario.turns) {
    if (reply.end) break;
    const input = expandTurn(t);
    const started = performance.now();
    waiting = 0;
    reply = await agent.turn({ ...ctx, now: new Date() }, state, input, timedTools);
    turnMs.push(performance.now() - started);
    toolMs.push(waiting);
    state = JSON.parse(JSON.stringify(reply.state)) as AgentState;
    transcript.push({ caller: input.text.length > 80 ? `${input.text.slice(0, 60)}… (${input.text.length} chars)` : input.text, agent: reply.say });
  }
  const problems = await check(stack, callSid, scenario, reply, transfers, transcript);
  const stored = JSON.stringify(state);
  if (stored.length > 4000) problems.push(`state is ${stored.length} bytes of JSON`);
  // A card number read out must never be kept: not in the state, not in any order row of the call.
  const orderRows = JSON.stringify(await stack.db.db.selectFrom("orders").selectAll().where("call_sid", "=", callSid).execute());
  const cards = scenario.turns.flatMap((t) => cardNumbers(expandTurn(t).text));
  for (const card of cards) {
    if (stored.replace(/\D/g, "").includes(card)) problems.push("the agent state holds the card number read out");
    if (orderRows.replace(/\D/g, "").includes(card)) problems.push("an order row holds the card number read out");
  }
  return { name, exact: problems.length === 0, problems, transcript, turnMs, toolMs };
}

async function check(stack: AgentStack, callSid: string, scenario: Scenario, last: AgentReply, transfers: RecordedTransfer[], transcript: Exchange[]): Promise<string[]> {
  const problems: string[] = [];
  const db = stack.db.db;
  const orders = await db.selectFrom("orders").selectAll().where("call_sid", "=", callSid).where("state", "!=", "draft").execute();
  const expect = scenario.expect;
  const said = transcript.map((e) => e.agent).join("\n").toLowerCase();
  for (const words of expect.said) if (!said.includes(words.toLowerCase())) problems.push(`the agent never said "${words}"`);
  if ("transfer" in expect) {
    if (last.end?.kind !== "transfer") problems.push(`expected a transfer (${expect.transfer}), the call ended with ${last.end ? last.end.kind : "no end"}`);
    else if (last.end.reason !== expect.transfer) problems.push(`transfer reason ${last.end.reason}, expected ${expect.transfer}`);
    if (transfers.length !== 1 || transfers[0]!.reason !== expect.transfer) problems.push(`transfer_to_human calls: ${JSON.stringify(transfers.map((t) => t.reason))}`);
    if (orders.length > 0) problems.push(`an order was submitted (${orders.length})`);
    return problems;
  }
  if ("noOrder" in expect) {
    if (orders.length > 0) problems.push(`an order was submitted (${orders.length})`);
    if (transfers.length > 0) problems.push(`unexpected transfer: ${transfers[0]!.reason}`);
    return problems;
  }
  const want = expect.order;
  if (orders.length !== 1) return [...problems, `expected one submitted order, found ${orders.length}; last reply: ${last.say}`];
  const order = orders[0]!;
  if (order.order_type !== want.type) problems.push(`type ${order.order_type}, expected ${want.type}`);
  if (order.customer_name !== want.name) problems.push(`name ${order.customer_name}, expected ${want.name}`);
  if (order.customer_phone !== want.phone) problems.push(`phone ${order.customer_phone}, expected ${want.phone}`);
  if (want.address) {
    const got = { street: order.delivery_address_line1, unit: order.delivery_address_line2, postalCode: order.delivery_postal_code };
    if (JSON.stringify(got) !== JSON.stringify(want.address)) problems.push(`address ${JSON.stringify(got)}, expected ${JSON.stringify(want.address)}`);
  }
  const items = await db.selectFrom("order_items").selectAll().where("order_id", "=", order.id).orderBy("position").execute();
  const mods = items.length
    ? await db
        .selectFrom("order_item_modifiers")
        .select(["order_item_id", "name", "action"])
        .where(
          "order_item_id",
          "in",
          items.map((i) => i.id),
        )
        .execute()
    : [];
  const lineKey = (l: { item: string; size: string | null; quantity: number; modifiers: string[] }) => `${l.quantity} × ${l.item}${l.size ? ` (${l.size})` : ""}${l.modifiers.length ? ` [${[...l.modifiers].sort().join(", ")}]` : ""}`;
  const got = items
    .map((i) =>
      lineKey({
        item: i.product_name,
        size: i.size_name,
        quantity: i.quantity,
        modifiers: mods.filter((m) => m.order_item_id === i.id).map((m) => (m.action === "add" ? m.name : `${m.action} ${m.name}`)),
      }),
    )
    .sort();
  const expected = want.lines.map(lineKey).sort();
  if (JSON.stringify(got) !== JSON.stringify(expected)) problems.push(`lines ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
  return problems;
}

export async function runSuite(stack: AgentStack, scenarios: { name: string; scenario: Scenario }[], agent: LocalAgent = createLocalAgent()): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const { name, scenario } of scenarios) results.push(await playScenario(stack, agent, name, scenario));
  return results;
}

export function formatResult(r: ScenarioResult): string {
  const lines = [`${r.exact ? "ok  " : "FAIL"} ${r.name}`];
  if (!r.exact || process.env["SCENARIO_VERBOSE"]) {
    for (const p of r.problems) lines.push(`     ! ${p}`);
    for (const e of r.transcript) lines.push(`     caller: ${e.caller}\n     agent:  ${e.agent}`);
  }
  return lines.join("\n");
}
export { loadScenarios, type Scenario } from "./scenario.ts";
