import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { chart, defaults, repo, templates, type Values } from "./chart-files.ts";
import { actions, blockProblems, pathExists, valuesRefs } from "./template-refs.ts";

const components = () => defaults()["components"] as Record<string, Values>;
const tpl = (file: string) => readFileSync(join(chart, "templates", file), "utf8");

test("every template's {{ }} actions are closed and its if/range/with/define blocks balanced", () => {
  const problems = templates().flatMap(({ file, text }) => blockProblems(text).map((p) => `${file} ${p}`));
  assert.deepEqual(problems, []);
});

test("the block checker notices an unended block and a stray end", () => {
  assert.deepEqual(blockProblems("{{ if .a }}x"), ['line 1: "if" is never ended']);
  assert.deepEqual(blockProblems("{{ with .a }}{{ end }}\n{{- end }}"), ['line 2: "end" closes nothing']);
  assert.throws(() => actions("{{ if .a }"), /never closed/);
});

test("every .Values path a template uses exists in values.yaml", () => {
  const values = defaults();
  const missing: string[] = [];
  let count = 0;
  for (const { file, text } of templates()) {
    for (const ref of valuesRefs(text)) {
      count++;
      if (!pathExists(ref.path, values, ref.guarded)) missing.push(`${file}:${ref.line} .Values.${ref.path.join(".")}${ref.guarded ? " (in no entry)" : ""}`);
    }
  }
  assert.ok(count > 80, `found only ${count} references: is the reader still right?`);
  assert.deepEqual(missing, []);
});

test("the reference reader follows range variables, with blocks and helper roots", () => {
  const text = [
    "{{- range $name, $c := .Values.components }}{{ $c.hpa.minReplicas }}{{ with $c.port }}{{ . }}{{ end }}{{ end }}",
    "{{- with .Values.telemetry }}{{ .logLevel }}{{ end }}",
    '{{- define "x" }}{{ $s := .root.Values.secrets }}{{ $s.twilio.nope }}{{ end }}',
  ].join("\n");
  const refs = valuesRefs(text).map((r) => `${r.path.join(".")}${r.guarded ? "?" : ""}`);
  assert.deepEqual(refs, ["components", "components.*.hpa.minReplicas", "components.*.port?", "telemetry?", "telemetry.logLevel", "secrets", "secrets.twilio.nope"]);
  const values = defaults();
  assert.equal(pathExists(["components", "*", "port"], values), false, "menu has no port");
  assert.equal(pathExists(["components", "*", "port"], values, true), true);
  assert.equal(pathExists(["secrets", "twilio", "nope"], values), false);
});

test("every component runs a service that exists and an image the Dockerfile builds", () => {
  const dockerfile = readFileSync(join(repo, "deploy", "docker", "Dockerfile"), "utf8");
  for (const [name, c] of Object.entries(components())) {
    const image = c["image"] as string;
    assert.match(dockerfile, new RegExp(`^FROM runtime AS ${image}$`, "m"), `${name}: no Dockerfile target ${image}`);
    assert.ok(existsSync(join(repo, "services", image, "src", "index.ts")), `${name}: services/${image}/src/index.ts does not exist`);
  }
  assert.match(dockerfile, /^FROM runtime AS migrate$/m, "the migration Job's image");
});

test("probes: liveness /healthz and readiness /readyz on the ops port every service serves them on", () => {
  const app = tpl("app.yaml");
  assert.match(app, /livenessProbe:\s+httpGet: \{ path: \/healthz, port: ops \}/);
  assert.match(app, /readinessProbe:\s+httpGet: \{ path: \/readyz, port: ops \}/);
  assert.match(app, /- \{ name: OPS_PORT, value: \{\{ \$c\.opsPort \| quote \}\} \}/);
  for (const [name, c] of Object.entries(components())) assert.equal(c["opsPort"], 9464, `${name}: the images serve ops on 9464`);
});

