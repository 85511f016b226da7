import type { CallTransport, ConversationEngine } from "@orderline/contracts";
import type { GatewayConfig } from "../env.ts";
import type { StoredConversationSettings } from "../repositories/calls.ts";
import type { ConversationSettings } from "../state/session.ts";

/**
 * The settings a call runs with: the location's row (or the gateway's defaults), bounded by what this gateway
 * can run — with no OpenAI key every location takes <Gather> turns with the local agent.
 */
export function effectiveSettings(stored: StoredConversationSettings | null, locationLanguage: string, config: GatewayConfig): ConversationSettings {
  const s: ConversationSettings = {
    mode: stored?.mode ?? config.DEFAULT_CONVERSATION_MODE,
    textEngine: stored?.textEngine ?? config.DEFAULT_TEXT_ENGINE,
    realtimeModel: stored?.realtimeModel ?? config.OPENAI_REALTIME_MODEL,
    voice: stored?.voice ?? config.OPENAI_REALTIME_VOICE,
    language: stored?.language ?? locationLanguage,
  };
  if (!config.OPENAI_API_KEY) return { ...s, mode: "gather", textEngine: "local" };
  return s;
}

/** The transport and engine a call starts on. */
export function startingPoint(s: ConversationSettings): { transport: CallTransport; engine: ConversationEngine } {
  if (s.mode === "realtime") return { transport: "media_stream", engine: "realtime" };
  return { transport: s.mode, engine: s.textEngine === "openai" ? "openai_text" : "local" };
}

/** Where a Media Stream call goes when Realtime cannot hold it (null: to staff). */
export function fallbackPoint(s: ConversationSettings, config: GatewayConfig): { transport: CallTransport; engine: "openai_text" | "local" } | null {
  if (config.FALLBACK_TRANSPORT === "none") return null;
  return { transport: config.FALLBACK_TRANSPORT, engine: s.textEngine === "openai" && config.OPENAI_API_KEY ? "openai_text" : "local" };
}
