import { realtimeTools, type ToolName } from "@orderline/contracts";
import { toolSetOf } from "./tool-set.ts";

import type OpenAI from "openai";
import type { ResponseInputItem, ResponseStreamEvent } from "openai/resources/responses/responses";
import { buildInstructions } from "../domain/instructions.ts";
import type { TextEngine, TextTurnContext, TextTurnResult, TurnEnd } from "./text-engine.ts";
import { TextEngineError } from "./text-engine.ts";

interface ResponsesFunctionTool {
  type: "function";
  name: string;
  description: string;
  parameters: Record<string, unknown>;
  strict: false;
}

export interface OpenAITextEngineOptions {
  apiKey: string;
  /** e.g. https://api.openai.com/v1 (an emulator in tests). */
  baseUrl: string;
  model: string;
  reasoningEffort: "none" | "minimal" | "low" | "medium" | "high";
  /** No stream event for this long = stalled (the engine gives up; the next engine takes over). */
  stallMs: number;
  /** Model rounds (tool calls → results → model) in one caller turn before giving up. */
  maxRounds?: number;
}

/** What the engine keeps between turns: the conversation as Responses input items (store:false, nothing kept at OpenAI). */
interface EngineState {
  items: ResponseInputItem[];
}

const MAX_ITEMS = 60;

const VOICE_RULES = `

# Speaking on the phone
Your replies are read aloud by text-to-speech: plain sentences only, no lists, no markdown, no emoji. Write prices with a dollar sign and digits exactly as a tool returned them (for example $18.99).`;

/**
 * A text engine on the OpenAI Responses API (docs/PROTOCOLS.md §12): the same instructions and tools as the
 * Realtime session, streamed replies, function calls through the shared tool dispatch, conversation history
 * kept by us (in Redis between turns), usage per request. Any stream error, failed/incomplete response or
 * stall throws a TextEngineError: the conversation moves to the next engine.
 */
export class OpenAITextEngine implements TextEngine {
  readonly kind = "openai_text" as const;
  /** The SDK is loaded with the first text turn: a pod that only bridges Realtime calls never holds it in memory. */
  private client: Promise<OpenAI> | null = null;
  private readonly opts: OpenAITextEngineOptions;
  /** Function tools of a call's tool set (ordering or confirmation), built once per set. */
  private readonly toolsBySet = new Map<readonly ToolName[], ResponsesFunctionTool[]>();
  private toolsFor(session: TextTurnContext["session"]): ResponsesFunctionTool[] {
    const names = toolSetOf(session);
    let tools = this.toolsBySet.get(names);
    if (!tools) {
      tools = realtimeTools(names).map((t) => ({ type: "function" as const, name: t.name, description: t.description, parameters: t.parameters, strict: false }));
      this.toolsBySet.set(names, tools);
    }
    return tools;
  }

  constructor(opts: OpenAITextEngineOptions) {
    this.opts = opts;
  }

  async turn(ctx: TextTurnContext, callerText: string | null, say: (text: string) => void): Promise<TextTurnResult> {
    const state: EngineState = ctx.state ? (JSON.parse(ctx.state) as EngineState) : { items: [] };
    const items = state.items;
    if (callerText !== null) items.push({ role: "user", content: callerText });
    else items.push({ role: "developer", content: "The call has just been connected to you. Greet the caller (or, if the conversation above already started, pick up where it left off)." });
    const usage = { model: this.opts.model, inputTokens: 0, cachedTokens: 0, outputTokens: 0, requests: 0 };
    let end: TurnEnd = { kind: "continue" };
    const maxRounds = this.opts.maxRounds ?? 5;
    for (let round = 0; ; round++) {
      if (round >= maxRounds) throw new TextEngineError("too_many_rounds", `no spoken reply after ${maxRounds} model rounds`);
      const { text, calls } = await this.respond(ctx, items, say, usage);
      if (text) items.push({ role: "assistant", content: text });
      if (calls.length === 0) break;
      for (const c of calls) items.push({ type: "function_call", call_id: c.callId, name: c.name, arguments: c.arguments });
      let leave: TurnEnd | null = null;
      for (const c of calls) {
        const outcome = await ctx.tools.dispatch(c.callId, c.name, c.arguments);
        const output = outcome.kind === "handoff" ? { transferred: true, speech: "Connecting the caller to a team member now." } : outcome.output;
        items.push({ type: "function_call_output", call_id: c.callId, output: JSON.stringify(output) });
        if (outcome.kind === "handoff") leave = { kind: "handoff", reason: outcome.reason, summary: outcome.summary, decision: outcome.decision };
        else if (outcome.kind === "technical") leave = { kind: "technical", why: outcome.why };
      }
      if (leave) {
        end = leave;
        break;
      }
      if (ctx.signal.aborted) break;
    }
    return { end, state: JSON.stringify({ items: trimHistory(items) } satisfies EngineState), usage };
  }

