import { callOrders, cardNumbers, expandTurn, orderProblems, type Scenario, unsaidProblems } from "@orderline/agent/scenario-files";
import { redisKeys } from "@orderline/contracts";
import { DEMO_LOCATIONS } from "@orderline/db";
import { type LocalStack, PUBLIC_BASE_URL } from "@orderline/e2e";
import type { Redis } from "ioredis";
import { PhoneCall } from "../src/phone-call.ts";

export interface GatewayScenarioResult {
  name: string;
  exact: boolean;
  problems: string[];
  transcript: string[];
}

/**
 * Plays one scenario as a phone call through the gateway process (the `<Gather>` transport, the local agent as
 * the text engine), then reads how it ended: the call's submitted orders from Postgres, the transfer from the
 * TwiML `<Dial>` the phone followed and its reason from the call's session.
 */
export async function playThroughGateway(stack: LocalStack, redis: Redis, name: string, scenario: Scenario): Promise<GatewayScenarioResult> {
  const call = new PhoneCall({
    gatewayUrl: `http://127.0.0.1:${stack.gatewayPort}`,
    publicBaseUrl: PUBLIC_BASE_URL,
    accountSid: stack.cloud.accountSid,
    authToken: stack.cloud.authToken,
    from: scenario.callerPhone ?? "anonymous",
    to: DEMO_LOCATIONS[scenario.location].phone,
  });
  const transcript: string[] = [];
  const note = (events: Awaited<ReturnType<PhoneCall["dial"]>>) => {
    for (const e of events) transcript.push(e.kind === "say" ? `restaurant: ${e.text}` : e.kind === "transfer" ? `→ ${e.number}: ${e.whisper.join(" ")}` : `(${e.kind})`);
  };
  note(await call.dial());
  for (const t of scenario.turns) {
    if (call.isOver) break;
    const turn = expandTurn(t);
    transcript.push(`caller: ${turn.text.length > 80 ? `${turn.text.slice(0, 60)}… (${turn.text.length} chars)` : turn.text}`);
    note(await call.speak(turn.text, turn.confidence ?? 0.95));
  }
  const keys = redisKeys(stack.redisPrefix);
  const [transferReason, engineState] = await Promise.all([redis.hget(keys.callSession(call.callSid), "transferReason"), redis.get(keys.callEngineState(call.callSid))]);
  await call.hangUp();

  const said = call.log.flatMap((e) => (e.kind === "say" ? [e.text] : []));
  const transfers = call.log.filter((e) => e.kind === "transfer");
  const orders = await callOrders(stack.db.db, call.callSid);
  const problems = unsaidProblems(scenario, said);
  const expect = scenario.expect;
  if ("transfer" in expect) {
    if (transfers.length !== 1) problems.push(`expected a transfer (${expect.transfer}), the phone was dialled to staff ${transfers.length} times`);
    if (transferReason !== expect.transfer) problems.push(`transfer reason ${transferReason ?? "none"}, expected ${expect.transfer}`);
    if (orders.length > 0) problems.push(`an order was submitted (${orders.length})`);
  } else if ("noOrder" in expect) {
    if (orders.length > 0) problems.push(`an order was submitted (${orders.length})`);
    if (transfers.length > 0) problems.push(`unexpected transfer: ${transferReason ?? "?"}`);
  } else if (orders.length !== 1) {
    problems.push(`expected one submitted order, found ${orders.length}; last heard: ${said.at(-1) ?? "nothing"}`);
  } else {
    problems.push(...orderProblems(expect.order, orders[0]!));
  }
  // A card number read out must never be kept: not in the engine state, not in any order of the call.
  const kept = `${engineState ?? ""} ${JSON.stringify(orders)}`.replace(/\D/g, "");
  for (const t of scenario.turns) for (const card of cardNumbers(expandTurn(t).text)) if (kept.includes(card)) problems.push("the card number read out was kept (engine state or order)");
  return { name, exact: problems.length === 0, problems, transcript };
}

/** Runs `work` over `items`, at most `concurrency` at a time, results in the items' order. */
export async function inBatches<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return results;
}

export function formatGatewayResult(r: GatewayScenarioResult): string {
  if (r.exact && !process.env.SCENARIO_VERBOSE) return `ok   ${r.name}`;
  return [`${r.exact ? "ok  " : "FAIL"} ${r.name}`, ...r.problems.map((p) => `     ! ${p}`), ...r.transcript.map((l) => `     ${l}`)].join("\n");
}
