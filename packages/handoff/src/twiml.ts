import type { CallbackDecision, DialDecision, TransferDecision } from "@orderline/contracts";
import twilio from "twilio";

type VoiceResponse = InstanceType<typeof twilio.twiml.VoiceResponse>;
type SayAttributes = NonNullable<Parameters<VoiceResponse["say"]>[0]>;

/** Where Twilio reaches the gateway for one dial attempt (absolute URLs: the TwiML is sent inline). */
export interface DialUrls {
  /** The `<Dial action>`: Twilio posts DialCallStatus there; report it to the escalation service's dialOutcome. */
  actionUrl: string;
  /** The `<Number url>`: Twilio fetches the whisper there when the staff member answers, before bridging. */
  whisperUrl: string;
}

function say(r: VoiceResponse, language: string, text: string): void {
  r.say({ language: language as SayAttributes["language"] }, text);
}

/**
 * Warm transfer for one staff number: the hold line, then `<Dial answerOnBridge callerId timeout action>` with
 * `<Number url=whisper>`. answerOnBridge keeps the caller hearing ringing (not silence) until staff picks up.
 */
export function dialTwiml(d: DialDecision, urls: DialUrls): string {
  const r = new twilio.twiml.VoiceResponse();
  say(r, d.language, d.holdMessage);
  const dial = r.dial({ answerOnBridge: true, callerId: d.callerId, timeout: d.timeoutSeconds, action: urls.actionUrl, method: "POST" });
  dial.number({ url: urls.whisperUrl, method: "POST" }, d.target.number);
  return r.toString();
}

/** What the staff member hears on answering, before the caller is connected. */
export function whisperTwiml(d: DialDecision): string {
  const r = new twilio.twiml.VoiceResponse();
  say(r, d.language, d.whisper);
  return r.toString();
}

/** Nobody could take the call (after the dial attempts): tell the caller about the callback, then hang up. */
export function callbackTwiml(d: CallbackDecision): string {
  const r = new twilio.twiml.VoiceResponse();
  say(r, d.language, d.speech);
  r.hangup();
  return r.toString();
}

/** The transfer is over (staff answered and hung up, or the caller left): end the call. */
export function endTwiml(): string {
  const r = new twilio.twiml.VoiceResponse();
  r.hangup();
  return r.toString();
}

/**
 * ConversationRelay: the `handoffData` of the `end` message for a decision; the Connect action then answers
 * with `dialTwiml` / `callbackTwiml` for the decision it names. A string of JSON, as Twilio passes it on.
 */
export function relayHandoffData(d: TransferDecision): string {
  return JSON.stringify({ kind: "escalation", action: d.action, ...("escalationId" in d ? { escalationId: d.escalationId } : {}) });
}
