import assert from "node:assert/strict";
import { test } from "node:test";
import { buildContextFiles, deployables, dockerignore, dockerignoreRules, dockerTargets, read } from "./repo.ts";

const dockerfile = read("deploy/docker/Dockerfile");

test("the Dockerfile has a target per deployable, running its entry point, plus migrate", () => {
  const targets = dockerTargets();
  for (const d of deployables()) {
    const t = targets.find((x) => x.name === d);
    assert.ok(t, `no target ${d}`);
    assert.equal(t.project, `services/${d}`);
    // The gateway starts with its package start script's V8 flags (node refuses them in NODE_OPTIONS).
    const v8 = d === "telephony-gateway" ? ["--max-semi-space-size=2", "--heap-growing-percent=20"] : [];
    assert.deepEqual(t.cmd, ["node", ...v8, `services/${d}/src/index.ts`]);
  }
  // ... and its start script's allocator setting.
  const start: string = JSON.parse(read("services/telephony-gateway/package.json")).scripts.start;
  const arenas = /MALLOC_ARENA_MAX=(\d+)/.exec(start)?.[1];
  assert.ok(arenas, "the gateway's start script sets MALLOC_ARENA_MAX");
  assert.match(dockerfile, new RegExp(`FROM runtime AS telephony-gateway[^]*?MALLOC_ARENA_MAX=${arenas}[^]*?CMD`));
  for (const t of targets) assert.ok(t.name === "migrate" || deployables().includes(t.name), `target ${t.name} has no services/${t.name}`);
  assert.deepEqual(targets.find((t) => t.name === "migrate")?.cmd, ["node", "packages/db/src/cli/migrate.ts", "latest"]);
});

test("images: Node 24 LTS base, tini as PID 1, non-root, healthcheck, pnpm pinned to packageManager", () => {
  assert.match(dockerfile, /^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
  assert.match(dockerfile, /^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
  assert.match(dockerfile, /^USER node$/m);
  assert.match(dockerfile, /^HEALTHCHECK .*\n.*\/healthz/m);
  const pnpm = /^ARG PNPM_VERSION=(\S+)$/m.exec(dockerfile)?.[1];
  assert.equal(`pnpm@${pnpm}`, (JSON.parse(read("package.json")) as { packageManager: string }).packageManager);
  // Production dependencies only (the web page's build tools stay in its builder stage).
  assert.match(dockerfile, /pnpm fetch --prod/);
  assert.match(dockerfile, /^FROM fetch-web AS dashboard-web\nCOPY \. \.\nRUN sh deploy\/docker\/build-web\.sh \/pnpm\/store$/m);
  assert.match(dockerfile, /^FROM runtime AS dashboard\n(?:.*\n)*?COPY --from=dashboard-web \/app\/services\/dashboard\/web\/dist \/app\/services\/dashboard\/web\/dist$/m);
  assert.match(read("deploy/docker/install-app.sh"), /pnpm install --frozen-lockfile --offline --prod .* --filter-prod/);
});

test(".dockerignore sends the sources and lockfile but no local dependencies, secrets or git", () => {
  const files = buildContextFiles();
  for (const needed of ["pnpm-lock.yaml", "pnpm-workspace.yaml", "package.json", "deploy/docker/install-app.sh", "deploy/docker/build-web.sh", "packages/db/src/cli/migrate.ts", "services/dashboard/web/index.html"]) {
    assert.ok(files.includes(needed), `${needed} is not in the build context`);
  }
  for (const d of deployables()) assert.ok(files.includes(`services/${d}/src/index.ts`), d);
  const ig = dockerignore(dockerignoreRules());
  for (const never of ["node_modules/x/index.js", "packages/db/node_modules/pg/index.js", ".git/HEAD", ".env", "deploy/env/local.env", ".tools/node", "docs/DEVELOPING.md", "e2e/test/a.test.ts", "services/dashboard/web/dist/index.html"]) {
    assert.ok(ig.ignores(never), `${never} would be sent to the daemon`);
  }
});
