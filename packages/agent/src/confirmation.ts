import { z } from "zod";
import { clean, yesNo } from "./text.ts";
import { TechnicalFailureError, callTool } from "./tool-client.ts";
import { escalationIn } from "./triggers.ts";
import type { AgentCallContext, AgentTools } from "./types.ts";

/** The confirmation agent's state between turns (JSON, kept by the gateway like the ordering agent's). */
export const ConfirmationAgentState = z.object({
  v: z.literal(1),
  mode: z.literal("confirm"),
  lang: z.enum(["en", "es"]),
  /** Turns in a row not understood (two re-prompts, then staff). */
  failures: z.number().int().min(0),
  /** "Cancel it" was heard: the next yes cancels. */
  cancelAsked: z.boolean(),
  done: z.boolean(),
});
export type ConfirmationAgentState = z.infer<typeof ConfirmationAgentState>;

export interface ConfirmationReply {
  say: string;
  state: ConfirmationAgentState;
  end?: { kind: "transfer"; reason: "caller_request" | "technical_failure" | "other" | "complaint"; summary: string } | { kind: "hangup" };
}

export interface ConfirmationAgent {
  turn(ctx: AgentCallContext, state: ConfirmationAgentState, input: { text: string; confidence?: number }, tools: AgentTools): Promise<ConfirmationReply>;
}

export function initialConfirmationState(language: string): ConfirmationAgentState {
  return { v: 1, mode: "confirm", lang: language.toLowerCase().startsWith("es") ? "es" : "en", failures: 0, cancelAsked: false, done: false };
}

