import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type ToolResult, toolSubject } from "@orderline/contracts";
import { DEMO_LOCATIONS } from "@orderline/db";
import { createTestDatabase, type TestDatabase } from "@orderline/db/testing";
import { connectNats, drainNats, type NatsConnection, requestTool } from "@orderline/nats";
import { freePort, startProcess, startTwilioCloud, type TwilioCloud } from "@orderline/testing";
import { NATS_URL } from "./harness.ts";

const ENTRY = join(import.meta.dirname, "..", "src", "index.ts");

let tdb: TestDatabase;
let nc: NatsConnection;
let cloud: TwilioCloud;
before(async () => {
  tdb = await createTestDatabase({ seed: true });
  nc = await connectNats({ url: NATS_URL, name: "escalation-service-process-test" });
  cloud = await startTwilioCloud();
});
after(async () => {
  if (nc) await drainNats(nc);
  await cloud?.close();
  await tdb?.close();
});

describe("escalation-service process", () => {
  /** Runs the entry point with `env` added and returns its exit code and output. */
  async function exitOf(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
    const proc = await startProcess({ name: "escalation-service", args: [ENTRY], env: { OPS_PORT: "0", ...env }, printLogsOnFailure: false });
    const { code } = await proc.exited;
    return { code, output: proc.logs() };
  }

  it("refuses bad configuration with exit code 78 and names the variable, never its value", async () => {
    const range = await exitOf({ DIAL_TIMEOUT_SECONDS: "2" });
    assert.equal(range.code, 78);
    assert.match(range.output, /DIAL_TIMEOUT_SECONDS: is out of range 5-120/);
    const half = await exitOf({ TWILIO_ACCOUNT_SID: cloud.accountSid });
    assert.equal(half.code, 78);
    assert.match(half.output, /TWILIO_AUTH_TOKEN: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN go together/);
    assert.doesNotMatch(half.output, new RegExp(cloud.accountSid), "values are not printed");
  });

  it("serves transfer_to_human, texts staff through the configured Twilio API, reports metrics, drains on SIGTERM", async () => {
    const prefix = `test-${randomUUID().slice(0, 8)}.`;
    const opsPort = await freePort();
    const proc = await startProcess({
      name: "escalation-service",
      args: [ENTRY],
      env: {
        DATABASE_URL: tdb.url,
        NATS_URL,
        NATS_SUBJECT_PREFIX: prefix,
        OPS_PORT: String(opsPort),
        LOG_LEVEL: "info",
        TWILIO_ACCOUNT_SID: cloud.accountSid,
        TWILIO_AUTH_TOKEN: cloud.authToken,
        TWILIO_API_BASE_URL: cloud.restUrl,
        CALLBACK_WITHIN_MINUTES: "45",
      },
      readyUrl: `http://127.0.0.1:${opsPort}/readyz`,
    });
    try {
      const ny = DEMO_LOCATIONS.newYork;
      // No staff line → callback; the SMS cannot go anywhere, so give the location a line that only takes texts at night.
      await tdb.db.updateTable("location_staff_lines").set({ active: false }).where("location_id", "=", ny.id).execute();
      await tdb.db.insertInto("location_staff_lines").values({ location_id: ny.id, priority: 5, e164: "+12125550109", label: "Night manager" }).execute();
      const line = await tdb.db.selectFrom("location_staff_lines").select("id").where("e164", "=", "+12125550109").executeTakeFirstOrThrow();
      // Reachable only 03:00–03:01 on Mondays: practically never, so the caller gets a callback texted to it.
      await tdb.db.insertInto("staff_line_hours").values({ staff_line_id: line.id, weekday: 1, opens_at: "03:00", closes_at: "03:01" }).execute();

      const callSid = `CA${randomUUID().replaceAll("-", "")}`;
      const reply = await requestTool(
        nc,
        toolSubject("transfer_to_human", prefix),
        { envelope: { callSid, locationId: ny.id, orderSessionId: randomUUID(), callerPhone: "+12125550142" }, args: { reason: "complaint", summary: "Cold pizza." } },
        { timeoutMs: 15_000 },
      );
      assert.ok(reply.ok, JSON.stringify(reply));
      const result = reply.result as ToolResult<"transfer_to_human">;
      assert.equal(result.decision?.action, "callback");
      const sms = cloud.messages.filter((m) => m.to === "+12125550109");
      assert.equal(sms.length, 1);
      assert.match(sms[0]!.body, /^Callback request \(Tony's Pizzeria Midtown\): \(212\) 555-0142\. The caller has a complaint\. Cold pizza\./);

      const metrics = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
      assert.match(metrics, /orderline_escalation_decisions_total\{[^}]*reason="complaint"[^}]*action="callback"[^}]*\} 1/);
      assert.match(metrics, /orderline_tool_requests_total\{[^}]*tool="transfer_to_human"/);
      const exit = await proc.stop();
      assert.equal(exit.code, 0, proc.logs().slice(-2000));
      assert.doesNotMatch(proc.logs(), /\+12125550142/, "the caller's number is not logged");
    } finally {
      await proc.stop();
    }
  });
});
