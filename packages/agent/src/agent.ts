import { meansCallerId, parseAddress, parseName, parsePhone } from "./caller-details.ts";
import { nextStep, submit } from "./checkout.ts";
import { createMenuCache } from "./menu-snapshot.ts";
import { type AddOutcome, addItems, addOne, clarified, correction, itemsIn, setOrderType, sizeFrom } from "./ordering.ts";
import { answerQuestion } from "./questions.ts";
import { say } from "./speech.ts";
import { initialState, parseState } from "./state.ts";
import { clean, detectLanguage, isOtherLanguage, looksLikeCardNumber, spanishToEnglish, yesNo } from "./text.ts";
import { escalationIn, isDone, isGiveUp, isInjection, isQuestion } from "./triggers.ts";
import { escalate, Turn } from "./turn.ts";
import type { AgentCallContext, AgentReply, AgentTools, LocalAgent, LocalAgentOptions } from "./types.ts";

/** Turns in a row not understood before the call goes to staff: two re-prompts, then the transfer. */
const MAX_FAILURES = 3;

/**
 * The local order-taking agent: a rule-based text engine over the tools, no model and no cloud keys. Each turn
 * is handled in a fixed order — unusable input, card numbers, giving up, escalation triggers, attempts to change
 * its rules, then what the current step expects (size, order type, name, phone, address, confirmation), questions,
 * corrections and items — and ends with the next question to ask.
 */
export function createLocalAgent(opts: LocalAgentOptions = {}): LocalAgent {
  const minConfidence = opts.minConfidence ?? 0.4;
  const maxInputChars = opts.maxInputChars ?? 600;
  const menus = createMenuCache(opts.menuTtlMs ?? 60_000);

  return {
    async greet(ctx) {
      const state = initialState(ctx.location.language);
      return { say: say(state.lang).greeting(ctx.location.name), state };
    },

    async turn(ctx, rawState, input, tools) {
      const turn = new Turn(ctx, structuredClone(parseState(rawState)), tools, menus);
      try {
        return await handle(turn, input, { minConfidence, maxInputChars });
      } catch (err) {
        // A tool that failed, or a bug here: the caller is never left without an answer — staff take over.
        opts.onError?.(err);
        return escalate(new Turn(ctx, turn.state, tools, menus), "technical_failure");
      }
    },

    forgetMenu(locationId) {
      menus.forget(locationId);
    },
  };
}

async function handle(turn: Turn, input: { text: string; confidence?: number }, limits: { minConfidence: number; maxInputChars: number }): Promise<AgentReply> {
  const { state } = turn;
  if (state.phase === "done") return turn.reply({ kind: "hangup" });
  const raw = input.text ?? "";
  if (raw.length > limits.maxInputChars) return notUnderstood(turn, "long");
  const heard = clean(raw);
  if (!heard || (input.confidence !== undefined && input.confidence < limits.minConfidence)) return notUnderstood(turn);
  const lang = detectLanguage(heard);
  if (lang) state.lang = lang;
  const text = state.lang === "es" ? spanishToEnglish(heard) : heard;

  if (looksLikeCardNumber(heard)) {
    turn.out.push(turn.s.card());
    state.failures = 0;
    return repeatQuestion(turn);
  }
  if (isOtherLanguage(heard)) return notUnderstood(turn, "language");
  if (isGiveUp(text) || isGiveUp(heard)) {
    state.phase = "done";
    turn.out.push(turn.s.goodbye());
    return turn.reply({ kind: "hangup" });
  }
  const reason = escalationIn(heard) ?? escalationIn(text);
  if (reason) return escalate(turn, reason);
  if (isInjection(heard)) {
    turn.out.push(turn.s.injection());
    state.failures = 0;
    return repeatQuestion(turn);
  }
  const handled = await byPhase(turn, text);
  if (handled) return handled;
  return general(turn, raw, text);
}

