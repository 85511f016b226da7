import type { RealtimeUsage } from "@orderline/contracts";

/** The fields of a Realtime server event the engine reads (docs/PROTOCOLS.md §5, §7). */
export interface ServerEvent {
  type: string;
  item_id?: string;
  delta?: string;
  call_id?: string;
  name?: string;
  arguments?: string;
  transcript?: string;
  response?: {
    id?: string;
    status?: string;
    status_details?: { type?: string; reason?: string; error?: { code?: string; message?: string } } | null;
    usage?: ResponseUsage;
  };
  error?: { type?: string; code?: string; message?: string };
}

/** `response.usage` of `response.done`. */
export interface ResponseUsage {
  input_token_details?: { text_tokens?: number; audio_tokens?: number; cached_tokens?: number };
  output_token_details?: { text_tokens?: number; audio_tokens?: number };
}

/** One response's token counts as the call's usage record adds them up. */
export function usageOf(usage: ResponseUsage): RealtimeUsage {
  return {
    inputTextTokens: usage.input_token_details?.text_tokens ?? 0,
    inputAudioTokens: usage.input_token_details?.audio_tokens ?? 0,
    cachedTokens: usage.input_token_details?.cached_tokens ?? 0,
    outputTextTokens: usage.output_token_details?.text_tokens ?? 0,
    outputAudioTokens: usage.output_token_details?.audio_tokens ?? 0,
    responses: 1,
  };
}
