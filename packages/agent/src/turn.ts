import type { EscalationReason } from "@orderline/contracts";
import type { LocationMenu } from "@orderline/catalog";
import type { MenuCache } from "./menu-snapshot.ts";
import { describeLine, type Lang, say } from "./speech.ts";
import type { AgentState } from "./state.ts";
import { callTool } from "./tool-client.ts";
import type { AgentCallContext, AgentReply, AgentTools } from "./types.ts";

/** One caller turn being worked on: what to say so far, the state being changed, the tools. */
export class Turn {
  readonly ctx: AgentCallContext;
  readonly tools: AgentTools;
  readonly state: AgentState;
  private readonly menus: MenuCache;
  readonly out: string[] = [];
  constructor(ctx: AgentCallContext, state: AgentState, tools: AgentTools, menus: MenuCache) {
    this.ctx = ctx;
    this.state = state;
    this.tools = tools;
    this.menus = menus;
  }
  get lang(): Lang {
    return this.state.lang;
  }
  get s() {
    return say(this.state.lang);
  }
  /** The location's menu view (cached per location; read with `tools.readMenu` when not). */
  menu(): Promise<LocationMenu> {
    return this.menus.get(this.ctx, this.tools);
  }
  reply(end?: AgentReply["end"]): AgentReply {
    const text = this.out.join(" ").replace(/\s+/g, " ").trim();
    return end ? { say: text, state: this.state, end } : { say: text, state: this.state };
  }
}

/** What the order holds so far, for a staff member ("2 Large Pepperoni Pizza, 1 Coca-Cola"), or null. */
async function orderSoFar(turn: Turn): Promise<string | null> {
  if (!turn.state.started) return null;
  try {
    const r = await callTool(turn.tools, "get_order_summary", {});
    if (!r.ok || r.result.cart.lines.length === 0) return null;
    return r.result.cart.lines.map((l) => describeLine(l, "en")).join(", ");
  } catch {
    return null;
  }
}

const WHY: Record<EscalationReason, string> = {
  caller_request: "asked to speak with a person",
  complaint: "has a complaint",
  large_order: "is placing a large or catering order",
  unanswered_question: "has a question I could not answer twice",
  payment_or_refund: "needs help with a payment or refund",
  allergy_confirmation: "needs an allergy concern confirmed by staff",
  technical_failure: "could not be served because our system failed",
  other: "could not be understood after two re-prompts",
};

/** Hands the caller to staff through transfer_to_human with a one-sentence summary, and ends the agent's part. */
export async function escalate(turn: Turn, reason: EscalationReason): Promise<AgentReply> {
  const who = turn.state.name ?? turn.ctx.customerName;
  const items = reason === "technical_failure" ? null : await orderSoFar(turn);
  const summary = `${who ? `Caller ${who}` : "The caller"} ${WHY[reason]}${turn.lang === "es" ? " (speaks Spanish)" : ""}${items ? `; order so far: ${items}` : ""}.`.slice(0, 500);
  turn.state.phase = "done";
  if (reason === "technical_failure") turn.out.push(turn.s.techFailure());
  try {
    const r = await callTool(turn.tools, "transfer_to_human", { reason, summary });
    if (!r.ok) throw new Error(r.error.code);
    turn.out.push(turn.lang === "en" && r.result.speech ? r.result.speech : turn.s.transferring());
    return turn.reply({ kind: "transfer", reason, summary });
  } catch {
    turn.out.push(turn.s.transferFailed());
    return turn.reply({ kind: "hangup" });
  }
}
