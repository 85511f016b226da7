import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { DEMO_DASHBOARD_USERS, verifyPassword } from "@orderline/db";
import { createTestDatabase, type TestDatabase } from "@orderline/db/testing";

const run = promisify(execFile);

describe("users CLI", () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase({ seed: true });
  });
  after(() => t?.close());
  const cli = (args: string[], password = "a-long-password-1") =>
    run(process.execPath, ["src/cli/users.ts", ...args], { cwd: `${import.meta.dirname}/..`, env: { ...process.env, DATABASE_URL: t.url, DASHBOARD_PASSWORD: password } });

  it("adds a staff user of one location with a scrypt hash of the given password; the seed's demo users are there too", async () => {
    const out = await cli(["add", "--email", "Ana@Tonys.Example", "--name", "Ana", "--role", "staff", "--location", "tonys-lodo"]);
    assert.match(out.stdout, /added staff ana@tonys\.example \(tonys-lodo\)/);
    const user = await t.db.selectFrom("dashboard_users").selectAll().where("email", "=", "ana@tonys.example").executeTakeFirstOrThrow();
    assert.equal(await verifyPassword("a-long-password-1", user.password_hash), true);
    const list = await cli(["list"]);
    assert.match(list.stdout, /manager@tonys\.example\s+manager/);
    assert.match(list.stdout, /staff\.midtown@tonys\.example\s+staff/);
    // The documented demo passwords match the seeded hashes.
    for (const demo of Object.values(DEMO_DASHBOARD_USERS)) {
      const row = await t.db.selectFrom("dashboard_users").select("password_hash").where("email", "=", demo.email).executeTakeFirstOrThrow();
      assert.equal(await verifyPassword(demo.password, row.password_hash), true, demo.email);
    }
  });

  it("refuses a short password, an unknown location and a staff user without one, saying which", async () => {
    await assert.rejects(cli(["add", "--email", "b@x.y", "--name", "B", "--role", "staff", "--location", "tonys-lodo"], "short"), /at least 12 characters/);
    await assert.rejects(cli(["add", "--email", "c@x.y", "--name", "C", "--role", "staff", "--location", "nowhere"]), /no location nowhere/);
    await assert.rejects(cli(["add", "--email", "d@x.y", "--name", "D", "--role", "staff"]), /needs at least one --location/);
  });
});
