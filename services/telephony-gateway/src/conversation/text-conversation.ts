import type { ConversationEngine } from "@orderline/contracts";
import type { Logger } from "@orderline/telemetry";
import type { GatewayMetrics } from "../metrics.ts";
import type { CallSession } from "../state/session.ts";
import type { CallStore } from "../state/store.ts";
import { type Lang, langOf } from "../twiml.ts";
import { type CallRecords, errMessage } from "./call-records.ts";
import { assessCallerTurn, assessedSummary } from "./caller-turn.ts";
import type { EscalationDesk } from "./escalation.ts";
import { centsIn, inventedPrices, pricesIn, SentenceBuffer } from "./price-guard.ts";
import { type TextEngine, TextEngineError, type ToolRunner, type TurnEnd } from "./text-engine.ts";
import type { DispatchOutcome, ToolDispatcher } from "./tool-dispatch.ts";

export type TextEngineKind = Exclude<ConversationEngine, "realtime">;

/** The text engines this gateway can run, in the order a failing one hands over to the next. */
export type TextEngines = Partial<Record<TextEngineKind, TextEngine>>;

export interface TextConversationDeps {
  store: CallStore;
  metrics: GatewayMetrics;
  logger: Logger;
  engines: TextEngines;
  escalation: EscalationDesk;
}

export interface TextTurnOutcome {
  end: TurnEnd;
  /** The sentences given to `say`, in order (what the caller hears unless they interrupt). */
  spoken: string[];
}

const PRICE_CHECK: Record<Lang, string> = {
  en: "Let me double-check that price for you.",
  es: "Permítame confirmar ese precio.",
};
const INVENTED_PRICE_NOTE =
  "Your last reply named a price that no tool returned, so it was not spoken. Never state a price you did not get from a tool in this call: look it up first.";

/**
 * One caller turn of a text conversation (ConversationRelay, Gather, or a Media Stream call that fell back):
 * the call's engine answers through the shared tool dispatch; its reply reaches the caller a sentence at a
 * time, and a sentence naming a price no tool returned is replaced; an engine that fails hands the turn to
 * the next one (OpenAI text model → local agent), and with none left the caller goes to staff.
 */
export class TextConversation {
  private readonly deps: TextConversationDeps;
  private readonly records: CallRecords;
  private readonly tools: ToolDispatcher;
  private session: CallSession;

  constructor(deps: TextConversationDeps, session: CallSession, records: CallRecords, tools: ToolDispatcher) {
    this.deps = deps;
    this.session = session;
    this.records = records;
    this.tools = tools;
  }

  get engineKind(): ConversationEngine {
    return this.session.engine;
  }

  /**
   * A caller's words: assessed by the escalation service and recorded with their sentiment; when it says
   * escalate, the turn ends in a hand-off with its reason and summary hint (every engine the same way), else
   * the engine answers. An empty turn (no speech) is not assessed and not recorded.
   */
  async callerTurn(callerText: string, say: (sentence: string) => void, signal: AbortSignal, confidence?: number): Promise<TextTurnOutcome> {
    if (callerText !== "") {
      const assessed = await assessCallerTurn(this.deps, this.records, this.session, callerText);
      if (assessed?.escalate && assessed.reason) return { end: { kind: "handoff", reason: assessed.reason, summary: assessedSummary(assessed, callerText) }, spoken: [] };
    }
    return this.turn(callerText, say, signal, confidence);
  }

  /** True when this call's current engine answers empty or unclear speech itself. */
  get engineHandlesUnclearSpeech(): boolean {
    const kind = this.session.engine;
    return kind !== "realtime" && this.deps.engines[kind]?.handlesUnclearSpeech === true;
  }

  async turn(callerText: string | null, say: (sentence: string) => void, signal: AbortSignal, confidence?: number): Promise<TextTurnOutcome> {
    const { store } = this.deps;
    const callSid = this.session.callSid;
    const known = await store.knownPrices(callSid);
    const spoken: string[] = [];
    const lang = langOf(this.session.language);
    let invented = false;
    const speak = (sentence: string) => {
      const bad = inventedPrices(sentence, known);
      if (bad.length > 0) {
        invented = true;
        this.deps.metrics.errors.inc({ kind: "invented_price" });
        void this.records.event("engine_error", { engine: this.session.engine, kind: "invented_price", cents: bad });
        sentence = PRICE_CHECK[lang];
        if (spoken.at(-1) === sentence) return;
      }
      spoken.push(sentence);
      say(sentence);
    };
    const runner: ToolRunner = {
      dispatch: async (callId: string, name: string, args: string | Record<string, unknown>): Promise<DispatchOutcome> => {
        const outcome = await this.tools.dispatch(callId, name, args);
        if (outcome.kind === "output") {
          // An amount a service named in a refusal ("delivery orders need at least $15.00") is a tool's too.
          const cents = outcome.ok ? centsIn(outcome.result) : [...centsIn(outcome.output), ...pricesIn(JSON.stringify(outcome.output))];
          for (const c of cents) known.add(c);
          await store.addKnownPrices(callSid, cents);
        }
        return outcome;
      },
      readMenu: () => this.tools.agentMenu(),
    };

    for (;;) {
      const kind = this.session.engine;
      const engine = kind === "realtime" ? undefined : this.deps.engines[kind];
      if (!engine) return { end: { kind: "technical", why: `no text engine "${kind}" available` }, spoken };
      const raw = await store.engineState(callSid);
      const saved = raw ? (JSON.parse(raw) as { engine: string; data: string }) : null;
      const buffer = new SentenceBuffer();
      try {
        const result = await engine.turn(
          { session: this.session, tools: runner, state: saved?.engine === kind ? saved.data : null, signal, ...(confidence === undefined ? {} : { confidence }) },
          callerText,
          (text) => {
            for (const s of buffer.push(text)) speak(s);
          },
        );
        if (!signal.aborted) for (const s of buffer.flush()) speak(s);
        let state = result.state;
        if (invented) state = engine.noteForNextTurn?.(state, INVENTED_PRICE_NOTE) ?? state;
        await store.setEngineState(callSid, JSON.stringify({ engine: kind, data: state }));
        if (result.usage && result.usage.requests > 0) await store.addTextUsage(callSid, result.usage);
        return { end: result.end, spoken };
      } catch (err) {
        if (!(err instanceof TextEngineError)) throw err;
        const next = this.nextEngine(kind);
        this.deps.logger.warn({ callSid, engine: kind, kind: err.kind, err: errMessage(err), next }, "text engine failed");
        this.deps.metrics.errors.inc({ kind: `text_engine_${err.kind}` });
        await this.records.event("engine_error", { engine: kind, kind: err.kind, message: err.message });
        if (next === null) return { end: { kind: "technical", why: `text engine ${kind} failed (${err.kind})` }, spoken };
        await this.switchEngine(next, `${kind} ${err.kind}`);
      }
    }
  }

  /** The engine after `kind` in the fallback order, if this gateway runs it. */
  private nextEngine(kind: ConversationEngine): TextEngineKind | null {
    const order: TextEngineKind[] = ["openai_text", "local"];
    const after = order.slice(order.indexOf(kind as TextEngineKind) + 1);
    return after.find((k) => this.deps.engines[k] !== undefined) ?? null;
  }

  private async switchEngine(next: TextEngineKind, why: string): Promise<void> {
    const from = this.session.engine;
    const engines = [...this.session.engines, next];
    this.session = { ...this.session, engine: next, engines };
    await this.deps.store.patch(this.session.callSid, { engine: next, engines });
    await this.records.event("fallback", { from: { engine: from }, to: { engine: next }, why });
  }
}
