/**
 * Micro-benchmark of the local agent: time per caller turn (p50/p99/max) and turns per second per core,
 * against the real menu, order and escalation services (their own processes, fresh seeded database, NATS).
 * Plays the scenario suite's conversations that end in an order (packages/agent/scenarios), `--rounds` times,
 * `--concurrency` calls at once, after one warm-up round (which also fills the agent's menu view cache).
 *
 * A turn's time is agent.turn() end to end: parsing plus every tool request it makes over NATS and the
 * services' work. "Per core" divides turns by CPU seconds: of the agent's process alone, and of the agent plus
 * both services (read from /proc), so the number does not depend on how idle the machine was.
 *
 * Also measured, after the timed rounds: the first caller turn of a call on an agent whose menu cache is empty
 * (`--cold` calls, each on a fresh agent: the turn includes reading the location's menu), and the tool calls a
 * conversation makes (what the gateway records as the call's tool calls).
 *
 * Run: node bench/agent-turns.ts [--rounds 5] [--concurrency 1] [--cold 20]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createLocalAgent } from "@orderline/agent";
import { loadScenarios, playScenario, startAgentStack } from "@orderline/agent/scenarios";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "5" }, concurrency: { type: "string", default: "1" }, cold: { type: "string", default: "20" } } });
const ROUNDS = Number(values.rounds);
const CONCURRENCY = Number(values.concurrency);
const COLD = Number(values.cold);

/** utime + stime of a process in seconds (Linux /proc). */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const stack = await startAgentStack();
try {
  const agent = createLocalAgent();
  const scenarios = (await loadScenarios()).filter((s) => "order" in s.scenario.expect);
  for (const { name, scenario } of scenarios) await playScenario(stack, agent, name, scenario);

  const servicePids = Object.values(stack.kit.services).map((s) => s.pid);
  const cpu0 = process.cpuUsage();
  const services0 = servicePids.map(cpuSecondsOf);
  const started = performance.now();
  const turnMs: number[] = [];
  const ownMs: number[] = [];
  const toolCalls: number[] = [];
  let failed = 0;
  const queue = Array.from({ length: ROUNDS }, () => scenarios).flat();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const r = await playScenario(stack, agent, next.name, next.scenario);
        if (!r.exact) failed++;
        turnMs.push(...r.turnMs);
        toolCalls.push(r.toolCalls.length);
        // Tool calls of one turn may overlap; the agent's own time is at least turn − waiting.
        ownMs.push(...r.turnMs.map((ms, i) => Math.max(0, ms - r.toolMs[i]!)));
      }
    }),
  );
  const wallS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const agentCpuS = (cpu.user + cpu.system) / 1e6;
  const servicesCpuS = servicePids.map(cpuSecondsOf).reduce((sum, s, i) => sum + s - services0[i]!, 0);
  const sorted = [...turnMs].sort((a, b) => a - b);
  const fmt = (ms: number) => ms.toFixed(2);
  console.log(`agent turns: ${sorted.length} turns in ${ROUNDS} rounds × ${scenarios.length} conversations, concurrency ${CONCURRENCY}, ${failed} not exact`);
  console.log(`time per turn (ms): p50 ${fmt(percentile(sorted, 50))}  p99 ${fmt(percentile(sorted, 99))}  max ${fmt(sorted[sorted.length - 1]!)}`);
  const own = [...ownMs].sort((a, b) => a - b);
  console.log(`agent's own time per turn, tool waits excluded (ms): p50 ${fmt(percentile(own, 50))}  p99 ${fmt(percentile(own, 99))}  max ${fmt(own[own.length - 1]!)}`);
  console.log(`throughput: ${(sorted.length / wallS).toFixed(0)} turns/s wall`);
  console.log(
    `turns per second per core: ${(sorted.length / agentCpuS).toFixed(0)} (agent process CPU ${agentCpuS.toFixed(2)} s), ` +
      `${(sorted.length / (agentCpuS + servicesCpuS)).toFixed(0)} (agent + menu, order and escalation services CPU ${(agentCpuS + servicesCpuS).toFixed(2)} s)`,
  );
  const calls = [...toolCalls].sort((a, b) => a - b);
  console.log(`tool calls per conversation (warm menu): mean ${(calls.reduce((a, b) => a + b, 0) / calls.length).toFixed(1)}  max ${calls[calls.length - 1]}`);

  // A call that finds the menu not cached: each on a fresh agent, so its first turn reads the location's menu.
  const firstMs: number[] = [];
  const firstCalls: number[] = [];
  for (let i = 0; i < COLD; i++) {
    const { name, scenario } = scenarios[i % scenarios.length]!;
    const r = await playScenario(stack, createLocalAgent(), name, scenario);
    firstMs.push(r.turnMs[0]!);
    firstCalls.push(r.toolCalls.length);
  }
  const first = [...firstMs].sort((a, b) => a - b);
  console.log(
    `first turn with the menu not cached (${COLD} calls, ms): p50 ${fmt(percentile(first, 50))}  p99 ${fmt(percentile(first, 99))}  max ${fmt(first[first.length - 1]!)}; ` +
      `tool calls per such conversation: mean ${(firstCalls.reduce((a, b) => a + b, 0) / firstCalls.length).toFixed(1)}`,
  );
} finally {
  await stack.close();
}