/** What the current step expects; null when the turn is something else (then it is handled generally). */
async function byPhase(turn: Turn, text: string): Promise<AgentReply | null> {
  const { state, ctx } = turn;
  const yn = yesNo(text);
  switch (state.phase) {
    case "size": {
      const size = sizeFrom(turn, text);
      if (!size) {
        // "No, that's it" instead of a size: the item is left off rather than guessed.
        if (isDone(text) || yn === "no") {
          const dropped = state.pending.shift()!;
          turn.out.push(turn.s.leftOff(dropped.item));
        }
        return null;
      }
      const { choices: _asked, ...pending } = state.pending.shift()!;
      const outcome: AddOutcome = { added: [], large: false };
      await addOne(turn, { ...pending, size }, outcome);
      if (outcome.added.length > 0) turn.out.unshift(turn.s.added(outcome.added.map((l) => l.name)));
      if (outcome.large) return escalate(turn, "large_order");
      state.failures = 0;
      // "Large, and a coke": what follows the size is handled like any turn.
      const rest = /(?:,| and | also | plus )(.+)$/.exec(text)?.[1]?.trim();
      if (rest && isDone(rest)) state.checkout = true;
      else if (rest && rest.length > 2) return general(turn, rest, rest);
      return afterItems(turn, outcome.added.length > 0);
    }
    case "order_type": {
      const type = orderTypeIn(text);
      if (!type) return null;
      await setOrderType(turn, type);
      state.failures = 0;
      return nextStep(turn);
    }
    case "name": {
      const name = parseName(text, text);
      if (!name) return null;
      state.name = name;
      const phone = parsePhone(text);
      if (phone) state.phone = phone;
      state.failures = 0;
      return nextStep(turn);
    }
    case "phone": {
      const phone = parsePhone(text);
      if (phone) state.phone = phone;
      else if (ctx.callerPhone && (yn === "yes" || meansCallerId(text))) state.phone = "caller_id";
      else if (yn === "no") {
        turn.out.push(say(state.lang).askPhone(false));
        return turn.reply();
      } else if (/\d/.test(text) || /\b(five|six|seven|eight|nine|zero)\b/.test(text)) return notUnderstood(turn, "phone");
      else return null;
      state.failures = 0;
      return nextStep(turn);
    }
    case "address": {
      const type = orderTypeIn(text);
      // "Would you like to pick it up instead?" (after an address outside the delivery zone) — "yes".
      if (type === "pickup" || (yn === "yes" && state.address === null && !/\d/.test(text))) {
        await setOrderType(turn, "pickup");
        state.failures = 0;
        return nextStep(turn);
      }
      const found = parseAddress(text);
      if (!found.street && !found.postal_code) return null;
      state.address = { ...(state.address ?? { street: "" }), ...found, street: found.street ?? state.address?.street ?? "" };
      state.failures = 0;
      return nextStep(turn);
    }
    case "confirm": {
      const rest = text
        .replace(/\b(yes|yeah|yep|yup|sure|correct|right|thats|that|is|its|it|all|sounds|looks|good|perfect|ok|okay|absolutely|exactly|go|ahead|please|thanks|thank|you|works|great|fine|si|everything)\b/g, "")
        .replace(/[\s,]+/g, "");
      const type = orderTypeIn(text);
      if (yn === "yes" && rest.length === 0 && (!type || type === state.orderType)) return submit(turn);
      if (yn === "no" && text.replace(/^(no|nope|nah)[, ]*/, "").length < 3) {
        state.checkout = false;
        state.phase = "ordering";
        turn.out.push(turn.s.changeWhat());
        return turn.reply();
      }
      return null;
    }
    default:
      return null;
  }
}

function orderTypeIn(text: string): "pickup" | "delivery" | null {
  if (/\b(pick ?up|pickup|carry ?out|take ?out|to go|come get it|pick it up)\b/.test(text)) return "pickup";
  if (/\b(delivery|deliver|delivered|bring it)\b/.test(text)) return "delivery";
  return null;
}

