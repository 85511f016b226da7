import { randomUUID } from "node:crypto";
import { startingPoint } from "../conversation/settings.ts";
import type { CallPurposeConfirmation, CallSession, ConversationSettings, LocationSnapshot, ReturningCustomer } from "./session.ts";

/** A new call's session: inbound (`/voice/incoming`) or an outbound confirmation call (`/voice/confirmation/:orderId`). */
export function newCallSession(p: {
  callSid: string;
  location: LocationSnapshot & { conversation: ConversationSettings };
  from: string | null;
  callerPhone: string | null;
  to: string;
  customer: ReturningCustomer | null;
  traceparent: string | null;
  orderSessionId?: string;
  confirmation?: CallPurposeConfirmation;
}): CallSession {
  const conversation = p.location.conversation;
  const start = startingPoint(conversation);
  return {
    callSid: p.callSid,
    location: p.location,
    from: p.from,
    callerPhone: p.callerPhone,
    to: p.to,
    orderSessionId: p.orderSessionId ?? randomUUID(),
    customer: p.customer,
    startedAt: new Date().toISOString(),
    phase: "connecting",
    streamSid: null,
    streams: 0,
    resumes: 0,
    heartbeatAt: 0,
    failedTools: 0,
    consecutiveToolFailures: 0,
    unansweredQuestions: 0,
    orderId: null,
    transferReason: null,
    transferSummary: null,
    transferredTo: null,
    callbackRequested: false,
    endReason: null,
    endedAt: null,
    lastCallStatus: null,
    traceparent: p.traceparent,
    model: start.engine === "realtime" ? conversation.realtimeModel : null,
    usage: { inputTextTokens: 0, inputAudioTokens: 0, cachedTokens: 0, outputTextTokens: 0, outputAudioTokens: 0, responses: 0 },
    orderIds: [],
    transport: start.transport,
    transports: [start.transport],
    engine: start.engine,
    engines: [start.engine],
    textUsage: [],
    language: conversation.language,
    emptyTurns: 0,
    escalation: null,
    largeOrder: false,
    confirmation: p.confirmation ?? null,
  };
}
