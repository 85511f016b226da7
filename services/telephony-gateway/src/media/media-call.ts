import type { Span } from "@opentelemetry/api";
import type { DialDecision, EscalationReason } from "@orderline/contracts";
import type { NatsConnection } from "@orderline/nats";
import type { Logger } from "@orderline/telemetry";
import type WebSocket from "ws";
import { startCallSpan } from "../call-trace.ts";
import { CallRecords, errMessage } from "../conversation/call-records.ts";
import { PhaseMachine } from "../conversation/call-phase.ts";
import { assessCallerTurn, assessedSummary } from "../conversation/caller-turn.ts";
import type { EscalationDesk } from "../conversation/escalation.ts";
import { Handoff, technicalSummary } from "../conversation/handoff.ts";
import { effectiveSettings, fallbackPoint } from "../conversation/settings.ts";
import type { TextEngines } from "../conversation/text-conversation.ts";
import { type DispatchOutcome, ToolDispatcher } from "../conversation/tool-dispatch.ts";
import { apologyInstructions } from "../domain/instructions.ts";
import type { GatewayConfig } from "../env.ts";
import type { CallFinalizer } from "../finalize.ts";
import type { GatewayMetrics } from "../metrics.ts";
import type { CallSession } from "../state/session.ts";
import type { CallStore } from "../state/store.ts";
import type { CallTransferer } from "../transfer.ts";
import { type Lang, langOf, texts } from "../twiml.ts";
import { type FrameCounters, MediaStreamTransport, type StreamStart } from "./media-stream.ts";
import { RealtimeEngine, type RealtimeHost } from "./realtime-engine.ts";

const HEARTBEAT_MS = 10_000;

export interface MediaCallDeps {
  config: GatewayConfig;
  store: CallStore;
  finalizer: CallFinalizer;
  transferer: CallTransferer;
  escalation: EscalationDesk;
  nc: NatsConnection;
  metrics: GatewayMetrics;
  counters: FrameCounters;
  logger: Logger;
  /** Text engines a failing Realtime call can move to. */
  engines: TextEngines;
  /** Called once when the connection is done. */
  onClosed: (call: MediaCall) => void;
  /** Called once the stream passed its token check (the call is live on this pod). */
  onLive: (call: MediaCall) => void;
}

/**
 * One phone call on a Media Stream, held by the Realtime engine: the stream's token check and start, the call
 * phase, heartbeats, hand-offs to staff and the end of the call. Created for every upgraded `/voice/stream`
 * socket; opens nothing until `start` carries a valid single-use token for its call.
 */
export class MediaCall implements RealtimeHost {
  readonly deps: MediaCallDeps;
  readonly transport: MediaStreamTransport;
  readonly log: Logger;
  readonly phase = new PhaseMachine();
  callSid: string | null = null;
  session: CallSession | null = null;
  lang: Lang = "en";
  private engine: RealtimeEngine | null = null;
  private handoff: Handoff | null = null;
  private recordsOf: CallRecords | null = null;
  private dispatcher: ToolDispatcher | null = null;
  private startTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private closedOnce = false;
  /** The stream's span (start to close): its tool calls are children. Nothing per media frame. */
  private streamSpan: Span | null = null;

  constructor(deps: MediaCallDeps, ws: WebSocket) {
    this.deps = deps;
    this.log = deps.logger;
    this.transport = new MediaStreamTransport(
      ws,
      {
        start: (s) => this.onStartMessage(s),
        media: (src, start, end) => this.engine?.append(src, start, end),
        stop: () => void this.onStop(),
        closed: () => this.onSocketClosed(),
        dtmf: () => {},
      },
      { counters: deps.counters, markIntervalMs: deps.config.MARK_INTERVAL_MS },
    );
    ws.on("error", (err) => this.log.warn({ err, callSid: this.callSid }, "twilio socket error"));
    this.startTimer = setTimeout(() => this.reject("no start event in time"), deps.config.STREAM_START_TIMEOUT_MS);
    this.startTimer.unref();
  }

  get records(): CallRecords {
    return this.recordsOf!;
  }

