import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "@orderline/config";
import { parseOrderServiceEnv } from "./env.ts";

describe("order-service env", () => {
  it("has working defaults", () => {
    const env = parseOrderServiceEnv({});
    assert.equal(env.OPS_PORT, 9464);
    assert.equal(env.LARGE_ORDER_TOTAL_CENTS, 25_000);
    assert.equal(env.LARGE_ORDER_ITEM_COUNT, 20);
    assert.equal(env.REWARD_POINTS_PER_DOLLAR, 1);
    assert.equal(env.NATS_SUBJECT_PREFIX, "");
  });
  it("names every bad variable", () => {
    assert.throws(
      () => parseOrderServiceEnv({ LARGE_ORDER_TOTAL_CENTS: "-5", NATS_URL: "http://x", REWARD_POINTS_PER_DOLLAR: "lots" }),
      (err: unknown) =>
        err instanceof ConfigError && /LARGE_ORDER_TOTAL_CENTS/.test(err.message) && /NATS_URL/.test(err.message) && /REWARD_POINTS_PER_DOLLAR/.test(err.message),
    );
  });
});
