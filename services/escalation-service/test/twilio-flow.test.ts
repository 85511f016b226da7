import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import type { DialDecision, RequestEnvelopeInput, TransferDecision } from "@orderline/contracts";
import { callbackTwiml, dialTwiml, endTwiml, whisperTwiml } from "@orderline/handoff";
import { DENVER, DENVER_EVENING, type Harness, NY, startHarness } from "./harness.ts";

/**
 * A stand-in for the gateway's webhooks that does only what the contract asks: at the first webhook the
 * caller (who has a cart) asks for a person → transfer_to_human; each decision becomes TwiML; the `<Dial>`
 * action's DialCallStatus goes to dial_outcome. The Twilio call simulator then plays that TwiML as Twilio would.
 */
function gatewayStandIn(h: Harness) {
  const calls = new Map<string, { envelope: RequestEnvelopeInput; decision: TransferDecision | null }>();
  let base = "";
  const twimlFor = (callSid: string, d: TransferDecision): string => {
    calls.get(callSid)!.decision = d;
    const q = `callSid=${callSid}`;
    if (d.action === "dial") return dialTwiml(d, { actionUrl: `${base}/voice/dial-result?${q}&attempt=${d.attempt}`, whisperUrl: `${base}/voice/whisper?${q}` });
    if (d.action === "callback") return callbackTwiml(d);
    return endTwiml();
  };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += String(c);
    });
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", base);
        const form = new URLSearchParams(body);
        const callSid = url.searchParams.get("callSid") ?? form.get("CallSid") ?? "";
        let xml: string;
        if (url.pathname === "/voice/incoming") {
          const location = form.get("To") === DENVER.phone ? DENVER : NY;
          const envelope = { callSid, locationId: location.id, orderSessionId: randomUUID(), callerPhone: form.get("From")! };
          calls.set(callSid, { envelope, decision: null });
          await h.db
            .insertInto("voice_calls")
            .values({ call_sid: callSid, location_id: location.id, direction: "inbound", phone_from: envelope.callerPhone, phone_to: location.phone })
            .execute();
          // What the conversation built before the caller asked for a person.
          await h.order("start_order", { order_type: "pickup" }, envelope);
          await h.order("add_item", { item: "pepperoni pizza", size: "large", quantity: 2 }, envelope);
          await h.order("add_item", { item: "caesar salad" }, envelope);
          xml = twimlFor(callSid, await h.decide(envelope, { reason: "caller_request", summary: "Caller asked for a person mid-order." }));
        } else if (url.pathname === "/voice/whisper") {
          xml = whisperTwiml(calls.get(callSid)!.decision as DialDecision);
        } else if (url.pathname === "/voice/dial-result") {
          const { envelope, decision } = calls.get(callSid)!;
          const reply = await h.dialOutcome(envelope, {
            escalationId: (decision as DialDecision).escalationId,
            attempt: Number(url.searchParams.get("attempt")),
            dialCallStatus: form.get("DialCallStatus") as never,
            dialCallDuration: Number(form.get("DialCallDuration") ?? 0),
          });
          if (!reply.ok) throw new Error(`dial_outcome: ${reply.error.code}: ${reply.error.message}`);
          xml = twimlFor(callSid, reply.result);
        } else {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { "content-type": "text/xml" }).end(xml);
      })().catch((err: unknown) => {
        res.writeHead(500).end(String(err));
      });
    });
  });
  return {
    async start() {
      server.listen(0, "127.0.0.1");
      await once(server, "listening");
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return base;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe("the decisions played by the Twilio call simulator", () => {
  let h: Harness;
  let gw: ReturnType<typeof gatewayStandIn>;
  let base: string;
  before(async () => {
    h = await startHarness({ now: DENVER_EVENING });
    gw = gatewayStandIn(h);
    base = await gw.start();
  });
  after(async () => {
    await gw?.close();
    await h?.close();
  });

  test("staff answer: the whisper names the cart before the caller is bridged; the call ends transferred", async () => {
    const call = h.cloud.placeCall({ url: `${base}/voice/incoming`, from: "+12125550142", to: NY.phone, dialOutcomes: [{ status: "completed", durationSec: 75 }] });
    await call.done;
    assert.deepEqual(call.errors, []);
    assert.deepEqual(
      call.dials.map((d) => [d.number, d.callerId, d.outcome.status]),
      [["+12125550101", NY.phone, "completed"]],
    );
    const whisper = call.dials[0]!.whisper.join(" ");
    assert.ok(whisper.includes("The caller asked to speak with a person. Caller asked for a person mid-order."), whisper);
    assert.ok(whisper.includes("Order so far: 2 Large Pepperoni Pizza (Hand-Tossed), 1 Caesar Salad (Ranch); total $60.94."), whisper);
    assert.deepEqual(
      call.said.filter((s) => s.where === "call").map((s) => s.text),
      ["Please hold while I connect you to a team member."],
    );
    const record = await h.db.selectFrom("voice_calls").select(["disposition", "transferred_to", "escalation_reason"]).where("call_sid", "=", call.sid).executeTakeFirstOrThrow();
    assert.deepEqual(record, { disposition: "transferred", transferred_to: "+12125550101", escalation_reason: "caller_request" });
  });

  test("nobody answers in Denver: manager, counter, then the caller hears when to expect the callback and staff get an SMS", async () => {
    const call = h.cloud.placeCall({
      url: `${base}/voice/incoming`,
      from: "+13035550123",
      to: DENVER.phone,
      dialOutcomes: [{ status: "no-answer" }, { status: "busy" }],
    });
    await call.done;
    assert.deepEqual(call.errors, []);
    assert.deepEqual(
      call.dials.map((d) => [d.number, d.outcome.status]),
      [
        ["+13035550101", "no-answer"],
        ["+13035550102", "busy"],
      ],
    );
    assert.deepEqual(
      call.said.filter((s) => s.where === "call").map((s) => s.text),
      [
        "Please hold while I connect you to a team member.",
        "Still trying to reach someone, please hold.",
        "I'm sorry, nobody from the restaurant can come to the phone right now. I've asked them to call you back at (303) 555-0123 within the next 30 minutes.",
      ],
    );
    const stored = await h.db.selectFrom("callback_requests").select(["state", "cause", "sms_sid"]).where("call_sid", "=", call.sid).executeTakeFirstOrThrow();
    assert.equal(stored.state, "open");
    assert.equal(stored.cause, "no_answer");
    const sms = h.cloud.messages.find((m) => m.sid === stored.sms_sid)!;
    assert.equal(sms.to, "+13035550101");
    assert.ok(sms.body.includes("Order so far: 2 Large Pepperoni Pizza (Hand-Tossed), 1 Caesar Salad (Ranch); total $56.55."), sms.body);
  });
});
