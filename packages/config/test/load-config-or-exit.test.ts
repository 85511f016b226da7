import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const index = fileURLToPath(new URL("../src/index.ts", import.meta.url));

// A tiny "service" whose env.ts loads config; it prints OK only if startup gets past config.
const script = `
import { z } from "zod";
import { loadConfigOrExit, port, databaseUrl, secret } from ${JSON.stringify(index)};
const cfg = loadConfigOrExit(z.object({ PORT: port(8080), DATABASE_URL: databaseUrl(), API_KEY: secret() }));
process.stdout.write("OK " + cfg.PORT);
`;

function run(env: Record<string, string>) {
  return spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    env: { PATH: process.env["PATH"] ?? "", ...env },
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    encoding: "utf8",
  });
}

describe("loadConfigOrExit", () => {
  it("returns the config when it is valid", () => {
    const r = run({ PORT: "9000", API_KEY: "sk-123" });
    assert.equal(r.stderr, "");
    assert.equal(r.status, 0);
    assert.equal(r.stdout, "OK 9000");
  });

  it("prints every problem to stderr and exits 78 before the service starts", () => {
    const r = run({ PORT: "http", DATABASE_URL: "mysql://root:hunter2@db/x" });
    assert.equal(r.status, 78);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^Invalid configuration: 3 problems$/m);
    assert.match(r.stderr, /^ {2}PORT: is not an integer \(expected a TCP port 0-65535\)$/m);
    assert.match(r.stderr, /^ {2}DATABASE_URL: has scheme "mysql", which is not allowed/m);
    assert.match(r.stderr, /^ {2}API_KEY: is not set/m);
    assert.doesNotMatch(r.stderr, /hunter2/);
  });
});