  get tools(): ToolDispatcher {
    return this.dispatcher!;
  }

  isOver(): boolean {
    return this.phase.over;
  }

  // ---- start --------------------------------------------------------------------------------------------------

  private onStartMessage(s: StreamStart): void {
    if (!this.phase.to("starting")) return;
    void this.onStart(s).catch((err: unknown) => {
      this.log.error({ err, callSid: this.callSid }, "stream start failed");
      this.deps.metrics.errors.inc({ kind: "stream_start" });
      if (this.session) void this.technicalTransfer("stream start failed", false);
      else this.reject("stream start failed");
    });
  }

  private reject(reason: string): void {
    if (this.closedOnce) return;
    this.closedOnce = true;
    this.log.warn({ reason, callSid: this.callSid }, "media stream rejected");
    this.deps.metrics.rejectedStreams.inc({ reason: reason.startsWith("token") ? "token" : reason.replace(/\s+/g, "_").slice(0, 40) });
    this.phase.to("closed");
    this.clearTimers();
    this.transport.close(1008, "rejected");
    this.deps.onClosed(this);
  }

  private async onStart(s: StreamStart): Promise<void> {
    const { callSid, token, streamSid } = s;
    if (!callSid || !token || !streamSid) return this.reject("token missing from start");
    const store = this.deps.store;
    const tokenCall = await store.consumeToken(token);
    if (tokenCall === null) return this.reject("token unknown or already used");
    if (tokenCall !== callSid) return this.reject("token issued for another call");
    if (!this.phase.is("starting")) return; // the socket closed meanwhile
    const session = await store.getSession(callSid);
    if (!session || session.phase === "ended" || session.phase === "transferred") return this.reject("call is not live");
    if (this.startTimer) clearTimeout(this.startTimer);
    this.callSid = callSid;
    this.session = session;
    this.lang = langOf(session.language);
    const stream = startCallSpan(session, "media stream", { "orderline.stream_sid": streamSid });
    this.streamSpan = stream.span;
    const { config, metrics, logger, transferer, nc, escalation } = this.deps;
    this.recordsOf = new CallRecords(store, callSid, logger);
    this.dispatcher = new ToolDispatcher(
      { nc, store, metrics, logger, subjectPrefix: config.NATS_SUBJECT_PREFIX, timeoutMs: config.TOOL_TIMEOUT_MS, escalation },
      session,
      this.recordsOf,
      stream.ctx,
    );
    const planning = { escalation, publicBaseUrl: config.PUBLIC_BASE_URL, dialTimeoutSeconds: config.DIAL_TIMEOUT_SECONDS };
    this.handoff = new Handoff({ store, transferer, metrics, logger, ...planning }, this.recordsOf);
    const streams = await store.incr(callSid, "streams");
    const resumed = streams > 1;
    this.engine = new RealtimeEngine({ config, store, metrics, counters: this.deps.counters, logger }, this, session);
    await store.patch(callSid, { streamSid, phase: "live", heartbeatAt: Date.now(), model: this.engine.model });
    await this.records.event(resumed ? "stream_resumed" : "stream_started", { streamSid, stream: streams });
    if (resumed) metrics.resumes.inc();
    if (this.isOver()) return; // stopped or dropped during the awaits above
    this.heartbeatTimer = setInterval(() => void store.heartbeat(callSid).catch(() => {}), HEARTBEAT_MS);
    this.heartbeatTimer.unref();
    this.deps.onLive(this);
    this.log.info({ callSid, streamSid, resumed, location: session.location.id }, "media stream started");
    try {
      await this.engine.start(resumed);
    } catch (err) {
      if (this.isOver()) return;
      this.log.error({ err, callSid }, "realtime connect failed");
      metrics.errors.inc({ kind: "realtime_connect" });
      await this.records.event("realtime_error", { phase: "connect", message: errMessage(err) });
      this.transport.goLive(streamSid);
      this.phase.to("live");
      await this.fallBack("realtime connect failed");
      return;
    }
    if (this.isOver()) return;
    this.transport.goLive(streamSid);
    this.phase.to("live");
    this.engine.begin();
  }

