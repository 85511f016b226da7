import assert from "node:assert/strict";
import { test } from "node:test";
import twilio from "twilio";
import { bodySha256, decodeForm, encodeForm, signJsonWebhook, twilioSignature } from "./signature.ts";

// docs/PROTOCOLS.md §3 test vectors.
const TOKEN = "12345";
const FORM_URL = "https://mycompany.com/myapp";
const FORM_PARAMS = { CallSid: "CA1234567890ABCDE", Caller: "+12349013030", Digits: "1234", From: "+12349013030", To: "+18005551212" };
const BODY = '{"CallSid":"CA1234567890ABCDE","Caller":"+12349013030"}';

test("form-post signature reproduces the docs/PROTOCOLS.md §3 vector and twilio's own", () => {
  const sig = twilioSignature(TOKEN, FORM_URL, FORM_PARAMS);
  assert.equal(sig, "3KI2uRuYyAdhZIJXcpU0izDUzWI=");
  assert.equal(sig, twilio.getExpectedTwilioSignature(TOKEN, FORM_URL, FORM_PARAMS));
  assert.ok(twilio.validateRequest(TOKEN, sig, FORM_URL, FORM_PARAMS));
  assert.ok(!twilio.validateRequest(TOKEN, sig, FORM_URL, { ...FORM_PARAMS, Digits: "1235" }), "a changed param must not validate");
});

test("JSON-body signature reproduces the bodySHA256 vector and validateRequestWithBody accepts it", () => {
  assert.equal(bodySha256(BODY), "5ccde7145dfb8f56479710896586cb9d5911809d83afbe34627818790db0aec9");
  const { url, signature } = signJsonWebhook(TOKEN, "https://example.com/myapp", BODY);
  assert.equal(url, "https://example.com/myapp?bodySHA256=5ccde7145dfb8f56479710896586cb9d5911809d83afbe34627818790db0aec9");
  assert.equal(signature, "hPXmLwIy3Fgqv1i9KPmH/HhQ6zo=");
  assert.ok(twilio.validateRequestWithBody(TOKEN, signature, url, BODY));
  assert.ok(!twilio.validateRequestWithBody(TOKEN, signature, url, `${BODY} `), "a changed body must not validate");
});

test("WebSocket upgrade signature over the wss URL with {} params", () => {
  const sig = twilioSignature(TOKEN, "wss://example.com/media-stream", {});
  assert.equal(sig, "XFfwGS2Ev7f9qAP9MmRoMS7C724=");
  assert.ok(twilio.validateRequest(TOKEN, sig, "wss://example.com/media-stream", {}));
});

test("repeated params are de-duplicated and sorted like twilio-node", () => {
  const params = { StatusCallbackEvent: ["ringing", "answered", "ringing", "completed"], To: "+15005550006" };
  assert.equal(twilioSignature("tok", "https://x.test/cb", params), twilio.getExpectedTwilioSignature("tok", "https://x.test/cb", params));
  assert.deepEqual(decodeForm(encodeForm(params)), { StatusCallbackEvent: ["ringing", "answered", "ringing", "completed"], To: "+15005550006" });
});

test("an empty auth token is refused with a clear error", () => {
  assert.throws(() => twilioSignature("", FORM_URL), /authToken must not be empty/);
});
