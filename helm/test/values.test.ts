import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { Ajv } from "ajv";
import { chart, defaults, examples, helmMerge, readYaml, schema, type Values } from "./chart-files.ts";

const validate = new Ajv({ allErrors: true, strict: false }).compile(schema());
const errorsOf = (values: Values) => (validate(values) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

test("values.yaml satisfies values.schema.json", () => {
  assert.deepEqual(errorsOf(defaults()), []);
});

test("there are small and large example values files", () => {
  assert.ok(examples().includes("values-small.yaml") && examples().includes("values-large.yaml"), examples().join(", "));
});

for (const file of examples()) {
  test(`examples/${file} merged over values.yaml satisfies the schema`, () => {
    assert.deepEqual(errorsOf(helmMerge(defaults(), readYaml(join(chart, "examples", file)))), []);
  });
}

/** Each case: a change to the defaults, and the instance path the schema must name. */
const BAD: { what: string; change: Values; path: string }[] = [
  { what: "zero replicas", change: { components: { menu: { replicas: 0 } } }, path: "/components/menu/replicas" },
  { what: "a plain-http public URL", change: { publicBaseUrl: "http://voice.example.com" }, path: "/publicBaseUrl" },
  { what: "a public URL with a path", change: { publicBaseUrl: "https://voice.example.com/twilio/" }, path: "/publicBaseUrl" },
  { what: "an unknown top-level key", change: { replicaCount: 3 }, path: "" },
  { what: "an unknown component key", change: { components: { order: { replica: 2 } } }, path: "/components/order" },
  { what: "an unknown component", change: { components: { billing: { enabled: true } } }, path: "/components" },
  { what: "a bad pull policy", change: { image: { pullPolicy: "Sometimes" } }, path: "/image/pullPolicy" },
  { what: "an unknown audio mode", change: { components: { gateway: { env: { AUDIO_MODE: "opus" } } } }, path: "/components/gateway/env/AUDIO_MODE" },
  { what: "a connection variable in env", change: { components: { order: { env: { DATABASE_URL: "postgres://x" } } } }, path: "/components/order/env" },
  { what: "a lower-case env name", change: { components: { order: { env: { debug: "1" } } } }, path: "/components/order/env" },
  { what: "a memory request without unit syntax", change: { components: { worker: { resources: { requests: { cpu: "1", memory: "lots" } } } } }, path: "/components/worker/resources/requests/memory" },
  { what: "CPU target above 100 %", change: { components: { order: { hpa: { targetCPUUtilizationPercentage: 150 } } } }, path: "/components/order/hpa/targetCPUUtilizationPercentage" },
  { what: "a live-calls metric on a non-gateway component", change: { components: { menu: { hpa: { liveCalls: { enabled: true, metricName: "x", averageValue: 1 } } } } }, path: "/components/menu/hpa" },
  { what: "a call drain on a non-gateway component", change: { components: { worker: { shutdownGraceSeconds: 60 } } }, path: "/components/worker" },
  { what: "a gateway without the Twilio secret", change: { components: { gateway: { secrets: ["openai"] } } }, path: "/components/gateway/secrets" },
  { what: "an unknown secret", change: { components: { order: { secrets: ["stripe"] } } }, path: "/components/order/secrets/0" },
  { what: "a worker without model prices", change: { components: { worker: { env: { MODEL_PRICES: null } } } }, path: "/components/worker/env" },
  { what: "bad quiet hours", change: { components: { worker: { env: { QUIET_HOURS: "9pm-9am" } } } }, path: "/components/worker/env/QUIET_HOURS" },
  { what: "an unknown Postgres mode", change: { postgres: { mode: "managed" } }, path: "/postgres/mode" },
  { what: "external Postgres without a URL secret", change: { postgres: { mode: "external", external: { urlSecret: { name: "", key: "" } } } }, path: "/postgres/external/urlSecret/name" },
  { what: "external Redis with neither URL nor secret", change: { redis: { mode: "external" } }, path: "/redis/external" },
  { what: "external NATS without a URL", change: { nats: { mode: "external" } }, path: "/nats/external/url" },
  { what: "a NATS URL with another scheme", change: { nats: { mode: "external", external: { url: "http://nats:4222" } } }, path: "/nats/external/url" },
  { what: "a subject prefix without the trailing dot", change: { nats: { subjectPrefix: "staging" } }, path: "/nats/subjectPrefix" },
  { what: "an unknown log level", change: { telemetry: { logLevel: "verbose" } }, path: "/telemetry/logLevel" },
  { what: "a websocket timeout below a minute", change: { ingress: { websocketTimeoutSeconds: 30 } }, path: "/ingress/websocketTimeoutSeconds" },
  { what: "NODE_OPTIONS that are not flags", change: { components: { gateway: { nodeOptions: "max-old-space-size=512" } } }, path: "/components/gateway/nodeOptions" },
];

for (const bad of BAD) {
  test(`the schema rejects ${bad.what}, naming ${bad.path || "the root"}`, () => {
    const values = helmMerge(defaults(), bad.change);
    assert.equal(validate(values), false, `accepted ${JSON.stringify(bad.change)}`);
    const paths = (validate.errors ?? []).map((e) => e.instancePath);
    assert.ok(paths.includes(bad.path), `errors at ${JSON.stringify(paths)}, none at ${bad.path}`);
  });
}