test("the gateway scales on a live-calls gauge the gateway registers, with CPU as the fallback", () => {
  const gw = components()["gateway"] as { hpa: { liveCalls: { metricName: string } } };
  const metrics = readFileSync(join(repo, "services", "telephony-gateway", "src", "metrics.ts"), "utf8");
  assert.match(metrics, new RegExp(`m\\.gauge\\(\\{ name: "${gw.hpa.liveCalls.metricName}"`));
  const hpa = tpl("autoscaling.yaml");
  assert.match(hpa, /- type: Pods\s+pods:\s+metric: \{ name: \{\{ \$c\.hpa\.liveCalls\.metricName \}\} \}/);
  assert.match(hpa, /- type: Resource\s+resource: \{ name: cpu/);
});

test("the gateway's preStop makes it drain (SIGUSR2, which its entry point handles) before SIGTERM", () => {
  assert.match(tpl("app.yaml"), /preStop:\s+exec:\s+command: \["sh", "-c", "kill -USR2 1; sleep /);
  const entry = readFileSync(join(repo, "services", "telephony-gateway", "src", "index.ts"), "utf8");
  assert.match(entry, /process\.on\("SIGUSR2"/);
  const gw = components()["gateway"] as Record<string, number>;
  assert.ok(gw["terminationGracePeriodSeconds"]! >= gw["preStopSeconds"]! + gw["shutdownGraceSeconds"]! + 30);
});

test("the migration Job is a pre-install/pre-upgrade hook with an external Postgres", () => {
  const job = tpl("migrations-job.yaml");
  assert.match(job, /"helm\.sh\/hook": \{\{ ternary "post-install,post-upgrade" "pre-install,pre-upgrade" \$internal \}\}/);
  assert.match(tpl("_helpers.tpl"), /node packages\/db\/src\/cli\/migrate\.ts latest/);
  assert.ok(existsSync(join(repo, "packages", "db", "src", "cli", "migrate.ts")));
});

test("NOTES.txt gives the Twilio webhook URLs of routes the services serve", () => {
  const notes = tpl("NOTES.txt");
  const gateway = readFileSync(join(repo, "services", "telephony-gateway", "src", "webhooks.ts"), "utf8");
  const worker = readFileSync(join(repo, "services", "worker", "src", "http", "twilio-routes.ts"), "utf8");
  const workerApp = readFileSync(join(repo, "services", "worker", "src", "service.ts"), "utf8");
  for (const path of ["/voice/incoming", "/voice/status"]) {
    assert.ok(notes.includes(`{{ .Values.publicBaseUrl }}${path}`), path);
    assert.ok(gateway.includes(`router.post("${path}"`), `the gateway serves ${path}`);
  }
  assert.ok(notes.includes("{{ .Values.publicBaseUrl }}/twilio/sms/inbound"));
  assert.ok(worker.includes('router.post("/sms/inbound"') && workerApp.includes('app.use(\n    "/twilio"'), "the worker serves /twilio/sms/inbound");
});

test("the ingress sends WebSockets through nginx with call-long timeouts, and nothing but the webhook paths", () => {
  const ingress = tpl("ingress.yaml");
  assert.match(ingress, /nginx\.ingress\.kubernetes\.io\/proxy-read-timeout: \{\{ \.Values\.ingress\.websocketTimeoutSeconds \| quote \}\}/);
  assert.match(ingress, /nginx\.ingress\.kubernetes\.io\/proxy-send-timeout/);
  const paths = [...ingress.matchAll(/- path: (\S+)/g)].map((m) => m[1]);
  assert.deepEqual(paths, ["/voice", "/twilio", "/v1", "/orders", "/"]);
});

test("the worker's routes the ingress sends to it exist: webhooks, staff/POS API, the confirmation API (NOTES gives its URL)", () => {
  const worker = readFileSync(join(repo, "services", "worker", "src", "service.ts"), "utf8");
  for (const prefix of ["/twilio", "/v1", "/orders"]) assert.match(worker, new RegExp(`app\\.use\\(\\s*"${prefix}"`), prefix);
  const confirmation = readFileSync(join(repo, "services", "worker", "src", "http", "confirmation-api.ts"), "utf8");
  assert.ok(confirmation.includes('router.post("/call"'), "the worker serves POST /orders/call");
  assert.ok(tpl("NOTES.txt").includes("POST {{ .Values.publicBaseUrl }}/orders/call"));
});

test("the dashboard: its host goes to the http port (metrics stay on ops), it scales on CPU, has a PDB and the shared probes", () => {
  const ingress = tpl("ingress.yaml");
  assert.match(ingress, /- host: \{\{ \.Values\.ingress\.dashboardHost \}\}\s+http:\s+paths:\s+- path: \/\s+pathType: Prefix\s+backend: \{ service: \{ name: \{\{ \$full \}\}-\{\{ \$c\.dashboard\.image \}\}, port: \{ name: http \} \} \}/);
  const d = components()["dashboard"] as { hpa: { enabled: boolean; targetCPUUtilizationPercentage: number }; pdb: { enabled: boolean }; port: number; opsPort: number };
  assert.ok(d.hpa.enabled && d.hpa.targetCPUUtilizationPercentage > 0 && d.pdb.enabled);
  assert.notEqual(d.port, d.opsPort);
  assert.match(tpl("autoscaling.yaml"), /range \$name, \$c := \.Values\.components/);
});
