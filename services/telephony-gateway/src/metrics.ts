import { createMetrics, type Metrics } from "@orderline/telemetry";

/** The gateway's Prometheus series. Per-frame counts are added in batches, never per frame. */
export function createGatewayMetrics(service: string, registry?: Metrics) {
  const m = registry ?? createMetrics({ service });
  return {
    metrics: m,
    activeCalls: m.gauge({ name: "gateway_active_calls", help: "Media streams bridged right now on this pod." }),
    calls: m.counter({ name: "gateway_calls_total", help: "Incoming calls by webhook outcome.", labelNames: ["outcome"] as const }),
    framesIn: m.counter({ name: "gateway_frames_in_total", help: "Twilio media frames received from callers." }),
    framesOut: m.counter({ name: "gateway_frames_out_total", help: "Media messages sent to Twilio (assistant audio)." }),
    appendsOut: m.counter({ name: "gateway_realtime_appends_total", help: "input_audio_buffer.append messages sent to the Realtime API." }),
    bargeIns: m.counter({ name: "gateway_barge_ins_total", help: "Assistant speech interrupted by the caller (truncate + clear)." }),
    toolLatency: m.histogram({
      name: "gateway_tool_duration_seconds",
      help: "Tool call latency as the gateway sees it (validation, NATS request incl. retry), by tool and outcome.",
      labelNames: ["tool", "outcome"] as const,
    }),
    transfers: m.counter({ name: "gateway_transfers_total", help: "Calls handed to staff, by reason.", labelNames: ["reason"] as const }),
    errors: m.counter({ name: "gateway_errors_total", help: "Errors by kind.", labelNames: ["kind"] as const }),
    realtimeTokens: m.counter({ name: "gateway_realtime_tokens_total", help: "Realtime usage tokens from response.done, by kind.", labelNames: ["kind"] as const }),
    fallbacks: m.counter({
      name: "gateway_fallbacks_total",
      help: "Calls moved to another transport or engine because the one holding them failed.",
      labelNames: ["from", "to"] as const,
    }),
    resumes: m.counter({ name: "gateway_stream_resumes_total", help: "Calls resumed on a new stream after the previous one died." }),
    rejectedStreams: m.counter({ name: "gateway_streams_rejected_total", help: "Media streams refused before any Realtime session.", labelNames: ["reason"] as const }),
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
