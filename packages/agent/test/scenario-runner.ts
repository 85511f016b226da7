import { randomUUID } from "node:crypto";
import { TOOLS, type ToolName } from "@orderline/contracts";
import { DEMO_LOCATIONS } from "@orderline/db";
import { createTestDatabase, type TestDatabase } from "@orderline/db/testing";
import { connectNats, drainNats, type NatsConnection } from "@orderline/nats";
import { type LocalStack, startLocalStack } from "@orderline/testing";
import { type AgentCallContext, type AgentReply, type AgentState, type AgentTools, createLocalAgent, type LocalAgent } from "../src/index.ts";
import { natsAgentTools } from "./nats-tools.ts";
import { callOrders, cardNumbers, expandTurn, orderProblems, type Scenario, unsaidProblems } from "../src/scenarios.ts";

/**
 * Plays scenarios against the real menu-service, order-service and escalation-service, each its own process on
 * a fresh seeded database (the testing kit's startLocalStack), through `natsAgentTools`, and checks how each
 * call ended by reading Postgres (the submitted order, or the escalation the escalation service recorded).
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
    kit = await startLocalStack({ database: false, env: { DATABASE_URL: db.url, LOG_LEVEL: "warn" }, services: [{ name: "menu-service" }, { name: "order-service" }, { name: "escalation-service" }] });
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
  /** The tool calls the agent made, in order (what the gateway would record for the call). */
  toolCalls: ToolName[];
  /** Times the agent read the location's whole menu (`readMenu`, not a tool call) during the call. */
  menuReads: number;
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
  const envelope = { callSid, locationId: loc.id, orderSessionId: randomUUID(), ...(scenario.callerPhone ? { callerPhone: scenario.callerPhone } : {}) };
  const served = natsAgentTools(stack.nc, stack.kit.natsSubjectPrefix, envelope);
  // toolsDown: the menu and order tools go to subjects nothing serves (real NATS no-responders); the escalation
  // service still answers, as when those services are down.
  const unserved = natsAgentTools(stack.nc, `unserved-${randomUUID().slice(0, 8)}.`, envelope);
  const tools: AgentTools = {
    call: (name, args) => (scenario.toolsDown && TOOLS[name].service !== "escalation" ? unserved : served).call(name, args),
    readMenu: () => (scenario.toolsDown ? unserved : served).readMenu(),
  };
  const transcript: Exchange[] = [];
  const turnMs: number[] = [];
  const toolMs: number[] = [];
  let waiting = 0;
  const toolCalls: ToolName[] = [];
  let menuReads = 0;
  const timed = async <T>(request: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await request();
    } finally {
      waiting += performance.now() - t0;
    }
  };
  const timedTools: AgentTools = {
    call(name, args) {
      toolCalls.push(name);
      return timed(() => tools.call(name, args));
    },
    readMenu() {
      menuReads++;
      return timed(() => tools.readMenu());
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
  const problems = await check(stack, callSid, scenario, reply, transcript);
  const stored = JSON.stringify(state);
  if (stored.length > 4000) problems.push(`state is ${stored.length} bytes of JSON`);
  // A card number read out must never be kept: not in the state, not in any order row of the call.
  const orderRows = JSON.stringify(await stack.db.db.selectFrom("orders").selectAll().where("call_sid", "=", callSid).execute());
  const cards = scenario.turns.flatMap((t) => cardNumbers(expandTurn(t).text));
  for (const card of cards) {
    if (stored.replace(/\D/g, "").includes(card)) problems.push("the agent state holds the card number read out");
    if (orderRows.replace(/\D/g, "").includes(card)) problems.push("an order row holds the card number read out");
  }
  return { name, exact: problems.length === 0, problems, transcript, turnMs, toolMs, toolCalls, menuReads };
}

async function check(stack: AgentStack, callSid: string, scenario: Scenario, last: AgentReply, transcript: Exchange[]): Promise<string[]> {
  const problems = unsaidProblems(
    scenario,
    transcript.map((e) => e.agent),
  );
  // What the escalation service decided for this call (one escalation per call).
  const transfers = await stack.db.db.selectFrom("escalations").select(["reason"]).where("call_sid", "=", callSid).execute();
  const orders = await callOrders(stack.db.db, callSid);
  const expect = scenario.expect;
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
  if (orders.length !== 1) return [...problems, `expected one submitted order, found ${orders.length}; last reply: ${last.say}`];
  return [...problems, ...orderProblems(expect.order, orders[0]!)];
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
export { loadScenarios, type Scenario } from "../src/scenarios.ts";
