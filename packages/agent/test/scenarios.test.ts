import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DEMO_LOCATIONS } from "@orderline/db";
import fc from "fast-check";
import { createLocalAgent } from "../src/index.ts";
import { loadScenarios, type Scenario } from "../src/scenarios.ts";
import { type AgentStack, formatResult, playScenario, runSuite, startAgentStack } from "./scenario-runner.ts";

describe("scenario suite: caller conversations against the real menu, order and escalation services", () => {
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

  test("one agent reads a location's menu once, in one request and not through tools, and again after forgetMenu", async () => {
    const agent = createLocalAgent();
    const scenario = (await loadScenarios()).find((s) => s.name === "pickup-large-pepperoni")!;
    const first = await playScenario(stack, agent, scenario.name, scenario.scenario);
    const second = await playScenario(stack, agent, scenario.name, scenario.scenario);
    assert.deepEqual([first.problems, second.problems], [[], []]);
    assert.deepEqual([first.menuReads, second.menuReads], [1, 0], "the second call uses the agent's cached menu");
    // Only what the conversation needs: no get_menu / get_item_details to learn the menu.
    assert.deepEqual(first.toolCalls, ["start_order", "add_item", "get_order_summary", "submit_order"]);
    assert.deepEqual(second.toolCalls, first.toolCalls);
    agent.forgetMenu(DEMO_LOCATIONS[scenario.scenario.location].id);
    const third = await playScenario(stack, agent, scenario.name, scenario.scenario);
    assert.deepEqual([third.problems, third.menuReads], [[], 1], "after forgetMenu the next call reads the menu again");
  });

  test("noise never becomes an order: three turns of it end in a transfer, whatever the noise", async () => {
    const agent = createLocalAgent();
    const syllable = fc.constantFrom("blorf", "zib", "qwx", "snar", "gle", "vorp", "ummm", "kkk", "xyzzy", "frob", "...", "—", "ñañ", "plix");
    const noise = fc.oneof(
      fc.array(syllable, { minLength: 1, maxLength: 12 }).map((w) => ({ text: w.join(" ") })),
      fc.record({ text: fc.constant(""), confidence: fc.double({ min: 0, max: 1, noNaN: true }) }),
      syllable.map((w) => ({ text: `${w} `.repeat(400) })),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("newYork", "chicago", "denver"), fc.array(noise, { minLength: 3, maxLength: 3 }), async (location, turns) => {
        const scenario: Scenario = {
          description: "noise",
          location: location as Scenario["location"],
          callerPhone: null,
          customerName: null,
          toolsDown: false,
          turns,
          expect: { transfer: "other", said: [] },
        };
        const r = await playScenario(stack, agent, "noise", scenario);
        assert.deepEqual(r.problems, [], r.transcript.map((e) => `${e.caller.slice(0, 40)} → ${e.agent}`).join("\n"));
      }),
      { numRuns: 25 },
    );
  });
});
