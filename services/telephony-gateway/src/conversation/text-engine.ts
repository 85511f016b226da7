import type { AgentMenu, ConversationEngine, DialDecision, EscalationReason } from "@orderline/contracts";
import type { CallSession } from "../state/session.ts";
import type { DispatchOutcome } from "./tool-dispatch.ts";

/** The shared tool dispatch as an engine sees it. */
export interface ToolRunner {
  /** A tool call of the conversation: recorded with the call (its record, the manager's call page). */
  dispatch(callId: string, name: string, args: string | Record<string, unknown>): Promise<DispatchOutcome>;
  /**
   * The call's location's whole menu (the menu service's AGENT_MENU_SUBJECT), for an engine that recognises
   * items itself (the local agent): one request, not a tool call, so not recorded as one. Rejects when the
   * menu service cannot answer.
   */
  readMenu(): Promise<AgentMenu>;
}

/** How a text turn ended, for the transport to carry out. */
export type TurnEnd =
  /** The caller speaks next. */
  | { kind: "continue" }
  /**
   * Staff was asked for (transfer_to_human, or the engine or the turn's assessment decided so). `decision`: the
   * escalation service's dial decision when transfer_to_human asked it already (null: it could not be reached).
   */
  | { kind: "handoff"; reason: EscalationReason; summary: string; decision?: DialDecision | null }
  /** The restaurant system is down: apologise and transfer. */
  | { kind: "technical"; why: string }
  /** The conversation is over (the caller said goodbye). */
  | { kind: "hangup" };

export interface TextTurnContext {
  session: CallSession;
  tools: ToolRunner;
  /** What the engine kept from earlier turns (null on the first). */
  state: string | null;
  /** Aborted when the caller interrupts or the call ends: stop generating. */
  signal: AbortSignal;
  /** The speech recognizer's confidence in the caller's text (0–1), when the transport reports one. */
  confidence?: number;
}

export interface TextTurnResult {
  end: TurnEnd;
  /** To keep for the next turn (in Redis: any pod may take the next turn). */
  state: string;
  /** Tokens the turn used, when the engine is a paid model. */
  usage?: { model: string; inputTokens: number; cachedTokens: number; outputTokens: number; requests: number };
}

/** The engine failed (unreachable, stream error, stall): the conversation moves to the next engine. */
export class TextEngineError extends Error {
  override readonly name = "TextEngineError";
  readonly kind: string;
  constructor(kind: string, message: string) {
    super(message);
    this.kind = kind;
  }
}

/**
 * A conversation engine that takes a caller's turn as text and answers with text (ConversationRelay and
 * Gather transports, and the fallback of a Media Stream call). `say` receives the reply as it is produced
 * (streamed where the engine streams). The engine calls tools only through `ctx.tools`.
 */
export interface TextEngine {
  readonly kind: Exclude<ConversationEngine, "realtime">;
  /**
   * True when the engine answers empty or unclear speech itself (re-prompts, then hands off after misses in a
   * row, counting them with the turns it did not understand): the transport gives it those turns as they are.
   */
  readonly handlesUnclearSpeech?: boolean;
  /** `callerText` null = the call (or a resumed leg of it) starts: greet, or pick up where it was. */
  turn(ctx: TextTurnContext, callerText: string | null, say: (text: string) => void): Promise<TextTurnResult>;
  /** The state of a conversation that opened with `greeting` already spoken (relay welcome, first Gather). */
  initialState?(greeting: string, session: CallSession): string | Promise<string>;
  /** Adds a note the engine sees on its next turn (e.g. "that price was not spoken"); returns the new state. */
  noteForNextTurn?(state: string, note: string): string;
  /** A location's menu changed (the `catalogChanged` event; "*" = every location): drop what the engine cached of it. */
  catalogChanged?(locationId: string): void;
}
