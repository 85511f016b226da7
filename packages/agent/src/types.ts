import type { EscalationReason, ToolName } from "@orderline/contracts";
import type { AgentState } from "./state.ts";

/** The gateway's shared tool dispatch (validates args against the contracts registry, NATS request to the owning service). */
export interface AgentTools {
  /** A tool call of the conversation: the gateway records it with the call (the manager sees it). */
  call(name: ToolName, args: Record<string, unknown>): Promise<{ ok: true; result: unknown } | { ok: false; error: { code: string; message: string } }>;
  /**
   * The call's location's whole menu (`AgentMenu` of the contracts, the menu service's `AGENT_MENU_SUBJECT`):
   * one request, not a tool call of the conversation, so not recorded as one. Rejects when it cannot be had.
   */
  readMenu(): Promise<unknown>;
}

export interface AgentCallContext {
  /** `language` is BCP-47: en-US or es-US. */
  location: { id: string; name: string; language: string; timezone: string };
  /** E.164 caller ID when valid ("use this number"). */
  callerPhone: string | null;
  /** Returning customer's name. */
  customerName: string | null;
  now: Date;
}

export interface AgentReply {
  /** What the caller hears next, in the call's language. */
  say: string;
  state: AgentState;
  /** Set when the agent called transfer_to_human (the tool result is in hand) or the conversation is over. */
  end?: { kind: "transfer"; reason: EscalationReason; summary: string } | { kind: "hangup" };
}

export interface LocalAgent {
  greet(ctx: AgentCallContext): Promise<AgentReply>;
  /** One caller turn. `text` "" = silence/no speech; confidence 0..1 when the recogniser gave one. */
  turn(ctx: AgentCallContext, state: AgentState, input: { text: string; confidence?: number }, tools: AgentTools): Promise<AgentReply>;
  /**
   * Drops this instance's cached menu of a location ("*": of every location), e.g. on the menu service's
   * `catalogChanged` event: the next turn there reads the menu again.
   */
  forgetMenu(locationId: string): void;
}

export interface LocalAgentOptions {
  /** Recogniser confidence under which a turn counts as not understood (default 0.4). */
  minConfidence?: number;
  /** How long a location's menu (`AgentTools.readMenu`) is reused by this agent instance (default 60 000 ms). */
  menuTtlMs?: number;
  /** Longest caller turn analysed, in characters (default 600); longer is re-prompted. */
  maxInputChars?: number;
  /**
   * Called with what made a turn fail (a TechnicalFailureError for a tool that timed out, had no responders or
   * answered off-contract; anything else is a bug). The turn itself ends in transfer_to_human(technical_failure).
   */
  onError?: (err: unknown) => void;
}

export type { AgentState };