  // ---- end ----------------------------------------------------------------------------------------------------

  private async onStop(): Promise<void> {
    if (!this.phase.to("ending")) return;
    const callSid = this.callSid;
    this.engine?.close();
    if (callSid && this.session) {
      try {
        const s = await this.deps.store.getSession(callSid);
        // A REST redirect (transfer) also stops the stream: that call is not over, the status callback ends it.
        const leaving = s?.phase === "transferred" || s?.phase === "transferring";
        if (!leaving) await this.deps.finalizer.finalize(callSid, { reason: "stream_stopped" });
        else await this.deps.store.patch(callSid, { heartbeatAt: 0 });
      } catch (err) {
        this.log.error({ err, callSid }, "finalization after stop failed");
      }
    }
    this.shutdown();
  }

  private onSocketClosed(): void {
    if (this.phase.is("ending", "closed")) return; // after a stop, onStop finishes (finalization) and shuts down
    // Without a stop the call may still be up (the socket dropped): leave the session for after-stream to resume.
    this.phase.to("ending");
    this.engine?.close();
    if (this.callSid) void this.deps.store.patch(this.callSid, { heartbeatAt: 0 }).catch(() => {});
    this.shutdown();
  }

  private shutdown(): void {
    if (this.closedOnce) return;
    this.closedOnce = true;
    this.streamSpan?.end();
    this.phase.to("closed");
    this.clearTimers();
    this.engine?.close();
    this.transport.close(1000);
    this.deps.onClosed(this);
  }

  private clearTimers(): void {
    for (const t of [this.startTimer, this.heartbeatTimer]) if (t) clearTimeout(t);
    this.startTimer = this.heartbeatTimer = null;
  }

  // ---- leaving the model --------------------------------------------------------------------------------------

  leaveModel(outcome: Extract<DispatchOutcome, { kind: "handoff" | "technical" }>, callId: string): void {
    if (outcome.kind === "technical") return void this.technicalTransfer(outcome.why, true);
    void this.modelTransfer(callId, outcome.reason, outcome.summary, outcome.decision);
  }

  /**
   * A caller turn (Realtime's input transcription): assessed by the escalation service and recorded with its
   * sentiment. When it says escalate the gateway asks for the transfer itself with the assessment's reason and
   * summary — the same decision a text engine reaches — unless the model's own transfer_to_human got there first.
   */
  callerSaid(text: string, at?: string): void {
    const session = this.session;
    if (!session || !this.recordsOf) return;
    void assessCallerTurn(this.deps, this.recordsOf, session, text, { at })
      .then(async (assessed) => {
        if (!assessed?.escalate || !assessed.reason || !this.phase.is("live")) return;
        const summary = assessedSummary(assessed, text);
        const decision = await this.deps.escalation.transfer(session, { reason: assessed.reason, summary });
        if (!this.phase.is("live")) return;
        if (decision?.action === "callback") {
          await this.deps.store.patch(session.callSid, { callbackRequested: true });
          await this.records.event("callback_requested", { reason: assessed.reason, cause: decision.cause, expectedBy: decision.expectedBy, escalationId: decision.escalationId });
          return this.engine?.systemNote(`${CALLBACK_STORED_NOTE} ${decision.speech}`);
        }
        if (decision && decision.action !== "dial") return; // nothing to do (the call ended)
        await this.modelTransfer("assessment", assessed.reason, summary, decision);
      })
      .catch((err: unknown) => this.log.error({ err, callSid: this.callSid }, "caller turn assessment failed"));
  }

  engineLost(why: string, detail: Record<string, unknown>): void {
    if (this.isOver() || this.phase.is("leaving")) return;
    this.log.error({ callSid: this.callSid, why, ...detail }, "realtime engine lost");
    void this.records.event("realtime_error", { ...detail, message: why }).then(() => this.fallBack(why));
  }

