import { relayHandoffData } from "@orderline/handoff";
import { context } from "@opentelemetry/api";
import type { Logger } from "@orderline/telemetry";
import WebSocket from "ws";
import { z } from "zod";
import { startCallSpan } from "../call-trace.ts";
import { errMessage } from "../conversation/call-records.ts";
import { PhaseMachine } from "../conversation/call-phase.ts";
import { followCallerLanguage, openTextCall, type TextCall, type TextCallDeps } from "../conversation/text-call.ts";
import { handoffRequestFor } from "../conversation/handoff.ts";
import { planHandoff } from "../conversation/handoff-plan.ts";
import type { TurnEnd } from "../conversation/text-engine.ts";
import { repromptText } from "../domain/instructions.ts";
import { langOf, speechLanguage } from "../twiml.ts";

/** Messages Twilio sends on a ConversationRelay socket (docs/PROTOCOLS.md §9). */
const RelayMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("setup"), callSid: z.string().min(1), sessionId: z.string().optional(), customParameters: z.record(z.string(), z.string()).optional() }),
  z.object({ type: z.literal("prompt"), voicePrompt: z.string(), lang: z.string().optional(), last: z.boolean().optional() }),
  z.object({
    type: z.literal("interrupt"),
    utteranceUntilInterrupt: z.string().optional(),
    durationUntilInterruptMs: z.union([z.number(), z.string()]).optional(),
  }),
  z.object({ type: z.literal("dtmf"), digit: z.string() }),
  z.object({ type: z.literal("error"), description: z.string().optional() }),
]);
type RelayMessage = z.infer<typeof RelayMessage>;

/** Why a relay session ended, handed to the Connect action as `HandoffData` (JSON). */
export const RelayHandoff = z.discriminatedUnion("kind", [
  /** `fallback`: the escalation service could not be reached; the Connect action dials the store itself. */
  z.object({ kind: z.literal("transfer"), reason: z.string(), summary: z.string(), spoken: z.string().optional(), fallback: z.boolean().optional() }),
  /** The escalation service's decision (`relayHandoffData`), kept in the call's session. */
  z.object({ kind: z.literal("escalation"), action: z.string(), escalationId: z.string().optional() }),
  z.object({ kind: z.literal("technical"), why: z.string(), spoken: z.string().optional() }),
  z.object({ kind: z.literal("hangup") }),
]);
export type RelayHandoff = z.infer<typeof RelayHandoff>;

export interface RelayCallDeps extends TextCallDeps {
  onClosed: (call: RelayCall) => void;
}

const SETUP_TIMEOUT_MS = 10_000;

/**
 * One call over Twilio ConversationRelay: Twilio does speech recognition and text-to-speech, we exchange text.
 * `setup` must carry the call's single-use token; each final `prompt` is a caller turn, answered as streamed
 * `text` tokens; `interrupt` stops the reply and keeps in the transcript only what the caller heard; a hand-off
 * ends the session with `end` + `handoffData`, and the Connect action carries it out.
 */
export class RelayCall {
  readonly ws: WebSocket;
  readonly phase = new PhaseMachine();
  private readonly deps: RelayCallDeps;
  private readonly log: Logger;
  private call: TextCall | null = null;
  private turn: { abort: AbortController; spoken: string[]; done: Promise<void> } | null = null;
  private setupTimer: NodeJS.Timeout | null;
  /** The setup being checked: messages that arrive meanwhile wait for it. */
  private settingUp: Promise<void> | null = null;
  private closedOnce = false;

  constructor(deps: RelayCallDeps, ws: WebSocket) {
    this.deps = deps;
    this.ws = ws;
    this.log = deps.logger;
    ws.on("message", (data: Buffer, isBinary: boolean) => void this.onMessage(data, isBinary));
    ws.on("close", () => this.onClosed());
    ws.on("error", (err) => this.log.warn({ err, callSid: this.call?.session.callSid }, "relay socket error"));
    this.setupTimer = setTimeout(() => this.reject("no setup message in time"), SETUP_TIMEOUT_MS);
    this.setupTimer.unref();
  }

