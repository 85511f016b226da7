import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { loadScenarios } from "@orderline/agent/scenario-files";
import { redisKeys } from "@orderline/contracts";
import { DEMO_LOCATIONS } from "@orderline/db";
import { type LocalStack, PUBLIC_BASE_URL, startLocalStack } from "@orderline/e2e";
import { Redis } from "ioredis";
import { formatGatewayResult, type GatewayScenarioResult, inBatches, playThroughGateway } from "./gateway-scenarios.ts";

const CLI = join(import.meta.dirname, "..", "src", "cli.ts");
/** Scenarios played at once (2 cores: the gateway, two services and this process share them). */
const CONCURRENCY = 6;

/** Runs the phone's CLI as its own process with `stdin` piped in; resolves with its output and exit code. */
function runCli(stack: LocalStack, stdin: string, args: string[] = []): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: {
      ...process.env,
      PHONE_GATEWAY_URL: `http://127.0.0.1:${stack.gatewayPort}`,
      PUBLIC_BASE_URL,
      TWILIO_ACCOUNT_SID: stack.cloud.accountSid,
      TWILIO_AUTH_TOKEN: stack.cloud.authToken,
      DATABASE_URL: stack.db.url,
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the phone CLI did not finish within 60 s; output so far:\n${out}\n${err}`));
    }, 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

describe("the phone against the full stack (menu, order, gateway as processes; no OpenAI key: Gather + local agent)", () => {
  let stack: LocalStack;
  let redis: Redis;
  before(async () => {
    stack = await startLocalStack({
      gatewayEnv: {
        OPENAI_API_KEY: "",
        CALLER_MAX_CONCURRENT_CALLS: "100",
        CALLER_MAX_CALLS_PER_HOUR: "10000",
        ANONYMOUS_MAX_CONCURRENT_CALLS: "1000",
        ANONYMOUS_MAX_CALLS_PER_HOUR: "100000",
      },
    });
    // Throwaway database: room for a batch of calls at every location.
    await stack.db.db.updateTable("locations").set({ max_concurrent_calls: 100 }).execute();
    redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  });
  after(async () => {
    await redis?.quit();
    await stack?.close();
  });

  test("piped lines play as the caller and the CLI prints the submitted order from Postgres", async () => {
    const r = await runCli(stack, "I'd like two medium cheese pizzas for pickup\nno, that's all\nAna, 555-867-5309\nyes\n");
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^Restaurant: .*Tony's Pizzeria/m);
    assert.match(r.out, /^You: Ana, 555-867-5309$/m);
    assert.match(r.out, /Order #\d+ \(submitted, pickup\) for Ana, \+15558675309/);
    assert.match(r.out, /2 × Medium Cheese Pizza/);
  });

  test("an empty pipe plays the standard order (a large pepperoni for Mike)", async () => {
    const r = await runCli(stack, "");
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /for Mike, \+15551234567/);
    assert.match(r.out, /1 × Large Pepperoni Pizza/);
    assert.match(r.out, /total \$25\.03/);
  });

  test('"bye" hangs up: the gateway gets the completed status, no order, exit code 1', async () => {
    const r = await runCli(stack, "a large pepperoni pizza\nbye\n");
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /no order was submitted/);
    const callSid = /\(call (CA[0-9a-f]{32})\)/.exec(r.out)?.[1];
    assert.ok(callSid, r.out);
    const status = await redis.hget(redisKeys(stack.redisPrefix).callSession(callSid), "lastCallStatus");
    assert.equal(status, "completed");
  });

  test("bad configuration is refused, naming what is wrong", async () => {
    const r = await runCli(stack, "", ["--to", "212-555-0100", "--location", "paris"]);
    assert.equal(r.code, 2);
    assert.match(r.err, /--location: "paris" is not one of newYork, chicago, denver/);
  });

  test("every scenario of packages/agent plays through the gateway and ends exactly as expected", async () => {
    const only = process.env.SCENARIO;
    const all = (await loadScenarios()).filter((s) => !only || s.name.includes(only));
    assert.ok(only || all.length >= 40, `at least 40 scenarios, found ${all.length}`);
    const play = (s: (typeof all)[number]) => playThroughGateway(stack, redis, s.name, s.scenario);
    const results: GatewayScenarioResult[] = [];
    results.push(...(await inBatches(all.filter((s) => !s.scenario.language && !s.scenario.toolsDown), CONCURRENCY, play)));
    // A language the location does not speak by default: that location speaks it for the call.
    for (const s of all.filter((x) => x.scenario.language && !x.scenario.toolsDown)) {
      const id = DEMO_LOCATIONS[s.scenario.location].id;
      const { language } = await stack.db.db.selectFrom("locations").select("language").where("id", "=", id).executeTakeFirstOrThrow();
      await stack.db.db.updateTable("locations").set({ language: s.scenario.language! }).where("id", "=", id).execute();
      try {
        results.push(await play(s));
      } finally {
        await stack.db.db.updateTable("locations").set({ language }).where("id", "=", id).execute();
      }
    }
    // Tools down: the menu and order services stopped (last: nothing after this needs them).
    const down = all.filter((s) => s.scenario.toolsDown);
    if (down.length > 0) {
      await Promise.all([stack.services.menu.stop(), stack.services.order.stop()]);
      results.push(...(await inBatches(down, CONCURRENCY, play)));
    }
    for (const r of results) console.log(formatGatewayResult(r));
    const exact = results.filter((r) => r.exact).length;
    console.log(`scenarios through the gateway: ${exact}/${results.length} exact`);
    assert.equal(results.length, all.length);
    assert.deepEqual(
      results.filter((r) => !r.exact).map((r) => `${r.name}: ${r.problems.join("; ")}`),
      [],
    );
  });
});
