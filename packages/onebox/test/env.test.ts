import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ConfigError } from "@orderline/config";
import { mergeDotenv, parseOneboxEnv } from "../src/env.ts";
import { STOP_ORDER, serviceSpecs } from "../src/services.ts";
import { consoleInstructions, webhookUrls } from "../src/urls.ts";

const dir = mkdtempSync(join(tmpdir(), "onebox-env-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const SID = `AC${"ab".repeat(16)}`;
const TOKEN = "0123456789abcdef0123456789abcdef";
const GOOD = { TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: "https://voice.example.com/", WORKER_API_TOKEN: "a-long-enough-worker-token" };

/** The problems of a configuration as `VARIABLE: problem` (without the expected-value hint). */
function problems(vars: Record<string, string>): string[] {
  try {
    parseOneboxEnv(vars);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues.map((i) => `${i.variable}: ${i.problem}`);
  }
  assert.fail("the configuration was accepted");
}

describe("one-box configuration", () => {
  test("an empty .env names every required variable as not set", () => {
    assert.deepEqual(problems({}), ["TWILIO_ACCOUNT_SID: is not set", "TWILIO_AUTH_TOKEN: is not set", "PUBLIC_BASE_URL: is not set", "WORKER_API_TOKEN: is not set"]);
  });

  test("each wrong variable is named with what is wrong, and secret values are never echoed", () => {
    const secretToken = "not-a-twilio-token";
    const found = problems({
      ...GOOD,
      TWILIO_ACCOUNT_SID: "AC123",
      TWILIO_AUTH_TOKEN: secretToken,
      TWILIO_PHONE_NUMBERS: "+12125550100, 212-555-0101",
      PUBLIC_BASE_URL: "http://voice.example.com",
      WORKER_API_TOKEN: "short",
      DATABASE_URL: "mysql://db/orderline",
      NATS_URL: "nats://ok:4222,http://bad:4222",
      GATEWAY_PORT: "70000",
      WORKER_PORT: "9464",
      LOG_LEVEL: "loud",
      SHUTDOWN_GRACE_MS: "forever",
    });
    assert.deepEqual(found, [
      "TWILIO_ACCOUNT_SID: has the wrong format",
      "TWILIO_AUTH_TOKEN: has the wrong format",
      "TWILIO_PHONE_NUMBERS: number #2 is not an E.164 phone number (like +14155550123)",
      "PUBLIC_BASE_URL: is not https:// (Twilio's webhooks and Media Streams need https)",
      "WORKER_API_TOKEN: has the wrong format",
      'DATABASE_URL: has scheme "mysql", which is not allowed',
      'NATS_URL: server #2 has scheme "http", which is not allowed',
      "GATEWAY_PORT: is out of range 0-65535",
      "LOG_LEVEL: is not a known log level",
      "SHUTDOWN_GRACE_MS: is not a duration",
    ]);
    try {
      parseOneboxEnv({ ...GOOD, TWILIO_AUTH_TOKEN: secretToken });
    } catch (err) {
      assert.doesNotMatch((err as Error).message, new RegExp(secretToken));
      assert.match((err as Error).message, /TWILIO_AUTH_TOKEN: has the wrong format \(expected a Twilio auth token \(32 hex digits\)\)/);
    }
  });

  test("two services on one port are refused, naming the port", () => {
    assert.deepEqual(problems({ ...GOOD, WORKER_PORT: "9466" }), ["OPS_PORT_BASE: port 9466 is also WORKER_PORT"]);
  });

  test("defaults: loopback infrastructure, the usual ports, a trailing slash dropped from the public URL", () => {
    const env = parseOneboxEnv(GOOD);
    assert.equal(env.PUBLIC_BASE_URL, "https://voice.example.com");
    assert.equal(env.DATABASE_URL, "postgres://postgres:postgres@127.0.0.1:5432/orderline");
    assert.deepEqual([env.GATEWAY_PORT, env.WORKER_PORT, env.DASHBOARD_PORT, env.OPS_PORT_BASE], [8080, 8090, 8070, 9464]);
    assert.equal(env.OPENAI_API_KEY, undefined);
  });

  test(".env values are read with quotes and comments, and the process environment wins over the file", () => {
    const vars = mergeDotenv('# Twilio\nTWILIO_AUTH_TOKEN="from-file"\nLOG_LEVEL=debug # noisy\nPUBLIC_BASE_URL=https://file.example.com\n', { PUBLIC_BASE_URL: "https://env.example.com" });
    assert.equal(vars["TWILIO_AUTH_TOKEN"], "from-file");
    assert.equal(vars["LOG_LEVEL"], "debug");
    assert.equal(vars["PUBLIC_BASE_URL"], "https://env.example.com");
  });

  test("start.sh with a bad .env prints every problem with the file's name and exits 78 before starting anything", () => {
    const file = join(dir, "bad.env");
    writeFileSync(file, "TWILIO_ACCOUNT_SID=AC123\nPUBLIC_BASE_URL=https://voice.example.com\n");
    const r = spawnSync(process.execPath, [join(import.meta.dirname, "../src/main.ts"), "--env-file", file], { encoding: "utf8", env: { PATH: process.env["PATH"] } });
    assert.equal(r.status, 78, r.stderr);
    assert.equal(r.stdout, "", "nothing was started");
    assert.match(r.stderr, new RegExp(`^Invalid configuration in ${file}: 3 problems\\n`));
    for (const v of ["TWILIO_ACCOUNT_SID: has the wrong format", "TWILIO_AUTH_TOKEN: is not set", "WORKER_API_TOKEN: is not set"]) assert.ok(r.stderr.includes(`  ${v}`), `${v} in:\n${r.stderr}`);
  });
});

describe("services and URLs", () => {
  test("every service gets its own ops port and readiness URL; the gateway stops first and the tool services last", () => {
    const root = join(dir, "checkout");
    mkdirSync(join(root, "services", "dashboard"), { recursive: true });
    writeFileSync(join(root, "services", "dashboard", "package.json"), "{}");
    const env = parseOneboxEnv({ ...GOOD, OPS_PORT_BASE: "20000", SHUTDOWN_GRACE_MS: "45s" });
    const specs = serviceSpecs(env, { EXTRA_SETTING: "passed through" }, { root });
    assert.deepEqual(
      specs.map((s) => [s.name, s.readyUrl, s.env["PORT"]]),
      [
        ["menu-service", "http://127.0.0.1:20000/readyz", undefined],
        ["order-service", "http://127.0.0.1:20001/readyz", undefined],
        ["escalation-service", "http://127.0.0.1:20002/readyz", undefined],
        ["worker", "http://127.0.0.1:20003/readyz", "8090"],
        ["dashboard", "http://127.0.0.1:20004/readyz", "8070"],
        ["telephony-gateway", "http://127.0.0.1:20005/readyz", "8080"],
      ],
    );
    assert.deepEqual(STOP_ORDER.slice(0, 2), ["telephony-gateway", "worker"]);
    assert.deepEqual(STOP_ORDER.slice(-3), ["escalation-service", "order-service", "menu-service"]);
    assert.ok(specs.every((s) => s.env["EXTRA_SETTING"] === "passed through"));
    assert.equal(specs.at(-1)!.stopTimeoutMs, 50_000, "the gateway's drain (45 s) plus 5 s");
    assert.equal(serviceSpecs(env, {}, { root: join(dir, "no-dashboard") }).length, 5, "no dashboard package, no dashboard process");
  });

  test("the console instructions give voice, status and SMS URLs per number and flag a number no location routes", () => {
    const env = parseOneboxEnv({ ...GOOD, WORKER_PUBLIC_BASE_URL: "https://worker.example.com" });
    const lines = consoleInstructions(webhookUrls(env), [
      { e164: "+12125550100", location: "Midtown" },
      { e164: "+12125550199", location: null },
    ]).join("\n");
    assert.match(lines, /\+12125550100 {2}\(Midtown\)\n.*Webhook {2}https:\/\/voice\.example\.com\/voice\/incoming {2}\(HTTP POST\)\n.*https:\/\/voice\.example\.com\/voice\/status/);
    assert.match(lines, /A message comes in: {2}Webhook {2}https:\/\/worker\.example\.com\/twilio\/sms\/inbound/);
    assert.match(lines, /\+12125550199 {2}— NOT ROUTED/);
  });
});
