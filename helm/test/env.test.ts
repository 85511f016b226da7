import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { serviceEnv } from "../../deploy/test/service-env.ts";
import { chart, defaults, examples, helmMerge, readYaml, type Values } from "./chart-files.ts";
import { componentEnv } from "./component-env.ts";

/** Set by the chart but read by no schema on purpose: Kubernetes expands $(POSTGRES_PASSWORD) inside DATABASE_URL; NODE_OPTIONS is node's. */
const NOT_SETTINGS = new Set(["POSTGRES_PASSWORD", "NODE_OPTIONS"]);

const valueSets: [string, Values][] = [["values.yaml", defaults()], ...examples().map((f): [string, Values] => [`examples/${f}`, helmMerge(defaults(), readYaml(join(chart, "examples", f)))])];
const components = (values: Values) => Object.entries(values["components"] as Record<string, Values>).filter(([, c]) => c["enabled"]);

/** Problems of one rendering: variables the service does not read, required ones the chart does not always set. */
async function problems(values: Values): Promise<string[]> {
  const out: string[] = [];
  for (const [name, c] of components(values)) {
    const { reads, required } = await serviceEnv(c["image"] as string);
    const env = componentEnv(name, values);
    for (const k of env.possible) if (!reads.has(k) && !NOT_SETTINGS.has(k)) out.push(`${name}: sets ${k}, which services/${c["image"]}/src/env.ts does not read`);
    for (const k of required) if (!env.certain.has(k)) out.push(`${name}: does not always set ${k}, which its service requires`);
  }
  return out;
}

for (const [file, values] of valueSets) {
  test(`${file}: each component gets only variables its env.ts reads, and every one it requires`, async () => {
    assert.deepEqual(await problems(values), []);
  });
}

test("the env reader follows the component's conditions, secrets and env map, and names what is wrong", async () => {
  const worker = componentEnv("worker", defaults());
  for (const k of ["DATABASE_URL", "REDIS_URL", "PORT", "PUBLIC_BASE_URL", "CONVERSATION_BASE_URL", "WORKER_API_TOKEN", "TWILIO_AUTH_TOKEN", "MODEL_PRICES"]) assert.ok(worker.certain.has(k), k);
  assert.equal(worker.certain.has("SHUTDOWN_GRACE_MS"), false, "only the gateway gets its drain");
  const menu = componentEnv("menu", defaults());
  assert.equal(menu.possible.has("REDIS_URL"), false, "the menu service uses no Redis");
  assert.ok(menu.possible.has("OTEL_EXPORTER_OTLP_ENDPOINT") && !menu.certain.has("OTEL_EXPORTER_OTLP_ENDPOINT"), "set only when telemetry.otlpEndpoint is");
  const broken = helmMerge(defaults(), { components: { worker: { env: { MODEL_PRICES: null, SURPRISE: "1" }, secrets: ["twilio"] } } });
  assert.deepEqual((await problems(broken)).sort(), [
    "worker: does not always set MODEL_PRICES, which its service requires",
    "worker: does not always set WORKER_API_TOKEN, which its service requires",
    "worker: sets SURPRISE, which services/worker/src/env.ts does not read",
  ]);
});
