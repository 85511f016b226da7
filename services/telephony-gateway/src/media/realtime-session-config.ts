import { realtimeTools } from "@orderline/contracts";
import type { RealtimeClientEvent } from "openai/resources/realtime/realtime";
import { toolSetOf } from "../conversation/tool-set.ts";
import { buildInstructions } from "../domain/instructions.ts";
import type { GatewayConfig } from "../env.ts";
import type { CallSession } from "../state/session.ts";

/** The model a call's Realtime sessions use: the location's choice, else the configured default. */
export function realtimeModel(config: GatewayConfig, session: CallSession): string {
  return session.location.conversation?.realtimeModel ?? config.OPENAI_REALTIME_MODEL;
}

/** `session.update` for a call (docs/PROTOCOLS.md §5, §8): instructions, audio formats, turn detection, tools. */
export function sessionUpdate(config: GatewayConfig, session: CallSession, pcm: boolean): RealtimeClientEvent {
  const format = pcm ? ({ type: "audio/pcm", rate: 24000 } as const) : ({ type: "audio/pcmu" } as const);
  const voice = session.location.conversation?.voice ?? config.OPENAI_REALTIME_VOICE;
  return {
    type: "session.update",
    session: {
      type: "realtime",
      model: realtimeModel(config, session),
      instructions: buildInstructions(session),
      output_modalities: ["audio"],
      audio: {
        input: {
          format,
          noise_reduction: { type: "near_field" },
          transcription: { model: config.OPENAI_TRANSCRIPTION_MODEL },
          turn_detection: turnDetection(config),
        },
        output: { format, voice: voice as never, speed: 1.0 },
      },
      tools: realtimeTools(toolSetOf(session)) as never,
      tool_choice: "auto",
      max_output_tokens: "inf",
      // Dropping history in chunks keeps the cached prefix stable (cheaper cached input tokens).
      truncation: { type: "retention_ratio", retention_ratio: 0.8 },
    },
  };
}

/**
 * Semantic VAD (default: ends the caller's turn when what they said is complete, not at the first pause) or
 * server VAD with its idle timeout. With semantic VAD the gateway's SilenceWatch re-prompts a silent caller.
 */
function turnDetection(config: GatewayConfig) {
  if (config.REALTIME_TURN_DETECTION === "semantic_vad") {
    return { type: "semantic_vad", eagerness: config.REALTIME_VAD_EAGERNESS, create_response: true, interrupt_response: true } as const;
  }
  return {
    type: "server_vad",
    threshold: 0.5,
    prefix_padding_ms: 300,
    silence_duration_ms: 500,
    idle_timeout_ms: config.REALTIME_IDLE_TIMEOUT_MS || null,
    create_response: true,
    interrupt_response: true,
  } as const;
}

/** A system message in the conversation (resume context, a note outside any tool result). */
export function systemMessage(text: string): RealtimeClientEvent {
  return { type: "conversation.item.create", item: { type: "message", role: "system", content: [{ type: "input_text", text }] } };
}
