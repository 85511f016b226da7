import type {
  CallEvent,
  DialDecision,
  CallTransport,
  ConversationEngine,
  EscalationReason,
  RealtimeUsage,
  TextEngineUsage,
  TranscriptEntry,
} from "@orderline/contracts";

/** What the stream needs to know about the location: copied into the session so a stream never reads Postgres. */
export interface LocationSnapshot {
  id: string;
  brandId: string;
  name: string;
  timezone: string;
  /** BCP-47, e.g. en-US, es-US. */
  language: string;
  greeting: string | null;
  recordingNotice: boolean;
  /** E.164 numbers staff answer, in order of preference. */
  staffNumbers: string[];
  /** The store's public number (E.164). */
  publicPhone: string;
  /** Twilio number the call came in on (used as callerId when dialling staff). */
  dialledNumber: string;
  /** How this location converses (per-location settings; defaults applied when absent). */
  conversation?: ConversationSettings;
}

/** A location's choice of transport and engines (Postgres `location_conversation_settings`). */
export interface ConversationSettings {
  /** realtime = Media Stream + OpenAI Realtime; relay = ConversationRelay + text engine; gather = <Gather> turns + text engine. */
  mode: "realtime" | "relay" | "gather";
  /** The text engine of relay/gather calls and of fallbacks. */
  textEngine: "openai" | "local";
  realtimeModel: string;
  voice: string;
  /** BCP-47 language the line starts in (the caller may switch). */
  language: string;
}

export interface ReturningCustomer {
  name: string | null;
  /** e.g. "1 Large Pepperoni Pizza, 2 Coke" — null when no previous order. */
  lastOrderSummary: string | null;
}

/** Where a call is in its life; only moves forward (live ↔ reconnecting aside). */
export type CallPhase = "connecting" | "live" | "transferring" | "transferred" | "ended";

/** The per-call state kept in Redis (`call:{sid}` hash). Everything a new pod needs to resume the call. */
export interface CallSession {
  callSid: string;
  location: LocationSnapshot;
  /** Caller ID as Twilio sent it (may be "anonymous"). */
  from: string | null;
  /** Caller ID when it is a valid E.164 number. */
  callerPhone: string | null;
  to: string;
  orderSessionId: string;
  customer: ReturningCustomer | null;
  startedAt: string;
  phase: CallPhase;
  streamSid: string | null;
  /** Streams started for this call (1 = first, >1 = resumed). */
  streams: number;
  /** Times after-stream handed out a new stream because the previous one died. */
  resumes: number;
  /** ms epoch of the owning stream's last heartbeat (0 = no live stream). */
  heartbeatAt: number;
  failedTools: number;
  consecutiveToolFailures: number;
  unansweredQuestions: number;
  orderId: string | null;
  transferReason: EscalationReason | null;
  transferSummary: string | null;
  transferredTo: string | null;
  callbackRequested: boolean;
  endReason: string | null;
  endedAt: string | null;
  lastCallStatus: string | null;
  /** W3C traceparent of the incoming webhook: stream and tool spans join its trace. */
  traceparent: string | null;
  model: string | null;
  usage: RealtimeUsage;
  /** Every order submitted on this call, in order; its length is the next submit attempt. */
  orderIds: string[];
  /** The transport holding the call now, and every one it used (a fallback adds one). */
  transport: CallTransport;
  transports: CallTransport[];
  /** The engine holding the conversation now, and every one it used. */
  engine: ConversationEngine;
  engines: ConversationEngine[];
  /** Text-engine usage per model. */
  textUsage: TextEngineUsage[];
  /** Language the caller is being answered in (BCP-47); starts as the location's. */
  language: string;
  /** Consecutive caller turns with no usable speech (empty / unclear); two → transfer. */
  emptyTurns: number;
  /**
   * The escalation service's dial decision being carried out (whisper and `<Dial>` action read it), null when
   * the call is not being transferred by the service.
   */
  escalation: DialDecision | null;
  /** The cart's `flags.largeOrder` (order service) as last seen on this call: a turn counter for the escalation service. */
  largeOrder: boolean;
  /**
   * An outbound order-confirmation call (docs/CONFIRMATION.md): the order it is about and the greeting built from
   * it; the call converses with the confirmation tool set. Null on an inbound ordering call.
   */
  confirmation: CallPurposeConfirmation | null;
}

export interface CallPurposeConfirmation {
  orderId: string;
  /** "Hi John, I'm calling from … to confirm your order of … Would you like to confirm or make changes?" */
  greeting: string;
}