/** Questions, order type, corrections, items and "that's it", in any step. */
async function general(turn: Turn, raw: string, text: string): Promise<AgentReply> {
  const { state } = turn;
  let understood = false;
  const answer = await answerQuestion(text, state.lang, state.orderType, turn.tools);
  if (answer) {
    turn.out.push(answer.say);
    state.topic = answer.topic ?? state.topic;
    state.failures = 0;
    state.unanswered = 0;
    return repeatQuestion(turn, true);
  }
  const clarifiedOutcome = await clarified(turn, text, yesNo(text));
  if (clarifiedOutcome) {
    if (clarifiedOutcome.large) return escalate(turn, "large_order");
    state.failures = 0;
    return afterItems(turn, clarifiedOutcome.added.length > 0);
  }
  const type = orderTypeIn(text);
  if (type && !/\bdo you deliver\b/.test(text)) {
    await setOrderType(turn, type);
    understood = true;
  }
  const done = isDone(text);
  const yn = yesNo(text);
  const changed = await correction(turn, text);
  if (changed === "large") return escalate(turn, "large_order");
  if (changed) {
    understood = true;
  } else {
    // "a large one then": the item the last answer was about.
    const withTopic = state.topic ? text.replace(/\b(small|medium|large|extra large|personal|\d+ piece) (one|ones)\b/, `$1 ${state.topic.toLowerCase()}`) : text;
    const { parsed } = await itemsIn(turn, withTopic);
    // A phrase that is neither marked as an order nor names a menu item by its words is not taken as one
    // ("I asked" is not a Baked Ziti): it never reaches add_item, whose matching is fuzzier.
    parsed.items = parsed.items.filter((item) => !item.farOff);
    if (parsed.unsupported.length > 0) {
      turn.out.push(turn.s.unsupported(parsed.unsupported.join(", ")));
      understood = true;
    } else if (parsed.items.length > 0 || parsed.repeatLast > 0) {
      const outcome = await addItems(turn, parsed.items, parsed.repeatLast);
      if (outcome.large) return escalate(turn, "large_order");
      understood = true;
      if (outcome.added.length > 0 || turn.out.length > 0) {
        state.failures = 0;
        state.unanswered = 0;
        if (!done) return afterItems(turn, outcome.added.length > 0);
      }
    }
  }
  if (done || (yn === "no" && state.last && state.phase === "ordering")) {
    state.checkout = true;
    understood = true;
  } else if (yn === "yes" && state.phase === "ordering" && !understood) {
    turn.out.push(turn.s.sureWhat());
    state.failures = 0;
    return turn.reply();
  }
  if (understood) {
    state.failures = 0;
    return nextStep(turn);
  }
  if (isQuestion(raw, text)) {
    state.unanswered += 1;
    if (state.unanswered >= 2) return escalate(turn, "unanswered_question");
    turn.out.push(turn.s.cantAnswer());
    return repeatQuestion(turn, true);
  }
  return notUnderstood(turn);
}

/** After items were added: offer one drink once, else move on. */
async function afterItems(turn: Turn, added: boolean): Promise<AgentReply> {
  const { state } = turn;
  if (added && !state.upsellOffered && state.pending.length === 0 && !state.checkout) {
    state.upsellOffered = true;
    const menu = await turn.menu();
    const drinks = menu.products.filter((p) => /drink|beverage|bebida/i.test(p.categoryName));
    const inCart = state.last && drinks.some((d) => d.name === state.last!.name);
    const example = drinks.find((d) => !d.soldOut);
    if (example && !inCart) {
      state.phase = "ordering";
      turn.out.push(turn.s.upsell(example.name));
      return turn.reply();
    }
  }
  return nextStep(turn);
}

/** Says the current step's question again (after an answer, a refusal or a re-prompt). */
async function repeatQuestion(turn: Turn, soft = false): Promise<AgentReply> {
  if (soft && turn.state.phase === "ordering" && !turn.state.checkout) {
    turn.out.push(turn.state.last ? turn.s.anythingElse() : turn.s.whatToOrder());
    return turn.reply();
  }
  return nextStep(turn);
}

/** A turn that could not be used: re-prompt twice, then hand the caller to staff. */
async function notUnderstood(turn: Turn, why?: "long" | "phone" | "language"): Promise<AgentReply> {
  const { state } = turn;
  state.failures += 1;
  if (state.failures >= MAX_FAILURES) return escalate(turn, "other");
  turn.out.push(why === "long" ? turn.s.tooLong() : why === "phone" ? turn.s.phoneAgain() : why === "language" ? turn.s.otherLanguage() : turn.s.reprompt());
  if (why === "phone") return turn.reply();
  return repeatQuestion(turn, true);
}

export type { AgentCallContext, AgentTools };
