import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { compose, deployables, dockerTargets, read, repo } from "./repo.ts";
import { serviceEnv } from "./service-env.ts";

const c = compose();
const services = c.services;
const built = Object.entries(services).filter(([, s]) => s.build);

test("docker-compose.yml parses and has the infrastructure, the migration job and every deployable", () => {
  for (const name of ["postgres", "redis", "nats", "migrate", "otel-collector", "prometheus", "grafana"]) assert.ok(services[name], `no ${name}`);
  const builtTargets = built.map(([, s]) => s.build!.target);
  for (const d of deployables()) assert.ok(builtTargets.includes(d), `no compose service builds target ${d}`);
});

test("every build names the Dockerfile and one of its targets", () => {
  const targets = new Set(dockerTargets().map((t) => t.name));
  assert.ok(targets.size >= 7, `found only ${[...targets].join(", ")} in the Dockerfile`);
  for (const [name, s] of built) {
    assert.ok(existsSync(join(repo, s.build!.context, s.build!.dockerfile)), `${name}: ${s.build!.dockerfile} does not exist`);
    assert.ok(targets.has(s.build!.target ?? ""), `${name}: target ${s.build!.target} is not in the Dockerfile`);
  }
});

test("depends_on names existing services, health-gated: healthy needs a healthcheck, completed a one-shot", () => {
  for (const [name, s] of Object.entries(services)) {
    for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
      const target = services[dep];
      assert.ok(target, `${name} depends on ${dep}, which is not a service`);
      assert.ok(["service_healthy", "service_completed_successfully", "service_started"].includes(condition), `${name} → ${dep}: ${condition}`);
      if (condition === "service_healthy") assert.ok(target.healthcheck?.test && !target.healthcheck.disable, `${name} waits for ${dep} to be healthy, but ${dep} has no healthcheck`);
      if (condition === "service_completed_successfully") assert.equal(target.restart, "no", `${dep} is waited for to complete, so it must not restart`);
      // A service must not depend on one only another profile starts.
      const mine = s.profiles ?? [];
      const theirs = target.profiles ?? [];
      assert.ok(theirs.length === 0 || theirs.some((p) => mine.includes(p)), `${name} (profiles ${mine}) depends on ${dep} (profiles ${theirs})`);
    }
  }
});

test("every application service waits for the migration and its infrastructure, and is health-checked on /readyz", () => {
  for (const [name, s] of built) {
    if (name === "migrate") continue;
    const deps = s.depends_on ?? {};
    assert.equal(deps["migrate"]?.condition, "service_completed_successfully", name);
    assert.equal(deps["postgres"]?.condition, "service_healthy", name);
    assert.equal(deps["nats"]?.condition, "service_healthy", name);
    if (s.environment?.["REDIS_URL"]) assert.equal(deps["redis"]?.condition, "service_healthy", `${name} uses Redis`);
    assert.match(JSON.stringify(s.healthcheck?.test), /\/readyz/, name);
    assert.deepEqual(s.profiles, ["app"], name);
  }
  assert.match(services["migrate"]!.command!.join(" "), /node packages\/db\/src\/cli\/migrate\.ts latest/);
});

const apps = built.filter(([, s]) => s.build!.target !== "migrate" && deployables().includes(s.build!.target!));

test("every variable compose gives a service is one its env schema reads", async () => {
  assert.equal(apps.length, deployables().length, "one compose service per deployable");
  for (const [name, s] of apps) {
    const { reads } = await serviceEnv(s.build!.target!);
    const unknown = Object.keys(s.environment ?? {}).filter((k) => k !== "NODE_OPTIONS" && !reads.has(k));
    assert.deepEqual(unknown, [], `${name} sets variables its env.ts does not read`);
  }
});

test("compose gives every service each variable its env schema requires", async () => {
  for (const [name, s] of apps) {
    const { required } = await serviceEnv(s.build!.target!);
    const missing = [...required].filter((k) => !(k in (s.environment ?? {})));
    assert.deepEqual(missing, [], `${name} cannot start without these, and compose does not set them`);
  }
});

/** Variables compose takes from the shell or --env-file: `${NAME}`, `${NAME:-default}`. */
const interpolated = () => [...new Set([...read("docker-compose.yml").matchAll(/\$\{([A-Z][A-Z0-9_]*)(?::?-[^}]*)?\}/g)].map((m) => m[1]!))];
/** Names deploy/env/local.env.example documents (set, or commented out as `# NAME=`). */
const documented = () => new Set([...read("deploy/env/local.env.example").matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));

test("deploy/env/local.env.example documents every variable compose interpolates and every variable a service reads", async () => {
  const doc = documented();
  assert.deepEqual(interpolated().filter((k) => !doc.has(k)), [], "compose interpolates these, the env example does not name them");
  for (const d of deployables()) {
    const { reads } = await serviceEnv(d);
    assert.deepEqual([...reads].filter((k) => !doc.has(k)), [], `${d} reads these, deploy/env/local.env.example does not name them`);
  }
});

test("the env readers notice a variable no schema reads and a required one left out", async () => {
  const worker = await serviceEnv("worker");
  assert.ok(worker.reads.has("CONVERSATION_BASE_URL") && !worker.required.has("CONVERSATION_BASE_URL"));
  for (const k of ["WORKER_API_TOKEN", "MODEL_PRICES", "TWILIO_INBOUND_PRICE_PER_MIN", "TWILIO_OUTBOUND_PRICE_PER_MIN", "PUBLIC_BASE_URL"]) assert.ok(worker.required.has(k), k);
  assert.equal(worker.reads.has("NO_SUCH_SETTING"), false);
  assert.ok(interpolated().includes("PUBLIC_BASE_URL"));
});

test("Redis runs with noeviction and AOF, NATS with JetStream, and each keeps its data in a volume", () => {
  const redis = services["redis"]!.command!.join(" ");
  assert.match(redis, /--maxmemory-policy noeviction/);
  assert.match(redis, /--appendonly yes/);
  assert.ok(services["nats"]!.command!.includes("-js"));
  for (const [svc, volume] of [["postgres", "pgdata"], ["redis", "redisdata"], ["nats", "natsdata"]] as const) {
    assert.ok(services[svc]!.volumes!.some((v) => v.startsWith(`${volume}:`)), svc);
    assert.ok(c.volumes && volume in c.volumes, `volume ${volume} is not declared`);
  }
});

test("the observability profile's mounted files exist", () => {
  let mounts = 0;
  for (const [name, s] of Object.entries(services)) {
    for (const v of s.volumes ?? []) {
      const host = v.split(":")[0]!;
      if (!host.startsWith("./")) continue;
      mounts++;
      assert.ok(existsSync(join(repo, host)), `${name} mounts ${host}, which does not exist`);
    }
  }
  assert.ok(mounts >= 5, `only ${mounts} bind mounts found`);
  for (const name of ["otel-collector", "prometheus", "grafana"]) assert.deepEqual(services[name]!.profiles, ["observability"], name);
});
