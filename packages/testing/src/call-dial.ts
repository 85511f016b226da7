import type { DialRecord, VerbResult } from "./call-types.ts";
import { newSid } from "./call-util.ts";
import type { SimulatedCall } from "./simulated-call.ts";
import { parseTwiml, type TwimlNode } from "./twiml.ts";

/**
 * `<Dial callerId action answerOnBridge><Number url statusCallback statusCallbackEvent>` (docs/PROTOCOLS.md
 * §2): the child call's status callbacks, the whisper TwiML played to the staff member, the scripted
 * outcome, then the action with DialCallStatus/DialCallSid/DialCallDuration (or the next verb without one).
 */
export async function runDial(call: SimulatedCall, verb: TwimlNode, docUrl: string): Promise<VerbResult> {
  const numberNode = verb.children.find((c) => c.name === "Number");
  const number = numberNode ? numberNode.text : verb.text;
  if (!/^\+[1-9]\d{6,14}$/.test(number)) call.error(`<Dial> number "${number}" is not E.164`, 13223);
  const callerId = verb.attrs["callerId"];
  if (callerId !== undefined && !/^\+[1-9]\d{6,14}$/.test(callerId)) call.error(`<Dial callerId="${callerId}"> is not E.164`, 13214);
  const outcome = call.nextDialOutcome();
  const whisperUrl = call.resolveUrl(numberNode?.attrs["url"], docUrl);
  const rec: DialRecord = {
    number,
    callerId,
    timeout: verb.attrs["timeout"],
    action: call.resolveUrl(verb.attrs["action"], docUrl),
    answerOnBridge: verb.attrs["answerOnBridge"],
    whisperUrl,
    whisper: [],
    outcome,
    childCallSid: newSid("CA"),
  };
  call.dials.push(rec);
  call.record("dial", { number, callerId, action: rec.action, whisperUrl, outcome });
  const child = {
    AccountSid: call.cloud.accountSid,
    ApiVersion: "2010-04-01",
    CallSid: rec.childCallSid,
    ParentCallSid: call.sid,
    Direction: "outbound-dial",
    From: callerId ?? call.from,
    To: number,
    Called: number,
    Caller: callerId ?? call.from,
  };
  const numberEvents = (numberNode?.attrs["statusCallbackEvent"] ?? "completed").split(/[\s,]+/).filter(Boolean);
  const numberCallback = call.resolveUrl(numberNode?.attrs["statusCallback"], docUrl);
  const childStatus = (event: string, status: string) => {
    if (numberEvents.includes(event)) {
      const method = numberNode?.attrs["statusCallbackMethod"]?.toUpperCase() === "GET" ? "GET" : "POST";
      call.callback("dial-status", numberCallback, { ...child, CallStatus: status, CallbackSource: "call-progress-events" }, method);
    }
  };
  childStatus("initiated", "initiated");
  childStatus("ringing", "ringing");
  if (outcome.status === "completed") {
    childStatus("answered", "in-progress");
    if (whisperUrl) {
      const res = await call.request("whisper", whisperUrl, numberNode?.attrs["method"]?.toUpperCase() === "GET" ? "GET" : "POST", { ...child, CallStatus: "in-progress" });
      if (!res || res.status >= 300) call.error(`whisper ${whisperUrl} answered ${res ? `HTTP ${res.status}` : "nothing"}`, 11200);
      else {
        try {
          for (const w of parseTwiml(res.body).children) {
            if (w.name === "Say") {
              rec.whisper.push(w.text);
              call.say(w, "whisper");
            } else if (w.name === "Pause" || w.name === "Play") call.record(`whisper-${w.name.toLowerCase()}`);
            else call.record("whisper-verb", { verb: w.name });
          }
        } catch (err) {
          call.error(`whisper TwiML from ${whisperUrl} rejected: ${(err as Error).message}`, 12100);
        }
      }
    }
    call.addCallMs((outcome.durationSec ?? 30) * 1000);
  }
  childStatus("completed", outcome.status);
  const callerGone = outcome.status === "completed" && outcome.callerHangsUp === true;
  if (callerGone) call.setStatus("completed", "completed");
  // No action: Twilio moves on to the next verb (and ends the call when there is none).
  if (!rec.action) return callerGone ? "hangup" : undefined;
  const next = await call.fetchTwiml("dial-action", rec.action, call.method(verb), {
    DialCallStatus: outcome.status,
    DialCallSid: rec.childCallSid,
    DialCallDuration: String(outcome.status === "completed" ? (outcome.durationSec ?? 30) : 0),
    DialBridged: String(outcome.status === "completed"),
  });
  return callerGone ? "hangup" : (next ?? "hangup");
}
