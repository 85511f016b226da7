import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { type RequestEnvelopeInput, TOOLS, ToolFailure, type ToolResult, toolSubject } from "@orderline/contracts";
import { createLogger } from "@orderline/telemetry";
import { z } from "zod";
import { connectNats, defineRequest, drainNats, INTERNAL_ERROR_MESSAGE, type NatsConnection, requestTool, serveTools, toolHandlers } from "../src/index.ts";

const NATS_URL = process.env["NATS_URL"] ?? "nats://127.0.0.1:4222";

let nc: NatsConnection;
before(async () => {
  nc = await connectNats({ url: NATS_URL, name: "nats-tool-handlers-test" });
});
after(async () => {
  await drainNats(nc);
});

const envelope = (): RequestEnvelopeInput => ({ callSid: `CA${randomUUID().replaceAll("-", "")}`, locationId: randomUUID(), orderSessionId: randomUUID() });
const prefix = () => `test-${randomUUID().slice(0, 8)}.`;
const quiet = () => createLogger({ service: "nats-test", level: "silent" });

const waitTime = (minutes: number): ToolResult<"get_wait_time"> => ({ orderType: "pickup", minutes, openOrders: 0, speech: `About ${minutes} minutes.` });

describe("toolHandlers", () => {
  it("serves every tool of a service on its registry subject, validating arguments with the registry schema", async () => {
    const p = prefix();
    const seen: string[] = [];
    const impl = (name: string) => () => {
      seen.push(name);
      return { name } as never;
    };
    const handlers = toolHandlers(
      "menu",
      {
        get_menu: impl("get_menu"),
        get_item_details: impl("get_item_details"),
        get_specials: impl("get_specials"),
        check_availability: impl("check_availability"),
        get_hours: impl("get_hours"),
        get_location: impl("get_location"),
        get_wait_time: (args) => waitTime(args.order_type === "delivery" ? 45 : 15),
      },
      { subjectPrefix: p },
    );
    assert.deepEqual(
      handlers.map((h) => h.subject),
      ["get_menu", "get_item_details", "get_specials", "check_availability", "get_hours", "get_location", "get_wait_time"].map((n) => `${p}orderline.tools.menu.${n}`),
    );
    const server = serveTools(nc, { service: "menu-service", handlers, logger: quiet() });
    const ok = await requestTool(nc, toolSubject("get_wait_time", p), { envelope: envelope(), args: { order_type: "delivery" } }, { result: TOOLS.get_wait_time.result });
    assert.deepEqual(ok, { ok: true, result: { orderType: "pickup", minutes: 45, openOrders: 0, speech: "About 45 minutes." } });
    const bad = await requestTool(nc, toolSubject("get_wait_time", p), { envelope: envelope(), args: { order_type: "dine_in" } });
    assert.ok(!bad.ok);
    assert.equal(bad.error.code, "invalid_arguments");
    assert.match(bad.error.message, /^Invalid arguments: order_type: /);
    // A result that does not match the registry's result schema never reaches the caller.
    const wrong = await requestTool(nc, toolSubject("get_menu", p), { envelope: envelope(), args: {} });
    assert.deepEqual(wrong, { ok: false, error: { code: "internal", message: INTERNAL_ERROR_MESSAGE } });
    assert.deepEqual(seen, ["get_menu"]);
    await server.stop();
  });

  it("refuses a tool of another service", () => {
    assert.throws(
      () => toolHandlers("menu", { add_item: () => undefined as never } as never),
      /add_item belongs to the order service, not menu/,
    );
  });
});

describe("serveTools({ requests })", () => {
  const SetColour = z.strictObject({ id: z.uuid(), colour: z.enum(["red", "blue"]) });

  it("answers requests without an envelope through the same reply and error path", async () => {
    const p = prefix();
    const server = serveTools(nc, {
      service: "order-service",
      requests: [
        defineRequest(
          `${p}set_colour`,
          "set_colour",
          SetColour,
          (req) => {
            if (req.colour === "blue") throw new ToolFailure("order_not_editable", "That one can't be blue.", { id: req.id });
            return { changed: true };
          },
          { result: z.object({ changed: z.boolean() }) },
        ),
        defineRequest(`${p}broken`, "broken", z.object({}), () => Promise.reject(new Error("disk on fire"))),
      ],
      logger: quiet(),
    });
    const send = async (subject: string, body: string) => JSON.parse((await nc.request(`${p}${subject}`, body, { timeout: 5000 })).string()) as unknown;
    const id = randomUUID();
    assert.deepEqual(await send("set_colour", JSON.stringify({ id, colour: "red" })), { ok: true, result: { changed: true } });
    assert.deepEqual(await send("set_colour", JSON.stringify({ id, colour: "blue" })), {
      ok: false,
      error: { code: "order_not_editable", message: "That one can't be blue.", details: { id } },
    });
    const invalid = (await send("set_colour", JSON.stringify({ colour: "green" }))) as { ok: false; error: { code: string; message: string } };
    assert.equal(invalid.error.code, "invalid_arguments");
    assert.match(invalid.error.message, /^Invalid request: id: .*; colour: /);
    assert.deepEqual(await send("set_colour", "{not json"), { ok: false, error: { code: "invalid_arguments", message: "The request is not valid JSON." } });
    assert.deepEqual(await send("broken", "{}"), { ok: false, error: { code: "internal", message: INTERNAL_ERROR_MESSAGE } });
    await server.stop();
  });
});
