import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hashPassword, UNMATCHABLE_HASH, verifyPassword } from "./passwords.ts";

describe("dashboard password hashes", () => {
  it("verify the password they were made from and nothing else; two hashes of one password differ (per-user salt)", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    assert.match(a, /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    assert.notEqual(a, b);
    assert.equal(await verifyPassword("correct horse battery", a), true);
    assert.equal(await verifyPassword("correct horse batterY", a), false);
    assert.equal(await verifyPassword("", a), false);
  });

  it("refuse short and huge passwords when set; a malformed or unmatchable hash matches nothing", async () => {
    await assert.rejects(hashPassword("short"), /at least 12 characters/);
    await assert.rejects(hashPassword("x".repeat(257)), /at most 256 characters/);
    assert.equal(await verifyPassword("anything at all", "plain-text"), false);
    assert.equal(await verifyPassword("anything at all", UNMATCHABLE_HASH), false);
  });
});
