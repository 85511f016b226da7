import { context, type Context, SpanStatusCode, trace } from "@opentelemetry/api";
import { activeWithin } from "@orderline/telemetry";
import {
  AGENT_MENU_SUBJECT,
  AgentMenu,
  type DialDecision,
  type EscalationReason,
  formatIssues,
  isToolName,
  TOOLS,
  type ToolError,
  type ToolName,
  type ToolReply,
  toolBehaviour,
  toolSubject,
  UNANSWERED_ERROR_CODES,
} from "@orderline/contracts";
import { adminRequest, NatsRequestError, type NatsConnection, requestTool } from "@orderline/nats";
import type { Logger } from "@orderline/telemetry";
import type { GatewayMetrics } from "../metrics.ts";
import type { CallSession } from "../state/session.ts";
import type { CallStore } from "../state/store.ts";
import type { CallRecords } from "./call-records.ts";
import { type EscalationDesk, envelopeOf } from "./escalation.ts";
import { toolSetOf } from "./tool-set.ts";

const tracer = trace.getTracer("telephony-gateway");

const UNANSWERED_HINT =
  "This is the second time in a row you could not answer the caller. Offer to connect them to a team member (transfer_to_human with reason unanswered_question).";

export const TRANSIENT_FAILURE_OUTPUT = {
  error: {
    code: "timeout",
    message: "The restaurant system did not answer in time. Tell the caller you are having a little trouble and try once more.",
  },
} as const;

/** What a tool call comes to, for whichever engine asked. */
export type DispatchOutcome =
  /** Give `output` back to the model (a result, or `{error}` it can act on). */
  | { kind: "output"; tool: ToolName | null; ok: boolean; output: unknown; result?: unknown }
  /**
   * The model asked for staff and the escalation service decided to dial (`decision`), or could not be reached
   * (`decision` null: the gateway dials the store itself): the handoff seam carries it out (no further model turn).
   */
  | { kind: "handoff"; tool: "transfer_to_human"; reason: EscalationReason; summary: string; decision: DialDecision | null }
  /** The restaurant system is down or keeps failing: apologise and hand the caller to staff. */
  | { kind: "technical"; tool: ToolName; output: unknown; why: string };

export interface ToolDispatchDeps {
  nc: NatsConnection;
  store: CallStore;
  metrics: GatewayMetrics;
  logger: Logger;
  subjectPrefix: string;
  timeoutMs: number;
  /** Where `transfer_to_human` goes (the escalation service). */
  escalation: EscalationDesk;
}

/**
 * Tool calls of one call, for every engine: validated against the contracts registry, sent over NATS to the
 * owning service (timeouts vs no-responders, idempotent retries with the same request id), recorded as events,
 * with the per-tool behaviour the registry declares (unanswered-question streak, orders placed, redaction).
 */
export class ToolDispatcher {
  private readonly deps: ToolDispatchDeps;
  private readonly records: CallRecords;
  private session: CallSession;
  private parentContext: Context;

  constructor(deps: ToolDispatchDeps, session: CallSession, records: CallRecords, parentContext: Context) {
    this.deps = deps;
    this.session = session;
    this.records = records;
    this.parentContext = parentContext;
  }

  get callSid(): string {
    return this.session.callSid;
  }

  /** Orders placed on this call so far (the next submit is attempt `orderIds.length`). */
  get orderIds(): readonly string[] {
    return this.session.orderIds;
  }

  /**
   * One tool call. `args` is the model's JSON text (Realtime, Responses API) or an object (local agent).
   * Never throws: every failure becomes an outcome the engine can speak from.
   */
  async dispatch(callId: string, name: string, args: string | Record<string, unknown>): Promise<DispatchOutcome> {
    const started = performance.now();
    let outcome = "ok";
    try {
      const result = await this.run(callId, name, args, (o) => {
        outcome = o;
      });
      return result;
    } catch (err) {
      outcome = "internal";
      this.deps.logger.error({ err, callSid: this.callSid, tool: name }, "tool dispatch crashed");
      return { kind: "output", tool: isToolName(name) ? name : null, ok: false, output: TRANSIENT_FAILURE_OUTPUT };
    } finally {
      this.deps.metrics.toolLatency.observe({ tool: isToolName(name) ? name : "unknown", outcome }, (performance.now() - started) / 1000);
    }
  }

  /**
   * The location's whole menu for the local agent: one request to the menu service (AGENT_MENU_SUBJECT), traced
   * under the turn but not a tool call of the conversation — no call event, no tool metrics, no effect on the
   * unanswered-question or failure streaks. Throws (NatsRequestError, or an Error for a refusal) when there is no
   * usable menu; the agent then hands the caller to staff.
   */
  async agentMenu(): Promise<AgentMenu> {
    const s = this.session;
    // Under the turn's span, like a tool call: the menu service's "serve agent_menu" joins the call's trace.
    const reply = await context.with(activeWithin(this.parentContext), () =>
      adminRequest(this.deps.nc, AGENT_MENU_SUBJECT(this.deps.subjectPrefix), { locationId: s.location.id, language: s.language }, AgentMenu, this.deps.timeoutMs),
    );
    if (!reply.ok) throw new Error(`the menu service refused the menu of location ${s.location.id}: ${reply.error.code}: ${reply.error.message}`);
    return reply.result;
  }

