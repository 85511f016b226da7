import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type CallFinalizeJob, QUEUES, redisKeys } from "@orderline/contracts";
import { DEMO_LOCATIONS } from "@orderline/db";
import { Queue } from "bullmq";
import { eventually, startWorkerStack, type WorkerStack } from "./support/worker-stack.ts";

const NY = DEMO_LOCATIONS.newYork;
const CHI = DEMO_LOCATIONS.chicago;

function finished(callSid: string, from: string, locationId: string, disposition: CallFinalizeJob["disposition"] = "completed"): CallFinalizeJob {
  return {
    callSid,
    locationId,
    from,
    to: locationId === NY.id ? NY.phone : CHI.phone,
    startedAt: "2026-12-05T18:00:00.000Z",
    endedAt: "2026-12-05T18:02:00.000Z",
    disposition,
    orderId: null,
    transcript: [],
    events: [],
    usage: { inputAudioTokens: 0, inputTextTokens: 0, cachedTokens: 0, outputAudioTokens: 0, outputTextTokens: 0, responses: 0 },
  };
}

describe("the one-question SMS survey after a call (worker process, Twilio REST emulator)", () => {
  let stack: WorkerStack;
  let queue: Queue;
  before(async () => {
    stack = await startWorkerStack();
    await stack.db.db.updateTable("locations").set({ sms_survey_enabled: true }).where("id", "=", NY.id).execute();
    queue = new Queue(QUEUES.callFinalize, { connection: stack.redis, prefix: redisKeys(stack.kit.redisKeyPrefix).bullPrefix() });
  });
  after(async () => {
    await queue?.close();
    await stack?.close();
  });
  const sms = (from: string, to: string, body: string) =>
    stack.cloud.postSigned(`${stack.baseUrl}/twilio/sms/inbound`, { MessageSid: `SM${"b".repeat(32)}`, AccountSid: stack.cloud.accountSid, From: from, To: to, Body: body, NumMedia: "0" });
  const survey = (callSid: string) =>
    stack.db.db.selectFrom("call_surveys as s").innerJoin("voice_calls as v", "v.id", "s.call_id").select(["s.state", "s.score", "s.from_phone", "s.sms_sid"]).where("v.call_sid", "=", callSid).executeTakeFirst();

  test("a finished call at a location with the survey on gets one text; the caller's '4/5' is kept as its score", async () => {
    const caller = "+14155550201";
    await queue.add(QUEUES.callFinalize, finished("CAsurvey0001", caller, NY.id), { jobId: "CAsurvey0001" });
    const msg = await eventually("the survey SMS", async () => stack.cloud.messages.find((m) => m.to === caller));
    assert.equal(msg.body, "How did we do on your call to Tony's Pizzeria Midtown? Reply 1 (poor) to 5 (great). Reply STOP to opt out.");
    const sent = await eventually("the survey row sent", async () => ((await survey("CAsurvey0001"))?.state === "sent" ? survey("CAsurvey0001") : undefined));
    assert.equal(sent!.from_phone, msg.from);
    assert.equal(await sms(caller, sent!.from_phone, " 4/5 "), 200);
    assert.equal((await survey("CAsurvey0001"))!.score, 4);
    // A second reply does not overwrite the first (no survey awaits one any more).
    assert.equal(await sms(caller, sent!.from_phone, "1"), 200);
    assert.equal((await survey("CAsurvey0001"))!.score, 4);
  });

  test("no survey where the location has it off, for an abandoned call, or to a caller who texted STOP", async () => {
    const chicagoCaller = "+14155550202";
    const abandoning = "+14155550203";
    const stopped = "+14155550204";
    assert.equal(await sms(stopped, NY.phone, "STOP"), 200);
    await queue.add(QUEUES.callFinalize, finished("CAsurvey0002", chicagoCaller, CHI.id), { jobId: "CAsurvey0002" });
    await queue.add(QUEUES.callFinalize, finished("CAsurvey0003", abandoning, NY.id, "abandoned"), { jobId: "CAsurvey0003" });
    await queue.add(QUEUES.callFinalize, finished("CAsurvey0004", stopped, NY.id), { jobId: "CAsurvey0004" });
    // Each of the three is stored first; then no survey job is left in its queue.
    for (const sid of ["CAsurvey0002", "CAsurvey0003", "CAsurvey0004"]) {
      await eventually(`${sid} stored`, () => stack.db.db.selectFrom("voice_calls").select("id").where("call_sid", "=", sid).where("finalized_at", "is not", null).executeTakeFirst());
    }
    const surveys = new Queue(QUEUES.callSurvey, { connection: stack.redis, prefix: redisKeys(stack.kit.redisKeyPrefix).bullPrefix() });
    try {
      await eventually("every survey job done", async () => {
        const c = await surveys.getJobCounts("waiting", "active", "delayed");
        return (c["waiting"] ?? 0) + (c["active"] ?? 0) + (c["delayed"] ?? 0) === 0 || undefined;
      });
    } finally {
      await surveys.close();
    }
    for (const phone of [chicagoCaller, abandoning, stopped]) assert.equal(stack.cloud.messages.filter((m) => m.to === phone).length, 0, phone);
    assert.equal(await survey("CAsurvey0002"), undefined);
    assert.equal(await survey("CAsurvey0004"), undefined);
  });
});
