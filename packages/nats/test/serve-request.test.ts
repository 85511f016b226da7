import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { ToolFailure } from "@orderline/contracts";
import { createLogger } from "@orderline/telemetry";
import { z } from "zod";
import { connectNats, drainNats, INTERNAL_ERROR_MESSAGE, type NatsConnection, serveRequest } from "../src/index.ts";

const NATS_URL = process.env["NATS_URL"] ?? "nats://127.0.0.1:4222";

describe("serveRequest", () => {
  let nc: NatsConnection;
  before(async () => {
    nc = await connectNats({ url: NATS_URL, name: "serve-request-test" });
  });
  after(async () => {
    await drainNats(nc);
  });

  it("answers like a tool reply: result, a clear invalid request, a domain error, bad JSON, internal", async () => {
    const subject = `test-${randomUUID().slice(0, 8)}.orderline.things.set_state`;
    const sub = serveRequest(nc, {
      subject,
      queue: "things",
      args: z.strictObject({ id: z.uuid(), to: z.enum(["open", "done"]) }),
      handle: async (a) => {
        if (a.to === "open") throw new ToolFailure("forbidden", "Not yours.");
        if (a.id.startsWith("0")) throw new Error("database down");
        return { id: a.id, changed: true };
      },
      logger: createLogger({ service: "serve-request-test", level: "silent" }),
      what: "set thing state",
    });
    const ask = async (body: string) => (await nc.request(subject, body, { timeout: 5000 })).json();
    const id = "9b7d3c1e-5a2f-4c1e-9d3b-2f6a8e4c7b10";
    assert.deepEqual(await ask(JSON.stringify({ id, to: "done" })), { ok: true, result: { id, changed: true } });
    assert.deepEqual(await ask(JSON.stringify({ id: "x", to: "done" })), { ok: false, error: { code: "invalid_arguments", message: "Invalid request: id: Invalid UUID" } });
    assert.deepEqual(await ask(JSON.stringify({ id, to: "open" })), { ok: false, error: { code: "forbidden", message: "Not yours." } });
    assert.deepEqual(await ask("{nope"), { ok: false, error: { code: "invalid_arguments", message: "The request is not valid JSON." } });
    assert.deepEqual(await ask(JSON.stringify({ id: `0${id.slice(1)}`, to: "done" })), { ok: false, error: { code: "internal", message: INTERNAL_ERROR_MESSAGE } });
    await sub.drain();
  });
});
