import type { StreamOutcome, VerbResult } from "./call-types.ts";
import { isLoopback } from "./call-util.ts";
import { LiveStream } from "./live-stream.ts";
import { RELAY_SESSION_STATUS } from "./relay-record.ts";
import { RelaySession } from "./relay-session.ts";
import type { SimulatedCall } from "./simulated-call.ts";
import type { TwimlNode } from "./twiml.ts";

/**
 * `<Connect action>` with one `<Stream>` (Media Streams, docs/PROTOCOLS.md §1–2) or one
 * `<ConversationRelay>` (§9). The action is requested once the server ends the session.
 */
export async function runConnect(call: SimulatedCall, verb: TwimlNode, docUrl: string): Promise<VerbResult> {
  const relayNode = verb.children.find((c) => c.name === "ConversationRelay");
  if (relayNode && verb.children.length === 1) return runConnectRelay(call, verb, relayNode, docUrl);
  const streamNode = verb.children.find((c) => c.name === "Stream");
  if (!streamNode || verb.children.length !== 1) {
    call.error(`<Connect> must hold exactly one <Stream> here, got ${verb.children.map((c) => `<${c.name}>`).join("") || "nothing"}`, 12100);
    return "hangup";
  }
  const outcome = await runStream(call, streamNode, docUrl);
  if (outcome === "caller-hung-up" || outcome === "max-call-time") return "hangup";
  if (outcome === "redirected") return undefined;
  const action = call.resolveUrl(verb.attrs["action"], docUrl);
  if (action) return (await call.fetchTwiml("connect-action", action, call.method(verb))) ?? "hangup";
  return undefined;
}

/** `<Connect action><ConversationRelay>`: the session, then the action with SessionId/Status/Duration/HandoffData. */
async function runConnectRelay(call: SimulatedCall, verb: TwimlNode, node: TwimlNode, docUrl: string): Promise<VerbResult> {
  const url = node.attrs["url"] ?? "";
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed || !(parsed.protocol === "wss:" || (parsed.protocol === "ws:" && isLoopback(parsed.hostname)))) {
    call.error(`<ConversationRelay url="${url}">: Twilio only connects to absolute wss:// URLs (ws:// is accepted here for loopback only)`, 64101);
    return "hangup";
  }
  const maxCallMs = call.behaviour.maxCallMs ?? 300_000;
  const session = new RelaySession(call, call.cloud, node, {
    caller: call.behaviour.relayCaller ?? [],
    forgery: call.behaviour.relayForgery,
    maxWallMs: Math.max(1_000, maxCallMs * Math.max(call.cloud.timeScale, 0.05)),
  });
  call.liveRelay = session;
  call.relays.push(session.record);
  const outcome = await session.run();
  call.liveRelay = undefined;
  call.addCallMs(session.record.durationMs / Math.max(call.cloud.timeScale, 0.05));
  if (outcome === "redirected") return undefined;
  const callerGone = outcome === "caller-hung-up" || outcome === "max-call-time";
  if (callerGone) call.setStatus("completed", "completed");
  const action = call.resolveUrl(verb.attrs["action"], docUrl);
  if (!action) return callerGone ? "hangup" : undefined;
  const params: Record<string, string> = {
    SessionId: session.record.sessionId,
    SessionStatus: RELAY_SESSION_STATUS[outcome],
    SessionDuration: String(Math.ceil(session.record.durationMs / 1000)),
  };
  if (session.record.handoffData !== undefined) params["HandoffData"] = session.record.handoffData;
  const next = await call.fetchTwiml("connect-action", action, call.method(verb), params);
  return callerGone ? "hangup" : (next ?? "hangup");
}

async function runStream(call: SimulatedCall, node: TwimlNode, docUrl: string): Promise<StreamOutcome> {
  const url = node.attrs["url"] ?? "";
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    call.error(`<Stream url="${url}"> is not an absolute URL`, 31920);
    return "handshake-failed";
  }
  if (parsed.protocol !== "wss:" && !(parsed.protocol === "ws:" && isLoopback(parsed.hostname))) {
    call.error(`<Stream url="${url}">: Twilio only connects to wss:// URLs (ws:// is accepted here for loopback only)`, 31920);
    return "handshake-failed";
  }
  if (parsed.search) call.error(`<Stream url="${url}"> carries a query string; Twilio requires <Parameter> instead`, 31920);
  const customParameters: Record<string, string> = {};
  for (const p of node.children) {
    if (p.name !== "Parameter") {
      call.error(`<${p.name}> is not allowed inside <Stream>`, 12200);
      continue;
    }
    const name = p.attrs["name"] ?? "";
    const value = p.attrs["value"] ?? "";
    if (!name) call.error("<Parameter> without a name", 12200);
    if (name.length + value.length >= 500) call.error(`<Parameter name="${name}">: name+value must be under 500 characters`, 12200);
    customParameters[name] = value;
  }
  const statusCallback = call.resolveUrl(node.attrs["statusCallback"], docUrl);
  const live = new LiveStream(call, call.cloud, url, customParameters, call.behaviour);
  call.liveStream = live;
  call.streams.push(live.record);
  const statusParams = (event: string, extra: Record<string, string> = {}) => ({
    AccountSid: call.cloud.accountSid,
    CallSid: call.sid,
    StreamSid: live.record.streamSid,
    StreamName: node.attrs["name"] ?? live.record.streamSid,
    StreamEvent: event,
    Timestamp: new Date().toISOString(),
    ...extra,
  });
  const statusMethod = node.attrs["statusCallbackMethod"]?.toUpperCase() === "GET" ? "GET" : "POST";
  const outcome = await live.run(() => call.callback("stream-status", statusCallback, statusParams("stream-started"), statusMethod));
  call.addCallMs(live.mediaMs);
  call.liveStream = undefined;
  if (outcome === "handshake-failed") {
    call.callback("stream-status", statusCallback, statusParams("stream-error", { StreamError: `handshake failed (HTTP ${live.record.handshakeStatus ?? "none"})` }), statusMethod);
  } else {
    call.callback("stream-status", statusCallback, statusParams("stream-stopped"), statusMethod);
  }
  if (outcome === "caller-hung-up") call.setStatus("completed", "completed");
  return outcome;
}