  private async onMessage(data: Buffer, isBinary: boolean): Promise<void> {
    if (this.settingUp) await this.settingUp;
    if (isBinary || data.length > 64 * 1024) return this.protocolProblem("binary or oversized message");
    let msg: RelayMessage;
    try {
      const parsed = RelayMessage.safeParse(JSON.parse(data.toString("utf8")));
      if (!parsed.success) return this.protocolProblem(`unexpected message: ${data.toString("utf8").slice(0, 80)}`);
      msg = parsed.data;
    } catch {
      return this.protocolProblem("a message that is not JSON");
    }
    try {
      switch (msg.type) {
        case "setup":
          this.settingUp = this.onSetup(msg);
          return await this.settingUp;
        case "prompt":
          if (!this.call) return this.protocolProblem("prompt before setup");
          if (msg.last === false) return; // a partial prompt: wait for the final one
          return await this.turnSpan(() => this.onPrompt(msg.voicePrompt));
        case "interrupt":
          return this.onInterrupt(msg.utteranceUntilInterrupt ?? "");
        case "dtmf":
          if (this.call) return await this.turnSpan(() => this.onPrompt(`(the caller pressed ${msg.digit.slice(0, 1)} on the keypad)`));
          return;
        case "error":
          this.log.warn({ callSid: this.call?.session.callSid, description: msg.description }, "ConversationRelay reported an error");
          await this.call?.records.event("error", { phase: "relay", message: msg.description ?? null });
          return;
      }
    } catch (err) {
      this.log.error({ err, callSid: this.call?.session.callSid }, "relay message handling failed");
      this.deps.metrics.errors.inc({ kind: "relay" });
      this.end({ kind: "technical", why: `relay failure: ${errMessage(err)}` });
    }
  }

  private protocolProblem(what: string): void {
    this.log.warn({ callSid: this.call?.session.callSid, what }, "ConversationRelay protocol problem (ignored)");
    this.deps.metrics.errors.inc({ kind: "relay_protocol" });
    if (this.call) void this.call.records.event("error", { phase: "relay_protocol", message: what });
  }

  private reject(reason: string): void {
    if (this.closedOnce) return;
    this.log.warn({ reason }, "relay session rejected");
    this.deps.metrics.rejectedStreams.inc({ reason: reason.startsWith("token") ? "token" : "relay_setup" });
    this.phase.to("closed");
    this.ws.close(1008, "rejected");
  }

  private async onSetup(msg: Extract<RelayMessage, { type: "setup" }>): Promise<void> {
    if (!this.phase.to("starting")) return this.protocolProblem("a second setup");
    const { store } = this.deps;
    const token = msg.customParameters?.callToken;
    if (!token) return this.reject("token missing from setup");
    const tokenCall = await store.consumeToken(token);
    if (tokenCall === null) return this.reject("token unknown or already used");
    if (tokenCall !== msg.callSid) return this.reject("token issued for another call");
    const session = await store.getSession(msg.callSid);
    if (!session || session.phase === "ended" || session.phase === "transferred") return this.reject("call is not live");
    if (this.setupTimer) clearTimeout(this.setupTimer);
    this.setupTimer = null;
    this.call = openTextCall(this.deps, session);
    await store.patch(session.callSid, { phase: "live", heartbeatAt: 0 });
    await this.call.records.event("stream_started", { transport: "relay", sessionId: msg.sessionId ?? null });
    this.phase.to("live");
    this.log.info({ callSid: session.callSid, location: session.location.id }, "ConversationRelay session started");
  }

  /** One caller turn as a span of the call (its tool calls are children). */
  private async turnSpan(run: () => Promise<void>): Promise<void> {
    if (!this.call) return run();
    const { span, ctx } = startCallSpan(this.call.session, "relay turn");
    try {
      return await context.with(ctx, run);
    } finally {
      span.end();
    }
  }