  initialState(greeting: string): string {
    return JSON.stringify({ items: [{ role: "assistant", content: greeting }] } satisfies EngineState);
  }

  noteForNextTurn(state: string, note: string): string {
    const s = JSON.parse(state) as EngineState;
    s.items.push({ role: "developer", content: note });
    return JSON.stringify(s);
  }

  /** One streamed model response: text goes to `say` as it arrives; function calls are collected. */
  private async respond(
    ctx: TextTurnContext,
    items: ResponseInputItem[],
    say: (text: string) => void,
    usage: { inputTokens: number; cachedTokens: number; outputTokens: number; requests: number },
  ): Promise<{ text: string; calls: Array<{ callId: string; name: string; arguments: string }> }> {
    const abort = new AbortController();
    const onCallerAbort = () => abort.abort();
    ctx.signal.addEventListener("abort", onCallerAbort, { once: true });
    let stalled = false;
    const stall = setTimeout(() => {
      stalled = true;
      abort.abort();
    }, this.opts.stallMs);
    let text = "";
    const calls: Array<{ callId: string; name: string; arguments: string }> = [];
    let completed = false;
    try {
      usage.requests++;
      // One try per request: a failure is handled by moving to the next engine, not by waiting on retries.
      this.client ??= import("openai").then(({ default: SDK }) => new SDK({ apiKey: this.opts.apiKey, baseURL: this.opts.baseUrl, maxRetries: 0, timeout: 15_000 }));
      const client = await this.client;
      const stream = await client.responses.create(
        {
          model: this.opts.model,
          instructions: buildInstructions(ctx.session) + VOICE_RULES,
          input: items,
          tools: this.toolsFor(ctx.session),
          tool_choice: "auto",
          parallel_tool_calls: false,
          stream: true,
          store: false,
          prompt_cache_key: `orderline:${ctx.session.location.id}`,
          ...(this.opts.reasoningEffort !== "none" ? { reasoning: { effort: this.opts.reasoningEffort } } : {}),
        },
        { signal: abort.signal },
      );
      for await (const ev of stream as AsyncIterable<ResponseStreamEvent>) {
        stall.refresh();
        switch (ev.type) {
          case "response.output_text.delta":
            text += ev.delta;
            say(ev.delta);
            break;
          case "response.output_item.done":
            if (ev.item.type === "function_call") calls.push({ callId: ev.item.call_id, name: ev.item.name, arguments: ev.item.arguments });
            break;
          case "response.completed": {
            completed = true;
            const u = ev.response.usage;
            if (u) {
              usage.inputTokens += u.input_tokens;
              usage.cachedTokens += u.input_tokens_details?.cached_tokens ?? 0;
              usage.outputTokens += u.output_tokens;
            }
            break;
          }
          case "response.failed":
            throw new TextEngineError("failed", `response failed: ${ev.response.error?.message ?? "no detail"}`);
          case "response.incomplete":
            throw new TextEngineError("incomplete", `response incomplete: ${ev.response.incomplete_details?.reason ?? "no reason"}`);
          case "error":
            throw new TextEngineError("stream_error", `stream error ${ev.code ?? ""}: ${ev.message}`);
          default:
            break;
        }
      }
    } catch (err) {
      if (err instanceof TextEngineError) throw err;
      if (ctx.signal.aborted) return { text, calls: [] }; // the caller interrupted: what was said stands
      if (stalled) throw new TextEngineError("stalled", `no stream event for ${this.opts.stallMs} ms`);
      throw new TextEngineError("request_failed", err instanceof Error ? err.message : String(err));
    } finally {
      clearTimeout(stall);
      ctx.signal.removeEventListener("abort", onCallerAbort);
    }
    if (ctx.signal.aborted) return { text, calls: [] };
    if (stalled) throw new TextEngineError("stalled", `no stream event for ${this.opts.stallMs} ms`);
    if (!completed) throw new TextEngineError("cut", "the stream ended before response.completed");
    return { text, calls };
  }
}

/** Keeps the last MAX_ITEMS items, cut at a user message so no tool result loses its call. */
function trimHistory(items: ResponseInputItem[]): ResponseInputItem[] {
  if (items.length <= MAX_ITEMS) return items;
  let start = items.length - MAX_ITEMS;
  while (start < items.length && !("role" in items[start]! && (items[start] as { role: string }).role === "user")) start++;
  return items.slice(start);
}
