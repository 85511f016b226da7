import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { waitFor } from "./wait-for.ts";

describe("waitFor", () => {
  it("returns the first truthy value", async () => {
    let n = 0;
    assert.equal(await waitFor(() => (++n >= 3 ? `after ${n}` : undefined), { message: "three checks", intervalMs: 1 }), "after 3");
  });

  it("keeps polling through errors and async conditions", async () => {
    let n = 0;
    const value = await waitFor(
      async () => {
        n++;
        if (n < 2) throw new Error("not yet");
        return n;
      },
      { message: "the second check", intervalMs: 1 },
    );
    assert.equal(value, 2);
  });

  it("gives up after timeoutMs saying what it waited for and what it last saw", async () => {
    await assert.rejects(waitFor(() => 0, { timeoutMs: 30, intervalMs: 5, message: "the count to grow" }), /timed out after 30 ms waiting for the count to grow \(last value: 0\)/);
    await assert.rejects(
      waitFor(
        () => {
          throw new Error("connection refused");
        },
        { timeoutMs: 30, intervalMs: 5, message: "the server" },
      ),
      /waiting for the server \(last error: connection refused\)/,
    );
  });
});
