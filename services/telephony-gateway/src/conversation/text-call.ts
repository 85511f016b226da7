import type { NatsConnection } from "@orderline/nats";
import type { Logger } from "@orderline/telemetry";
import { callContext } from "../call-trace.ts";
import { greetingText } from "../domain/instructions.ts";
import type { GatewayConfig } from "../env.ts";
import type { GatewayMetrics } from "../metrics.ts";
import type { CallSession } from "../state/session.ts";
import type { CallStore } from "../state/store.ts";
import { type Lang, langOf } from "../twiml.ts";
import { CallRecords } from "./call-records.ts";
import type { EscalationDesk } from "./escalation.ts";
import { detectLanguage } from "./language.ts";
import { TextConversation, type TextEngines } from "./text-conversation.ts";
import { ToolDispatcher } from "./tool-dispatch.ts";

export interface TextCallDeps {
  config: GatewayConfig;
  store: CallStore;
  nc: NatsConnection;
  metrics: GatewayMetrics;
  logger: Logger;
  engines: TextEngines;
  /** The escalation service (transfer decisions, dial outcomes, turn assessments). */
  escalation: EscalationDesk;
}

/** A text transport's view of one call: its records, tool dispatch and conversation. */
export interface TextCall {
  session: CallSession;
  records: CallRecords;
  tools: ToolDispatcher;
  conversation: TextConversation;
}

export function openTextCall(deps: TextCallDeps, session: CallSession): TextCall {
  const { config, store, nc, metrics, logger, escalation } = deps;
  const records = new CallRecords(store, session.callSid, logger);
  const tools = new ToolDispatcher(
    { nc, store, metrics, logger, subjectPrefix: config.NATS_SUBJECT_PREFIX, timeoutMs: config.TOOL_TIMEOUT_MS, escalation },
    session,
    records,
    callContext(session),
  );
  const conversation = new TextConversation({ store, metrics, logger, engines: deps.engines, escalation }, session, records, tools);
  return { session, records, tools, conversation };
}

/** The greeting a text call opens with; recorded in the transcript and the engine's history. */
export async function openingGreeting(deps: Pick<TextCallDeps, "store" | "engines" | "logger">, session: CallSession): Promise<string> {
  const text = greetingText(session);
  const records = new CallRecords(deps.store, session.callSid, deps.logger);
  await records.transcript("assistant", text);
  const engine = session.engine === "realtime" ? undefined : deps.engines[session.engine];
  if (engine?.initialState) await deps.store.setEngineState(session.callSid, JSON.stringify({ engine: session.engine, data: await engine.initialState(text, session) }));
  return text;
}

/** The caller spoke another language clearly: the call follows them (speech recognition and TTS too). */
export async function followCallerLanguage(store: CallStore, session: CallSession, callerText: string): Promise<Lang | null> {
  const said = detectLanguage(callerText);
  if (said === null || said === langOf(session.language)) return null;
  const language = said === "es" ? "es-US" : "en-US";
  await store.patch(session.callSid, { language });
  session.language = language;
  return said;
}
