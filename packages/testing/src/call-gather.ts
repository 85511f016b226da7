import type { GatherRecord, VerbResult } from "./call-types.ts";
import { utteranceAt } from "./relay-caller.ts";
import type { SimulatedCall } from "./simulated-call.ts";
import type { TwimlNode } from "./twiml.ts";

const INPUTS = new Set(["dtmf", "speech", "dtmf speech", "speech dtmf"]);

/**
 * `<Gather>` (docs/PROTOCOLS.md §10): nested `<Say>`/`<Play>`/`<Pause>` are played (and recorded as heard,
 * cut where the caller barges in), then the scripted answer: speech → action with `SpeechResult` and
 * `Confidence`, digits → `Digits`, nothing → the next verb, or the action without a result when
 * `actionOnEmptyResult="true"`. Default action: the current document's URL.
 */
export async function runGather(call: SimulatedCall, verb: TwimlNode, docUrl: string): Promise<VerbResult> {
  const input = verb.attrs["input"] ?? "dtmf";
  if (!INPUTS.has(input)) call.error(`<Gather input="${input}">: input must be dtmf, speech or "dtmf speech"`, 13310);
  if (input.includes("speech") && verb.attrs["speechTimeout"] === "auto" && (verb.attrs["speechModel"] ?? "default") === "default") {
    call.warn('<Gather speechTimeout="auto"> needs a speechModel other than "default" (e.g. phone_call); Twilio falls back to a fixed timeout', 13335);
  }
  const language = verb.attrs["language"];
  if (language !== undefined && !/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(language)) call.error(`<Gather language="${language}"> is not a language code`, 13310);
  const prompts: string[] = [];
  for (const child of verb.children) {
    if (child.name === "Say") {
      prompts.push(child.text);
      call.say(child, "gather");
    } else if (child.name === "Pause") await call.pause(child);
    else if (child.name === "Play") call.record("play", { url: child.text, where: "gather" });
    else call.error(`<${child.name}> is not allowed inside <Gather>`, 12200);
  }
  const answer = call.nextGatherAnswer();
  if (typeof answer === "object" && "speech" in answer && answer.thinkUntil) await answer.thinkUntil;
  const action = call.resolveUrl(verb.attrs["action"], docUrl) ?? (docUrl === "(inline)" ? undefined : docUrl);
  const fullPrompt = prompts.join(" ");
  const rec: GatherRecord = { action, answer, input, attrs: { ...verb.attrs }, prompts, heardPrompt: fullPrompt, bargedIn: false, actionRequested: false };
  if (typeof answer === "object" && "speech" in answer && answer.bargeInAfterChars !== undefined) {
    if (verb.attrs["bargeIn"] === "false") call.record("gather-barge-in-ignored", { afterChars: answer.bargeInAfterChars });
    else if (answer.bargeInAfterChars < fullPrompt.length) {
      rec.heardPrompt = utteranceAt(fullPrompt, answer.bargeInAfterChars);
      rec.bargedIn = true;
    }
  }
  call.gathers.push(rec);
  call.record("gather", { input, action, answer, heardPrompt: rec.heardPrompt, bargedIn: rec.bargedIn });
  if (answer === "hangup") {
    call.record("caller-hangs-up", { where: "gather" });
    return "hangup";
  }
  if (answer === "timeout") {
    if (verb.attrs["actionOnEmptyResult"] !== "true" || !action) return undefined;
    rec.actionRequested = true;
    return (await call.fetchTwiml("gather", action, call.method(verb))) ?? "hangup";
  }
  const extra: Record<string, string> = {};
  if ("speech" in answer) {
    if (!input.includes("speech")) call.error(`gather answer is speech but <Gather input="${input}"> does not accept speech`);
    extra["SpeechResult"] = answer.speech;
    const confidence = answer.confidence === undefined ? 0.9 : answer.confidence;
    if (confidence !== null) extra["Confidence"] = String(confidence);
  } else {
    if (!input.includes("dtmf")) call.error(`gather answer is digits but <Gather input="${input}"> does not accept dtmf`);
    extra["Digits"] = answer.digits;
  }
  if (!action) {
    call.error("<Gather> in inline TwiML without an absolute action URL", 11100);
    return "hangup";
  }
  rec.actionRequested = true;
  return (await call.fetchTwiml("gather", action, call.method(verb), extra)) ?? "hangup";
}
