import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DEMO_LOCATIONS } from "@orderline/db";
import { freePort, Stack } from "./harness.ts";

const NY = DEMO_LOCATIONS.newYork;

describe("state unavailable: a static answer instead of silence", () => {
  const redisDown = new Stack();
  const postgresDown = new Stack();
  const realtimeDown = new Stack();
  const everythingDown = new Stack();
  before(async () => {
    await Promise.all([redisDown.start(), postgresDown.start(), realtimeDown.start(), everythingDown.start()]);
    // FALLBACK_TRANSPORT=none: these gateways hand a Realtime failure to staff (the move to a text transport is
    // tested in conversation-fallback.test.ts).
    await realtimeDown.startInProcess({ OPENAI_REALTIME_URL: `ws://127.0.0.1:${await freePort()}/v1/realtime`, FALLBACK_TRANSPORT: "none" });
    await everythingDown.startInProcess({
      OPENAI_REALTIME_URL: `ws://127.0.0.1:${await freePort()}/v1/realtime`,
      TWILIO_API_BASE_URL: `http://127.0.0.1:${await freePort()}`,
      FALLBACK_TRANSPORT: "none",
    });
    // Nothing listens on these ports: the dependency is down.
    await redisDown.startInProcess({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    await postgresDown.startInProcess({ DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/orderline`, FALLBACK_TRANSFER_NUMBER: "+12125550999" });
  });
  after(() => Promise.all([redisDown.close(), postgresDown.close(), realtimeDown.close(), everythingDown.close()]));

  test("Redis down: apology and <Dial> the store's staff number, readiness fails", async () => {
    const call = redisDown.placeCall({ from: "+14155550301", to: NY.phone, dialOutcomes: [{ status: "completed", durationSec: 5 }] });
    await call.done;
    assert.match(call.said[0]!.text, /having trouble/);
    assert.equal(call.streams.length, 0);
    assert.equal(call.dials.length, 1);
    assert.equal(call.dials[0]!.number, NY.staffPhones[0]);
    assert.equal((await fetch(`http://127.0.0.1:${redisDown.port}/readyz`)).status, 503);
    assert.equal((await fetch(`http://127.0.0.1:${redisDown.port}/healthz`)).status, 200, "liveness does not depend on Redis");
  });

  test("Postgres down: apology and <Dial> the configured fallback number", async () => {
    const call = postgresDown.placeCall({ from: "+14155550302", to: NY.phone, dialOutcomes: [{ status: "completed", durationSec: 5 }] });
    await call.done;
    assert.match(call.said[0]!.text, /having trouble/);
    assert.equal(call.dials.length, 1);
    assert.equal(call.dials[0]!.number, "+12125550999");
  });

  test("Realtime API unreachable: the caller hears an apology and is transferred to staff", async () => {
    const call = realtimeDown.placeCall({ from: "+14155550303", to: NY.phone });
    await call.done;
    call.assertNoErrors();
    assert.equal(call.streams.length, 1);
    assert.ok(call.said.some((s) => /technical trouble/.test(s.text)));
    assert.equal(call.dials.length, 1);
    assert.equal(call.dials[0]!.number, NY.staffPhones[0]);
    const job = await realtimeDown.finalizeJob(call.sid);
    assert.equal(job.disposition, "transferred");
    assert.ok(job.events.some((e) => e.type === "realtime_error" && e.data.phase === "connect"));
  });

  test("Realtime and the Twilio REST API both unreachable: the stream closes and after-stream dials the store", async () => {
    const call = everythingDown.placeCall({ from: "+14155550304", to: NY.phone });
    await call.done;
    call.assertNoErrors();
    assert.equal(call.streams[0]!.outcome, "closed-by-server");
    assert.ok(call.said.some((s) => /having trouble/.test(s.text)));
    assert.equal(call.dials.length, 1);
    assert.equal(call.dials[0]!.number, NY.staffPhones[0]);
  });
});