  private async onPrompt(raw: string): Promise<void> {
    const call = this.call!;
    if (!this.phase.is("live")) return;
    const text = raw.trim().slice(0, this.deps.config.MAX_UTTERANCE_CHARS);
    // A new prompt supersedes a reply still being generated.
    if (this.turn) {
      this.turn.abort.abort();
      await this.turn.done;
    }
    const { store } = this.deps;
    const session = call.session;
    if (text === "") {
      const n = await store.incr(session.callSid, "emptyTurns");
      await call.records.event("reprompt", { transport: "relay", inARow: n });
      if (n >= 2) return this.end({ kind: "transfer", reason: "other", summary: "The caller could not be understood twice in a row on the ordering line." });
      return this.sendText([repromptText(langOf(session.language), true)]);
    }
    await store.patch(session.callSid, { emptyTurns: 0 });
    const switched = await followCallerLanguage(store, session, text);
    if (switched) {
      const l = speechLanguage(session.language);
      this.send({ type: "language", ttsLanguage: l, transcriptionLanguage: l });
    }
    const abort = new AbortController();
    const spoken: string[] = [];
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => {
      resolveDone = r;
    });
    const turn = { abort, spoken, done };
    this.turn = turn;
    try {
      const outcome = await call.conversation.callerTurn(
        text,
        (sentence) => {
          if (abort.signal.aborted) return;
          spoken.push(sentence);
          this.send({ type: "text", token: `${sentence} `, last: false });
        },
        abort.signal,
      );
      if (abort.signal.aborted) return; // interrupted: onInterrupt recorded what was heard
      this.send({ type: "text", token: "", last: true });
      if (spoken.length > 0) await call.records.transcript("assistant", spoken.join(" "));
      const end = outcome.end;
      const said = spoken.join(" ");
      if (end.kind === "handoff") await this.handOff(end, said);
      else if (end.kind === "technical") this.end({ kind: "technical", why: end.why, spoken: said });
      else if (end.kind === "hangup") this.end({ kind: "hangup" });
    } finally {
      if (this.turn === turn) this.turn = null;
      resolveDone();
    }
  }

  /**
   * A hand-off asked for on this call: the escalation service's dial ends the session with `relayHandoffData`
   * (the Connect action answers the `<Dial>`); a callback request is said and the caller stays; with the service
   * unreachable the Connect action dials the store.
   */
  private async handOff(end: Extract<TurnEnd, { kind: "handoff" }>, said: string): Promise<void> {
    const call = this.call!;
    const { config } = this.deps;
    const req = handoffRequestFor(call.session, end, said);
    const plan = await planHandoff({ ...this.deps, publicBaseUrl: config.PUBLIC_BASE_URL, dialTimeoutSeconds: config.DIAL_TIMEOUT_SECONDS }, call.records, call.session, req, true);
    if (plan.kind === "callback") return this.sendText([plan.decision.speech]);
    if (plan.kind === "none") return;
    if (plan.decision !== null) return this.end(JSON.parse(relayHandoffData(plan.decision)) as RelayHandoff);
    this.end({ kind: "transfer", reason: end.reason, summary: end.summary, spoken: said, fallback: true });
  }

  /** The caller talked over the reply: stop it; the transcript keeps only what was heard. */
  private onInterrupt(heard: string): void {
    const turn = this.turn;
    if (!turn || !this.call) return;
    turn.abort.abort();
    // Close the cut-off reply, so what we say next is a new turn rather than the rest of the old one.
    this.send({ type: "text", token: "", last: true });
    const kept = heard.trim();
    void this.call.records.event("barge_in", { transport: "relay", heardChars: kept.length, sentChars: turn.spoken.join(" ").length });
    if (kept) void this.call.records.transcript("assistant", kept);
    this.deps.metrics.bargeIns.inc();
  }

  private sendText(sentences: string[]): void {
    for (const s of sentences) this.send({ type: "text", token: `${s} `, last: false });
    this.send({ type: "text", token: "", last: true });
  }

  /** Ends the relay session: Twilio then asks the Connect action, which carries out `handoff`. */
  private end(handoff: RelayHandoff): void {
    if (!this.phase.to("leaving")) return;
    this.send({ type: "end", handoffData: JSON.stringify(handoff) });
  }

  private send(msg: Record<string, unknown>): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  private onClosed(): void {
    if (this.closedOnce) return;
    this.closedOnce = true;
    if (this.setupTimer) clearTimeout(this.setupTimer);
    this.turn?.abort.abort();
    this.phase.to("closed");
    this.deps.onClosed(this);
  }

  /** Gateway shutdown: the session ends with a hand-off to staff. */
  drainTransfer(): void {
    if (this.call) this.end({ kind: "technical", why: "gateway shutting down" });
    else this.ws.close(1001);
  }
}
