import { randomUUID } from "node:crypto";
import type { AgentCallContext, AgentTools, ConfirmationAgent, LocalAgent } from "@orderline/agent";
import type { Logger } from "@orderline/telemetry";
import type { CallSession } from "../state/session.ts";
import type { TextEngine, TextTurnContext, TextTurnResult, TurnEnd } from "./text-engine.ts";
import { TextEngineError } from "./text-engine.ts";
import type { DispatchOutcome } from "./tool-dispatch.ts";

/**
 * The local order-taking agent (`@orderline/agent`, no cloud keys) as a text engine: it reads this location's
 * menu in one request (`ToolRunner.readMenu`, not a tool call of the conversation; cached by the agent until the
 * menu service announces a change, see `catalogChanged`) and drives the conversation's tools through the shared
 * dispatch; its dialogue state lives in Redis between turns.
 */
export class LocalTextEngine implements TextEngine {
  readonly kind = "local" as const;
  /** The agent re-prompts empty, unclear and not-understood turns itself; two misses in a row go to staff. */
  readonly handlesUnclearSpeech = true;
  private readonly opts: { logger: Logger; minConfidence?: number };
  /**
   * Loaded on the first text call: a pod that only bridges Realtime calls never pays for the agent's module
   * graph (catalog, sentiment lexicon) in memory.
   */
  private loaded: Promise<{ agent: LocalAgent; confirm: ConfirmationAgent; mod: typeof import("@orderline/agent") }> | null = null;

  constructor(opts: { logger: Logger; minConfidence?: number }) {
    this.opts = opts;
  }

  private load(): Promise<{ agent: LocalAgent; confirm: ConfirmationAgent; mod: typeof import("@orderline/agent") }> {
    const onError = (err: unknown) => this.opts.logger.warn({ err }, "local agent turn failed; it hands the caller to staff");
    this.loaded ??= import("@orderline/agent").then((mod) => ({
      mod,
      // Outbound confirmation calls: confirm, change or cancel one order.
      confirm: mod.createConfirmationAgent({ ...(this.opts.minConfidence !== undefined ? { minConfidence: this.opts.minConfidence } : {}), onError }),
      agent: mod.createLocalAgent({
        ...(this.opts.minConfidence !== undefined ? { minConfidence: this.opts.minConfidence } : {}),
        onError,
      }),
    }));
    return this.loaded;
  }

  /** The menu service announced a change at a location (staff 86'd an item): the agent reads that menu again. */
  catalogChanged(locationId: string): void {
    void this.loaded?.then(({ agent }) => agent.forgetMenu(locationId)).catch(() => {});
  }

  async initialState(_greeting: string, session: CallSession): Promise<string> {
    const { mod } = await this.load();
    return JSON.stringify(session.confirmation ? mod.initialConfirmationState(session.language) : mod.initialState(session.language));
  }

  async turn(ctx: TextTurnContext, callerText: string | null, say: (text: string) => void): Promise<TextTurnResult> {
    const s = ctx.session;
    const agentCtx: AgentCallContext = {
      location: { id: s.location.id, name: s.location.name, language: s.language, timezone: s.location.timezone },
      callerPhone: s.callerPhone,
      customerName: s.customer?.name ?? null,
      now: new Date(),
    };
    let handoff: Extract<DispatchOutcome, { kind: "handoff" }> | null = null;
    let keptCall = false;
    const tools: AgentTools = {
      // The agent's menu read: one request, not one of the call's tool calls.
      readMenu: () => ctx.tools.readMenu(),
      call: async (name, args) => {
        const outcome = await ctx.tools.dispatch(`local-${randomUUID()}`, name, args);
        if (outcome.kind === "handoff") handoff = outcome;
        // A callback stored instead of a transfer: the agent says the service's speech and the call stays.
        if (outcome.kind === "output" && outcome.ok && outcome.tool === "transfer_to_human") keptCall = true;
        if (outcome.kind === "handoff") return { ok: true, result: { transferred: true, to: null, callbackRequested: false, speech: "" } };
        if (outcome.kind === "technical") return { ok: false, error: { code: "no_responders", message: outcome.why } };
        if (outcome.ok) return { ok: true, result: outcome.output };
        const error = (outcome.output as { error?: { code?: string; message?: string } }).error;
        return { ok: false, error: { code: error?.code ?? "internal", message: error?.message ?? "The tool failed." } };
      },
    };
    let reply: { say: string; state: unknown; end?: Awaited<ReturnType<LocalAgent["turn"]>>["end"] };
    try {
      const { agent, confirm, mod } = await this.load();
      if (s.confirmation) {
        // The greeting was said when the call connected; a resumed leg repeats the question.
        const state = ctx.state ? mod.parseConfirmationState(JSON.parse(ctx.state)) : mod.initialConfirmationState(s.language);
        reply = await confirm.turn(agentCtx, state, { text: callerText ?? "", ...(ctx.confidence === undefined ? {} : { confidence: ctx.confidence }) }, tools);
      } else if (callerText === null) reply = await agent.greet(agentCtx);
      else reply = await agent.turn(agentCtx, ctx.state ? mod.parseState(JSON.parse(ctx.state)) : mod.initialState(s.language), { text: callerText, ...(ctx.confidence === undefined ? {} : { confidence: ctx.confidence }) }, tools);
    } catch (err) {
      throw new TextEngineError("agent_failed", err instanceof Error ? err.message : String(err));
    }
    if (reply.say) say(reply.say);
    let end: TurnEnd = { kind: "continue" };
    // The agent's transfer_to_human already has the escalation service's decision; a transfer it decided by
    // itself asks the service at the hand-off.
    const asked = handoff as Extract<DispatchOutcome, { kind: "handoff" }> | null;
    if (asked) end = { kind: "handoff", reason: asked.reason, summary: asked.summary, decision: asked.decision };
    else if (keptCall) end = { kind: "continue" };
    else if (reply.end?.kind === "transfer") end = { kind: "handoff", reason: reply.end.reason, summary: reply.end.summary };
    else if (reply.end?.kind === "hangup") end = { kind: "hangup" };
    return { end, state: JSON.stringify(reply.state) };
  }
}
