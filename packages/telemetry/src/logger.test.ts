import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { createLogger } from "./logger.ts";

function capture(level?: "info" | "debug" | "warn") {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, logger: createLogger({ service: "menu-service", level, destination, redact: ["customer.address"] }) };
}

describe("createLogger", () => {
  it("writes JSON lines with service, ISO time and the level as a label", () => {
    const { lines, logger } = capture();
    logger.info({ callSid: "CA1" }, "call started");
    assert.equal(lines.length, 1);
    const line = lines[0]!;
    assert.equal(line["service"], "menu-service");
    assert.equal(line["level"], "info");
    assert.equal(line["msg"], "call started");
    assert.equal(line["callSid"], "CA1");
    assert.match(String(line["time"]), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal("trace_id" in line, false);
  });

  it("respects the level", () => {
    const { lines, logger } = capture("warn");
    logger.info("hidden");
    logger.warn("shown");
    assert.deepEqual(
      lines.map((l) => l["msg"]),
      ["shown"],
    );
  });

  it("redacts authorization headers, tokens, keys and card data", () => {
    const { lines, logger } = capture();
    logger.info(
      {
        req: { headers: { authorization: "Bearer sk-live-123", cookie: "sid=abc", accept: "*/*" } },
        headers: { authorization: "Basic dXNlcjpwYXNz" },
        token: "tok_1",
        twilio: { authToken: "tw-secret", accountSid: "AC123" },
        openai: { apiKey: "sk-proj-xyz" },
        payment: { cardNumber: "4111111111111111", cvv: "123" },
        card: { number: "4242424242424242", last4: "4242" },
        customer: { name: "Ann", address: "1 Main St" },
      },
      "request",
    );
    const text = JSON.stringify(lines[0]);
    for (const secret of ["sk-live-123", "sid=abc", "dXNlcjpwYXNz", "tok_1", "tw-secret", "sk-proj-xyz", "4111111111111111", "4242424242424242", "1 Main St", '"123"']) {
      assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    }
    const line = lines[0] as { req: { headers: Record<string, string> }; twilio: Record<string, string>; card: Record<string, string> };
    assert.equal(line.req.headers["authorization"], "[redacted]");
    assert.equal(line.req.headers["accept"], "*/*");
    assert.equal(line.twilio["accountSid"], "AC123");
    assert.equal(line.card["last4"], "4242");
  });
});
