import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createLocalAgent } from "../src/index.ts";
import { loadScenarios } from "./scenario.ts";
import { type AgentStack, formatResult, runSuite, startAgentStack } from "./scenario-runner.ts";

describe("scenario suite: caller conversations against the real menu and order services", () => {
  let stack: AgentStack;
  before(async () => {
    stack = await startAgentStack();
  });
  after(async () => {
    await stack?.close();
  });

  test("every scenario ends exactly as expected (order in Postgres or transfer)", async () => {
    const only = process.env["SCENARIO"];
    const scenarios = (await loadScenarios()).filter((s) => !only || s.name.includes(only));
    assert.ok(only || scenarios.length >= 40, `at least 40 scenarios, found ${scenarios.length}`);
    const results = await runSuite(stack, scenarios, createLocalAgent());
    for (const r of results) console.log(formatResult(r));
    const exact = results.filter((r) => r.exact).length;
    console.log(`scenarios: ${exact}/${results.length} exact`);
    assert.deepEqual(
      results.filter((r) => !r.exact).map((r) => `${r.name}: ${r.problems.join("; ")}`),
      [],
    );
  });
});
