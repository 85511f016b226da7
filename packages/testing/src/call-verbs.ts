import { runConnect } from "./call-connect.ts";
import { runDial } from "./call-dial.ts";
import { runGather } from "./call-gather.ts";
import type { VerbResult } from "./call-types.ts";
import type { SimulatedCall } from "./simulated-call.ts";
import type { TwimlNode } from "./twiml.ts";

/** Runs one TwiML verb (docs/PROTOCOLS.md §2); anything Twilio would not accept here is error 12100. */
export async function runVerb(call: SimulatedCall, verb: TwimlNode, docUrl: string): Promise<VerbResult> {
  switch (verb.name) {
    case "Say":
      call.say(verb, "call");
      return undefined;
    case "Play":
      call.record("play", { url: verb.text, digits: verb.attrs["digits"] });
      return undefined;
    case "Pause":
      await call.pause(verb);
      return undefined;
    case "Hangup":
      call.record("hangup-verb");
      return "hangup";
    case "Reject":
      call.record("reject", { reason: verb.attrs["reason"] ?? "rejected" });
      call.setStatus(verb.attrs["reason"] === "busy" ? "busy" : "no-answer", "completed");
      return "hangup";
    case "Redirect": {
      const url = call.resolveUrl(verb.text, docUrl);
      if (!url) return "hangup";
      call.record("redirect", { url });
      return (await call.fetchTwiml("redirect", url, call.method(verb))) ?? "hangup";
    }
    case "Gather":
      return runGather(call, verb, docUrl);
    case "Dial":
      return runDial(call, verb, docUrl);
    case "Connect":
      return runConnect(call, verb, docUrl);
    default:
      call.error(`unsupported or misplaced TwiML verb <${verb.name}> in ${docUrl}`, 12100);
      return "hangup";
  }
}
