import { randomUUID } from "node:crypto";
import { type AgentCallContext, type AgentTools, createLocalAgent, initialState, type LocalAgent, parseState } from "@orderline/agent";
import type { Logger } from "@orderline/telemetry";
import type { CallSession } from "../state/session.ts";
import type { TextEngine, TextTurnContext, TextTurnResult, TurnEnd } from "./text-engine.ts";
import { TextEngineError } from "./text-engine.ts";

/**
 * The local order-taking agent (`@orderline/agent`, no cloud keys) as a text engine: it reads this location's
 * menu and drives the same tools through the shared dispatch; its dialogue state lives in Redis between turns.
 */
export class LocalTextEngine implements TextEngine {
  readonly kind = "local" as const;
  /** The agent re-prompts empty, unclear and not-understood turns itself; two misses in a row go to staff. */
  readonly handlesUnclearSpeech = true;
  private readonly agent: LocalAgent;

  constructor(opts: { logger: Logger; minConfidence?: number }) {
    this.agent = createLocalAgent({
      ...(opts.minConfidence !== undefined ? { minConfidence: opts.minConfidence } : {}),
      onError: (err) => opts.logger.warn({ err }, "local agent turn failed; it hands the caller to staff"),
    });
  }

  initialState(_greeting: string, session: CallSession): string {
    return JSON.stringify(initialState(session.language));
  }

  async turn(ctx: TextTurnContext, callerText: string | null, say: (text: string) => void): Promise<TextTurnResult> {
    const s = ctx.session;
    const agentCtx: AgentCallContext = {
      location: { id: s.location.id, name: s.location.name, language: s.language, timezone: s.location.timezone },
      callerPhone: s.callerPhone,
      customerName: s.customer?.name ?? null,
      now: new Date(),
    };
    const tools: AgentTools = {
      call: async (name, args) => {
        const outcome = await ctx.tools.dispatch(`local-${randomUUID()}`, name, args);
        if (outcome.kind === "handoff") return { ok: true, result: { transferred: true, to: null, callbackRequested: false, speech: "" } };
        if (outcome.kind === "technical") return { ok: false, error: { code: "no_responders", message: outcome.why } };
        if (outcome.ok) return { ok: true, result: outcome.output };
        const error = (outcome.output as { error?: { code?: string; message?: string } }).error;
        return { ok: false, error: { code: error?.code ?? "internal", message: error?.message ?? "The tool failed." } };
      },
    };
    let reply: Awaited<ReturnType<LocalAgent["turn"]>>;
    try {
      if (callerText === null) reply = await this.agent.greet(agentCtx);
      else reply = await this.agent.turn(agentCtx, ctx.state ? parseState(JSON.parse(ctx.state)) : initialState(s.language), { text: callerText, ...(ctx.confidence === undefined ? {} : { confidence: ctx.confidence }) }, tools);
    } catch (err) {
      throw new TextEngineError("agent_failed", err instanceof Error ? err.message : String(err));
    }
    if (reply.say) say(reply.say);
    let end: TurnEnd = { kind: "continue" };
    if (reply.end?.kind === "transfer") end = { kind: "handoff", reason: reply.end.reason, summary: reply.end.summary };
    else if (reply.end?.kind === "hangup") end = { kind: "hangup" };
    return { end, state: JSON.stringify(reply.state) };
  }
}