  /** A read-only request outside the model's turn (resume context, staff summary). */
  request(name: ToolName, args: unknown, requestId: string): Promise<ToolReply<unknown>> {
    return this.natsRequest(name, args, requestId);
  }

  private async run(callId: string, name: string, rawArgs: string | Record<string, unknown>, setOutcome: (o: string) => void): Promise<DispatchOutcome> {
    const at = new Date().toISOString();
    if (!isToolName(name)) {
      setOutcome("unknown_tool");
      await this.records.event("tool_error", { tool: name.slice(0, 64), callId, code: "unknown_tool" }, at);
      return fail(null, { code: "invalid_arguments", message: `There is no tool named "${name.slice(0, 64)}". Use only the tools you were given.` });
    }
    if (!toolSetOf(this.session).includes(name)) {
      // A confirmation call cannot place a new order, and an ordering call cannot confirm someone else's.
      setOutcome("unknown_tool");
      await this.records.event("tool_error", { tool: name, callId, code: "tool_not_in_call" }, at);
      return fail(name, { code: "invalid_arguments", message: `${name} is not available on this call. Use only the tools you were given.` });
    }
    let parsedJson: unknown = rawArgs;
    if (typeof rawArgs === "string") {
      try {
        parsedJson = rawArgs.trim() === "" ? {} : JSON.parse(rawArgs);
      } catch {
        setOutcome("invalid_arguments");
        await this.records.event("tool_call", { tool: name, callId, ok: false, code: "invalid_arguments" }, at);
        return fail(name, { code: "invalid_arguments", message: `The arguments for ${name} are not valid JSON. Call it again with a JSON object.` });
      }
    }
    const def = TOOLS[name];
    const behaviour = toolBehaviour(name);
    const parsed = def.args.safeParse(parsedJson);
    if (!parsed.success) {
      const problems = formatIssues(parsed.error.issues);
      setOutcome("invalid_arguments");
      await this.records.event("tool_call", { tool: name, callId, ok: false, code: "invalid_arguments", problems }, at);
      return fail(name, {
        code: "invalid_arguments",
        message: `The arguments for ${name} were not valid: ${problems}. Ask the caller if needed, then call ${name} again with corrected arguments.`,
      });
    }
    if (behaviour.handsOff) return this.handOff(callId, parsed.data as { reason: EscalationReason; summary: string; detail?: string }, at);

    // Under the turn's span (a Gather webhook, a relay turn) when there is one, else under the call's stream/root.
    const parent = activeWithin(this.parentContext);
    const span = tracer.startSpan(`tool ${name}`, { attributes: { "orderline.tool": name, "orderline.call_sid": this.callSid } }, parent);
    const ctx = trace.setSpan(parent, span);
    const t0 = performance.now();
    let attempts = 0;
    try {
      let reply: ToolReply<unknown> | null = null;
      let failure: Error | null = null;
      while (reply === null) {
        attempts++;
        try {
          reply = await context.with(ctx, () => this.natsRequest(name, parsed.data, callId));
        } catch (err) {
          failure = err instanceof Error ? err : new Error(String(err));
          // A timeout may have been applied: only an idempotent tool is retried, with the same request id.
          if (err instanceof NatsRequestError && err.kind === "timeout" && def.idempotent && attempts < 2) continue;
          break;
        }
      }
      const ms = Math.round(performance.now() - t0);
      const redacted = redactArgs(behaviour.redactArgs, parsed.data);
      if (reply !== null) return await this.onReply(name, callId, reply, { attempts, ms, at, args: redacted, span, setOutcome });
      const kind = failure instanceof NatsRequestError ? failure.kind : "internal";
      setOutcome(kind);
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure?.message ?? kind });
      this.deps.metrics.errors.inc({ kind: `tool_${kind}` });
      await this.records.event("tool_error", { tool: name, callId, code: kind, attempts, ms, message: failure?.message ?? null }, at);
      await this.deps.store.incr(this.callSid, "failedTools");
      const consecutive = await this.deps.store.incr(this.callSid, "consecutiveToolFailures");
      if (kind === "no_responders" || consecutive >= 2) {
        return { kind: "technical", tool: name, output: { error: { code: kind, message: "The restaurant system is unavailable." } }, why: `tool ${name} ${kind}` };
      }
      return { kind: "output", tool: name, ok: false, output: TRANSIENT_FAILURE_OUTPUT };
    } finally {
      span.end();
    }
  }

  private async onReply(
    name: ToolName,
    callId: string,
    reply: ToolReply<unknown>,
    m: { attempts: number; ms: number; at: string; args: unknown; span: ReturnType<typeof tracer.startSpan>; setOutcome: (o: string) => void },
  ): Promise<DispatchOutcome> {
    const behaviour = toolBehaviour(name);
    const store = this.deps.store;
    await store.patch(this.callSid, { consecutiveToolFailures: 0 });
    m.setOutcome(reply.ok ? "ok" : reply.error.code);
    m.span.setAttribute("orderline.outcome", reply.ok ? "ok" : reply.error.code);
    let unanswered = 0;
    if (!reply.ok && UNANSWERED_ERROR_CODES.has(reply.error.code)) unanswered = await store.incr(this.callSid, "unansweredQuestions");
    else if (reply.ok && behaviour.answersQuestion !== false) await store.patch(this.callSid, { unansweredQuestions: 0 });
    let result: unknown;
    if (reply.ok) {
      // Typed by the registry: a reply that does not match the contract is a service bug, not something to speak.
      const checked = TOOLS[name].result.safeParse(reply.result);
      if (!checked.success) {
        this.deps.logger.error({ callSid: this.callSid, tool: name, problems: formatIssues(checked.error.issues) }, "tool result breaks the contract");
        await this.records.event("tool_error", { tool: name, callId, code: "invalid_result", attempts: m.attempts, ms: m.ms }, m.at);
        return { kind: "output", tool: name, ok: false, output: TRANSIENT_FAILURE_OUTPUT };
      }
      result = checked.data;
      if (behaviour.placesOrder) await this.recordOrder((result as { orderId: string }).orderId);
      const large = largeOrderOf(result);
      if (large !== null && large !== this.session.largeOrder) {
        this.session = { ...this.session, largeOrder: large };
        await store.patch(this.callSid, { largeOrder: large });
      }
    }
    await this.records.event(
      "tool_call",
      { tool: name, callId, ok: reply.ok, ...(reply.ok ? {} : { code: reply.error.code }), attempts: m.attempts, ms: m.ms, args: m.args },
      m.at,
    );
    if (reply.ok) return { kind: "output", tool: name, ok: true, output: result, result };
    // The seed's escalation rule: a question not answered after two attempts goes to staff.
    const output = unanswered >= 2 ? { error: reply.error, hint: UNANSWERED_HINT } : { error: reply.error };
    return { kind: "output", tool: name, ok: false, output };
  }

  /**
   * `transfer_to_human` goes to the escalation service. A dial leaves the model (the seam carries it out); a
   * callback (or nothing to do) is the model's result — with `speech` — and the call stays with it.
   */
  private async handOff(callId: string, args: { reason: EscalationReason; summary: string; detail?: string }, at: string): Promise<DispatchOutcome> {
    const decision = await this.deps.escalation.transfer(this.session, args);
    await this.records.event("tool_call", { tool: "transfer_to_human", callId, ok: true, reason: args.reason, decision: decision?.action ?? "service_unavailable" }, at);
    if (decision === null || decision.action === "dial") return { kind: "handoff", tool: "transfer_to_human", reason: args.reason, summary: args.summary, decision };
    if (decision.action === "callback") {
      await this.deps.store.patch(this.callSid, { callbackRequested: true });
      await this.records.event("callback_requested", { reason: args.reason, cause: decision.cause, expectedBy: decision.expectedBy, escalationId: decision.escalationId });
    }
    const output = { transferred: false, to: null, callbackRequested: decision.action === "callback", speech: "speech" in decision ? decision.speech : "", decision };
    return { kind: "output", tool: "transfer_to_human", ok: true, output, result: output };
  }

  /** A new order on this call: the next cart is a new submit attempt; a repeat of the same order changes nothing. */
  private async recordOrder(orderId: string): Promise<void> {
    if (this.session.orderIds.includes(orderId)) return;
    const orderIds = [...this.session.orderIds, orderId];
    this.session = { ...this.session, orderIds, orderId };
    await this.deps.store.patch(this.callSid, { orderIds, orderId });
  }

  private natsRequest(name: ToolName, args: unknown, requestId: string): Promise<ToolReply<unknown>> {
    const s = this.session;
    const envelope = envelopeOf(s, requestId, toolBehaviour(name).placesOrder ? s.orderIds.length : 0);
    return requestTool(this.deps.nc, toolSubject(name, this.deps.subjectPrefix), { envelope, args }, { timeoutMs: this.deps.timeoutMs });
  }
}

function fail(tool: ToolName | null, error: Pick<ToolError, "code" | "message">): DispatchOutcome {
  return { kind: "output", tool, ok: false, output: { error } };
}

/** The order service's `flags.largeOrder` in a tool result (a cart, or a result carrying one), null when none. */
function largeOrderOf(result: unknown): boolean | null {
  if (typeof result !== "object" || result === null) return null;
  const r = result as { flags?: { largeOrder?: unknown }; cart?: { flags?: { largeOrder?: unknown } } };
  const v = r.flags?.largeOrder ?? r.cart?.flags?.largeOrder;
  return typeof v === "boolean" ? v : null;
}

/** Keeps the arguments the registry marks (customer details) out of events and logs. */
function redactArgs(fields: readonly string[] | undefined, args: unknown): unknown {
  if (!fields || fields.length === 0 || typeof args !== "object" || args === null) return args;
  const out: Record<string, unknown> = { ...(args as Record<string, unknown>) };
  for (const f of fields) if (f in out) out[f] = "[redacted]";
  return out;
}
