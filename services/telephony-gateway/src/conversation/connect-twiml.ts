import { fallbackNotice } from "../domain/instructions.ts";
import type { CallSession } from "../state/session.ts";
import type { CallStore } from "../state/store.ts";
import { connectRelay, connectStream, gatherTurn, langOf } from "../twiml.ts";
import { openingGreeting, type TextCallDeps } from "./text-call.ts";

export interface ConnectDeps extends Pick<TextCallDeps, "store" | "engines" | "logger"> {
  publicBaseUrl: string;
  hints: (session: CallSession) => Promise<string[]>;
}

/**
 * The TwiML that puts a call on its current transport: a Media Stream (single-use token), a ConversationRelay
 * session (token, welcome greeting, item-name hints), or the first `<Gather>` turn. `opening` is what the caller
 * hears first: the greeting of a new call, or the fallback notice of a call moving off Realtime.
 */
export async function connectTwiml(deps: ConnectDeps, session: CallSession, opening: { kind: "greeting" } | { kind: "fallback"; cartSummary: string | null }): Promise<string> {
  const store: CallStore = deps.store;
  if (session.transport === "media_stream") return connectStream({ publicBaseUrl: deps.publicBaseUrl, token: await store.issueToken(session.callSid) });
  const hints = await deps.hints(session).catch(() => []);
  let say: string;
  if (opening.kind === "greeting") say = await openingGreeting(deps, session);
  else {
    say = `${fallbackNotice(langOf(session.language), opening.cartSummary)} ${langOf(session.language) === "es" ? "¿Qué más le puedo ofrecer?" : "What else can I get for you?"}`;
    await store.appendTranscript(session.callSid, [{ role: "assistant", text: say, at: new Date().toISOString() }]);
  }
  if (session.transport === "relay") {
    const token = await store.issueToken(session.callSid);
    return connectRelay({ publicBaseUrl: deps.publicBaseUrl, token, language: session.language, welcomeGreeting: say, hints });
  }
  return gatherTurn({ publicBaseUrl: deps.publicBaseUrl, language: session.language, say, hints });
}