  /**
   * Realtime cannot hold the call: it moves to a text transport with a text engine (cart and transcript are in
   * Postgres and Redis already). Closing our socket makes Twilio ask the Connect action, which answers the new
   * transport's TwiML after a one-line apology. With no text engine to move to, the caller goes to staff.
   */
  private async fallBack(why: string): Promise<void> {
    if (this.isOver() || !this.callSid || !this.session) return;
    const { config, store, metrics, engines } = this.deps;
    const settings = this.session.location.conversation ?? effectiveSettings(null, this.session.location.language, config);
    const to = fallbackPoint(settings, config);
    if (to === null) return this.technicalTransfer(why, false);
    const available = to.engine === "openai_text" ? (engines.openai_text ?? engines.local) : engines.local;
    if (!available) return this.technicalTransfer(`${why}; no text engine to fall back to`, false);
    if (!this.phase.to("leaving")) return;
    this.engine?.halt();
    const session = (await store.getSession(this.callSid)) ?? this.session;
    const engine = engines[to.engine] ? to.engine : "local";
    await store.patch(this.callSid, {
      transport: to.transport,
      transports: [...session.transports, to.transport],
      engine,
      engines: [...session.engines, engine],
    });
    await this.records.event("fallback", { from: { transport: "media_stream", engine: "realtime" }, to: { transport: to.transport, engine }, why });
    metrics.fallbacks.inc({ from: "realtime", to: `${to.transport}/${engine}` });
    this.log.warn({ callSid: this.callSid, why, transport: to.transport, engine }, "realtime failed: the call moves to a text transport");
    this.engine?.close();
    this.transport.close(1000);
  }

  /**
   * Staff was asked for and the escalation service decided to dial (or could not be reached: `decision` null).
   * If the redirect fails the caller stays with the model, who offers a callback.
   */
  private async modelTransfer(callId: string, reason: EscalationReason, summary: string, decision: DialDecision | null): Promise<void> {
    if (!this.phase.to("leaving") || !this.callSid) return;
    this.engine?.halt();
    const req = { reason, summary, sayText: texts(this.lang).transfer, decision };
    const ok = await this.handoff!.redirect(this.callSid, req, () => this.transport.waitForPlayback(8000));
    if (ok || this.isOver()) return;
    // Back to the model, which tells the caller: the bridge stays up so this answer reaches them.
    this.phase.back();
    await this.deps.store.patch(this.callSid, { phase: "live", callbackRequested: true });
    await this.records.event("callback_requested", { reason, summary, why: "transfer failed", callId });
    this.engine?.systemNote(CALLBACK_NOTE);
  }

  /**
   * Technical failure: optionally let the model apologise (bounded wait), then transfer. When the model is gone
   * the transfer TwiML's `<Say>` carries the apology. If the redirect fails, the socket closes and Twilio's
   * Connect action answers a plain `<Dial>` of the store.
   */
  async technicalTransfer(why: string, apologize: boolean, reason: EscalationReason = "technical_failure", sayText?: string): Promise<void> {
    if (this.isOver() || !this.phase.to("leaving") || !this.callSid) return;
    if (apologize && this.engine) await this.engine.apologize(apologyInstructions(this.lang));
    this.engine?.halt();
    const t = texts(this.lang);
    const req = { reason, summary: technicalSummary(this.session, why), sayText: sayText ?? (apologize ? t.transfer : t.technicalTransfer) };
    const ok = await this.handoff!.redirect(this.callSid, req, apologize ? () => this.transport.waitForPlayback(8000) : undefined);
    if (ok || this.isOver()) return;
    this.engine?.close();
    this.shutdown();
  }

  /** SIGTERM grace is over: tell the caller and hand them to staff. */
  async drainTransfer(): Promise<void> {
    await this.technicalTransfer("gateway shutting down", false, "other", texts(this.lang).shutdownTransfer);
  }
}

const CALLBACK_STORED_NOTE =
  "Nobody can take the call right now, so a callback request was stored for the caller. Tell the caller this, in their language, and keep helping:";

const CALLBACK_NOTE =
  "The transfer did not go through: nobody can take the call right now. A callback has been requested. Tell the caller the restaurant will call them back shortly, and keep helping if you can.";