export function parseConfirmationState(raw: unknown): ConfirmationAgentState {
  const parsed = ConfirmationAgentState.safeParse(raw);
  if (!parsed.success) throw new TypeError(`confirmation agent: invalid state: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(state)"}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

const MAX_FAILURES = 3;
const NUMBER_WORDS: Readonly<Record<string, number>> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };
const QTY = "(\\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)";
const qty = (w: string): number => NUMBER_WORDS[w] ?? Number(w);

/** A change to the order in what the customer said, as the cart tool call that makes it. */
export function changeIn(text: string): { tool: "update_item" | "add_item" | "remove_item"; args: Record<string, unknown> } | null {
  const t = text.replace(/,/g, " ").replace(/\s+/g, " ").trim().replace(/\b(please|instead|actually|then)\b/g, "").replace(/\s+/g, " ").trim();
  // "make it 3 pizzas", "change that to two cokes", "make the pizzas 3"
  let m = new RegExp(`\\b(?:make|change|switch)(?: it| that| them| this)?(?: to| into)? ${QTY} (.+)$`).exec(t);
  if (m) return { tool: "update_item", args: { item: m[2]!.trim(), quantity: qty(m[1]!) } };
  m = new RegExp(`\\b(?:make|change) (?:the )?(.+?) (?:to |into )?${QTY}$`).exec(t);
  if (m) return { tool: "update_item", args: { item: m[1]!.trim(), quantity: qty(m[2]!) } };
  // "make the pizza a large", "change the pizza to medium"
  m = /\b(?:make|change) (?:the )?(.+?) (?:to |into )?(?:a |an )?(small|medium|large|extra large|personal)$/.exec(t);
  if (m) return { tool: "update_item", args: { item: m[1]!.trim(), size: m[2]! } };
  // "remove the fries", "take off the coke", "no fries", "without the fries"
  m = /\b(?:remove|take off|take out|drop|delete|cancel|skip|without|no) (?:the |my |a |an )?(.+)$/.exec(t);
  if (m && !/^(order|it|that|everything|thanks|thank you|thats all|thats it|changes|change)$/.test(m[1]!.trim())) return { tool: "remove_item", args: { item: m[1]!.trim() } };
  // "add a coke", "also two cokes", "plus a garlic knots"
  m = new RegExp(`\\b(?:add|also|plus)(?: me)? ${QTY}? ?(.+)$`).exec(t);
  if (m && m[2]!.trim().length > 1) return { tool: "add_item", args: { item: m[2]!.trim(), quantity: m[1] ? qty(m[1]) : 1 } };
  return null;
}

const SAY = {
  en: {
    askAgain: "Would you like to confirm the order, or make changes?",
    confirmAfterChange: "Shall I confirm the order like that?",
    sureCancel: "Just to be sure: cancel the whole order?",
    keep: "Okay, I'll keep it.",
    what: "What would you like to change?",
    reprompt: "Sorry, I didn't catch that.",
    bye: "Goodbye!",
    transferring: "Let me get you to someone from our team.",
    trouble: "Sorry, we're having some technical trouble.",
  },
  es: {
    askAgain: "¿Desea confirmar el pedido o hacer cambios?",
    confirmAfterChange: "¿Confirmo el pedido así?",
    sureCancel: "Para estar seguro: ¿cancelo todo el pedido?",
    keep: "Muy bien, lo mantengo.",
    what: "¿Qué le gustaría cambiar?",
    reprompt: "Perdón, no le entendí.",
    bye: "¡Adiós!",
    transferring: "Le comunico con alguien de nuestro equipo.",
    trouble: "Lo sentimos, tenemos un problema técnico.",
  },
} as const;

const CONFIRM = /\b(confirm|confirmed|yes|yeah|yep|yup|correct|thats right|sounds good|looks good|perfect|go ahead|all good|thats it|si|confirmo)\b/;
const CANCEL_ORDER = /\b(cancel|cancela|cancelar)\b( (it|that|the order|my order|the whole order|everything|el pedido))?$/;
const STAFF = /\b(talk|speak) (to|with) (someone|somebody|a person|a human|staff|a manager|the manager|someone else)\b|\b(real person|human|representative|operator)\b/;

/**
 * The local agent's confirmation mode: the customer confirms ("yes", "confirm"), changes ("make it 3 pizzas
 * instead", "add a coke", "remove the fries"), cancels ("cancel it" — asked once to be sure) or asks for a
 * person. Changes go through the cart tools (validated and priced by the order service); the customer hears the
 * tool's readback with the new total, then is asked to confirm.
 */
export function createConfirmationAgent(opts: { minConfidence?: number; onError?: (err: unknown) => void } = {}): ConfirmationAgent {
  const minConfidence = opts.minConfidence ?? 0.4;
  return {
    async turn(ctx, given, input, tools) {
      const state = structuredClone(given);
      const s = SAY[state.lang];
      const out: string[] = [];
      const reply = (end?: ConfirmationReply["end"]): ConfirmationReply => ({ say: out.join(" "), state, ...(end ? { end } : {}) });
      const transfer = async (reason: "caller_request" | "technical_failure" | "other" | "complaint"): Promise<ConfirmationReply> => {
        state.done = true;
        const summary = `${ctx.customerName ?? "The customer"} is on a confirmation call for an order and ${reason === "caller_request" ? "asked for a person" : reason === "technical_failure" ? "hit a technical problem" : "could not be understood"}.`;
        if (reason === "technical_failure") out.push(s.trouble);
        const r = await callTool(tools, "transfer_to_human", { reason, summary }).catch(() => null);
        out.push(r?.ok && r.result.speech && state.lang === "en" ? r.result.speech : s.transferring);
        return reply({ kind: "transfer", reason, summary });
      };
      if (state.done) return reply({ kind: "hangup" });
      try {
        const text = clean(input.text ?? "");
        if (!text || (input.confidence !== undefined && input.confidence < minConfidence)) return notUnderstood();
        if (STAFF.test(text)) return await transfer("caller_request");
        const trigger = escalationIn(text);
        if (trigger === "complaint") return await transfer("complaint");
        const yn = yesNo(text);
        if (state.cancelAsked) {
          state.cancelAsked = false;
          if (yn === "yes" || CANCEL_ORDER.test(text)) return await finish("cancel_order");
          if (yn === "no") {
            out.push(s.keep, s.askAgain);
            return reply();
          }
        }
        if (CANCEL_ORDER.test(text)) {
          state.cancelAsked = true;
          state.failures = 0;
          out.push(s.sureCancel);
          return reply();
        }
        const change = changeIn(text);
        if (change) {
          const r = await callTool(tools, change.tool, change.args);
          state.failures = 0;
          out.push(r.ok ? r.result.speech : r.error.message, r.ok ? s.confirmAfterChange : s.askAgain);
          return reply();
        }
        if (yn === "yes" || CONFIRM.test(text)) return await finish("confirm_order");
        if (yn === "no") {
          state.failures = 0;
          out.push(s.what);
          return reply();
        }
        return notUnderstood();
      } catch (err) {
        opts.onError?.(err);
        if (err instanceof TechnicalFailureError || err instanceof Error) return transfer("technical_failure");
        throw err;
      }

      async function finish(tool: "confirm_order" | "cancel_order"): Promise<ConfirmationReply> {
        const r = await callTool(tools, tool, {});
        if (!r.ok) {
          out.push(r.error.message);
          return reply();
        }
        state.done = true;
        out.push(r.result.speech, s.bye);
        return reply({ kind: "hangup" });
      }

      function notUnderstood(): ConfirmationReply | Promise<ConfirmationReply> {
        state.failures += 1;
        if (state.failures >= MAX_FAILURES) return transfer("other");
        out.push(s.reprompt, s.askAgain);
        return reply();
      }
    },
  };
}