export type { CallEvent, CallTransport, ConversationEngine, TranscriptEntry };

export const USAGE_FIELDS = ["inputTextTokens", "inputAudioTokens", "cachedTokens", "outputTextTokens", "outputAudioTokens", "responses"] as const;

const JSON_FIELDS = ["location", "customer", "orderIds", "transports", "engines", "textUsage", "escalation", "confirmation"] as const;
const INT_FIELDS = ["streams", "resumes", "heartbeatAt", "failedTools", "consecutiveToolFailures", "unansweredQuestions", "emptyTurns"] as const;
const BOOL_FIELDS = ["callbackRequested", "largeOrder"] as const;
const NULLABLE_STRING_FIELDS = [
  "from",
  "callerPhone",
  "streamSid",
  "orderId",
  "transferReason",
  "transferSummary",
  "transferredTo",
  "endReason",
  "endedAt",
  "lastCallStatus",
  "traceparent",
  "model",
] as const;

/** Session → hash fields (null fields are omitted; absence reads back as null). */
export function sessionToHash(s: CallSession): Record<string, string> {
  const h: Record<string, string> = {
    callSid: s.callSid,
    to: s.to,
    orderSessionId: s.orderSessionId,
    startedAt: s.startedAt,
    phase: s.phase,
    transport: s.transport,
    engine: s.engine,
    language: s.language,
  };
  for (const f of JSON_FIELDS) h[f] = JSON.stringify(s[f]);
  for (const f of INT_FIELDS) h[f] = String(s[f]);
  for (const f of BOOL_FIELDS) h[f] = s[f] ? "1" : "0";
  for (const f of NULLABLE_STRING_FIELDS) {
    const v = s[f];
    if (v !== null) h[f] = v;
  }
  for (const f of USAGE_FIELDS) h[`usage.${f}`] = String(s.usage[f]);
  return h;
}

export class CorruptSessionError extends Error {
  override readonly name = "CorruptSessionError";
}

/** Hash fields → session; null when the hash is empty (expired or never created). */
export function sessionFromHash(h: Record<string, string>): CallSession | null {
  if (!h.callSid) return null;
  const need = (f: string): string => {
    const v = h[f];
    if (v === undefined) throw new CorruptSessionError(`call session ${h.callSid} lacks field ${f}`);
    return v;
  };
  const int = (f: string): number => Number(h[f] ?? "0") || 0;
  const str = (f: string): string | null => h[f] ?? null;
  const usage = Object.fromEntries(USAGE_FIELDS.map((f) => [f, int(`usage.${f}`)])) as RealtimeUsage;
  return {
    callSid: need("callSid"),
    location: JSON.parse(need("location")) as LocationSnapshot,
    customer: JSON.parse(h.customer ?? "null") as ReturningCustomer | null,
    from: str("from"),
    callerPhone: str("callerPhone"),
    to: need("to"),
    orderSessionId: need("orderSessionId"),
    startedAt: need("startedAt"),
    phase: need("phase") as CallPhase,
    streamSid: str("streamSid"),
    streams: int("streams"),
    resumes: int("resumes"),
    heartbeatAt: int("heartbeatAt"),
    failedTools: int("failedTools"),
    consecutiveToolFailures: int("consecutiveToolFailures"),
    unansweredQuestions: int("unansweredQuestions"),
    orderId: str("orderId"),
    transferReason: str("transferReason") as EscalationReason | null,
    transferSummary: str("transferSummary"),
    transferredTo: str("transferredTo"),
    callbackRequested: h.callbackRequested === "1",
    endReason: str("endReason"),
    endedAt: str("endedAt"),
    lastCallStatus: str("lastCallStatus"),
    traceparent: str("traceparent"),
    model: str("model"),
    usage,
    orderIds: JSON.parse(h.orderIds ?? "[]") as string[],
    transport: (h.transport ?? "media_stream") as CallTransport,
    transports: JSON.parse(h.transports ?? "[]") as CallTransport[],
    engine: (h.engine ?? "realtime") as ConversationEngine,
    engines: JSON.parse(h.engines ?? "[]") as ConversationEngine[],
    textUsage: JSON.parse(h.textUsage ?? "[]") as TextEngineUsage[],
    language: h.language ?? (JSON.parse(need("location")) as LocationSnapshot).language,
    emptyTurns: int("emptyTurns"),
    escalation: JSON.parse(h.escalation ?? "null") as DialDecision | null,
    largeOrder: h.largeOrder === "1",
    confirmation: JSON.parse(h.confirmation ?? "null") as CallPurposeConfirmation | null,
  };
}
