import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import type { TwilioCloud } from "../src/index.ts";
import { startCloudWithApp, type TwimlApp } from "./support/twiml-app.ts";

let cloud: TwilioCloud;
let app: TwimlApp;

let closeAll: () => Promise<void>;

before(async () => {
  ({ cloud, app, close: closeAll } = await startCloudWithApp());
});

after(() => closeAll());

beforeEach(() => {
  app.hits.length = 0;
});

const gatherTwiml = (attrs: string) =>
  `<Response><Gather input="speech" action="${app.base}/voice/turn" ${attrs}><Say>What can I get you today? We have pizza and calzones.</Say></Gather><Say>Sorry, I didn't hear anything.</Say><Redirect>${app.base}/voice/again</Redirect></Response>`;

const placeCall = (gatherAnswers: Parameters<TwilioCloud["placeCall"]>[0]["gatherAnswers"]) =>
  cloud.placeCall({ url: `${app.base}/voice/incoming`, from: "+14155550100", to: "+14155550199", gatherAnswers });

test("<Gather input=speech>: SpeechResult and Confidence to the action, hints/language/speechTimeout recorded, barge-in cuts the prompt", async () => {
  app.routes = {
    "/voice/incoming": () => gatherTwiml('speechTimeout="auto" speechModel="phone_call" hints="pepperoni,calzone" language="en-US"'),
    "/voice/turn": () => "<Response><Say>Great choice.</Say><Hangup/></Response>",
  };
  const call = placeCall([{ speech: "a large pepperoni", confidence: 0.87, bargeInAfterChars: 10 }]);
  await call.done;
  call.assertNoErrors();
  assert.deepEqual(call.warnings, []);
  const turn = app.hits.find((h) => h.path === "/voice/turn")!;
  assert.equal(turn.signatureValid, true);
  assert.equal(turn.params["SpeechResult"], "a large pepperoni");
  assert.equal(turn.params["Confidence"], "0.87");
  const g = call.gathers[0]!;
  assert.equal(g.attrs["hints"], "pepperoni,calzone");
  assert.equal(g.attrs["language"], "en-US");
  assert.equal(g.attrs["speechTimeout"], "auto");
  assert.deepEqual(g.prompts, ["What can I get you today? We have pizza and calzones."]);
  assert.equal(g.heardPrompt, "What can I", "the caller talked over the rest of the prompt");
  assert.equal(g.bargedIn, true);
  assert.equal(g.actionRequested, true);
  assert.deepEqual(
    call.said.map((s) => [s.text, s.where]),
    [
      ["What can I get you today? We have pizza and calzones.", "gather"],
      ["Great choice.", "call"],
    ],
  );
});

test("no speech: the next verb runs (no action request); Confidence defaults, or is left out with confidence null", async () => {
  app.routes = {
    "/voice/incoming": () => gatherTwiml('speechTimeout="3"'),
    "/voice/again": () => gatherTwiml('speechTimeout="3" bargeIn="false"'),
    "/voice/turn": () => "<Response><Hangup/></Response>",
  };
  const call = placeCall(["timeout", { speech: "hello", bargeInAfterChars: 3 }]);
  await call.done;
  call.assertNoErrors();
  assert.deepEqual(
    app.hits.map((h) => h.path),
    ["/voice/incoming", "/voice/again", "/voice/turn"],
  );
  assert.equal(call.gathers[0]!.actionRequested, false);
  assert.ok(call.said.some((s) => s.text === "Sorry, I didn't hear anything."), "fell through to the next verb");
  assert.equal(app.hits[2]!.params["Confidence"], "0.9");
  assert.equal(call.gathers[1]!.bargedIn, false, 'bargeIn="false": the prompt plays to the end');
  assert.equal(call.gathers[1]!.heardPrompt, call.gathers[1]!.prompts[0]);

  app.hits.length = 0;
  const quiet = placeCall([{ speech: "two calzones", confidence: null }]);
  await quiet.done;
  const post = app.hits.find((h) => h.path === "/voice/turn")!;
  assert.equal(post.params["SpeechResult"], "two calzones");
  assert.equal("Confidence" in post.params, false);
});

test('actionOnEmptyResult="true" posts without SpeechResult; speechTimeout="auto" without a speech model is warning 13335', async () => {
  app.routes = {
    "/voice/incoming": () => gatherTwiml('speechTimeout="auto" actionOnEmptyResult="true"'),
    "/voice/turn": () => "<Response><Hangup/></Response>",
  };
  const call = placeCall(["timeout"]);
  await call.done;
  call.assertNoErrors();
  const post = app.hits.find((h) => h.path === "/voice/turn")!;
  assert.equal("SpeechResult" in post.params, false);
  assert.equal(post.params["CallSid"], call.sid);
  assert.equal(call.gathers[0]!.actionRequested, true);
  assert.deepEqual(
    call.warnings.map((w) => w.code),
    [13335],
  );
});

test("a speech answer to a dtmf-only <Gather> and a bad input value are errors", async () => {
  app.routes = {
    "/voice/incoming": () => `<Response><Gather input="voice" action="${app.base}/voice/turn"/><Gather action="${app.base}/voice/turn"/></Response>`,
    "/voice/turn": () => "<Response/>",
  };
  const call = placeCall(["timeout", { speech: "one" }]);
  await call.done;
  assert.deepEqual(
    call.errors.map((e) => e.code),
    [13310, undefined],
  );
  assert.match(call.errors[1]!.message, /does not accept speech/);
});
