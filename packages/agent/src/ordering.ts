import { nameKey, resolveItem } from "@orderline/catalog";
import type { CartLine, ToolResult } from "@orderline/contracts";
import { type ParsedItem, parseOrder, quantityWord as quantityOf } from "./items.ts";
import { describeLine, sizePrice } from "./speech.ts";
import type { ItemRequest } from "./state.ts";
import { callTool, callToolOk, detailNames } from "./tool-client.ts";
import type { Turn } from "./turn.ts";
import { digitRuns } from "./text.ts";

/** Adding, changing and removing items: the order service does the resolving and pricing; this picks the calls. */

export async function ensureStarted(turn: Turn): Promise<void> {
  if (turn.state.started) return;
  await callToolOk(turn.tools, "start_order", { order_type: turn.state.orderType ?? "pickup" });
  turn.state.started = true;
}

/** Switches the order's type (start_order again keeps the same order). */
export async function setOrderType(turn: Turn, type: "pickup" | "delivery"): Promise<void> {
  const changed = turn.state.orderType !== type;
  turn.state.orderType = type;
  if (changed && turn.state.started) await callToolOk(turn.tools, "start_order", { order_type: type });
}

export type AddOutcome = { added: CartLine[]; large: boolean };

function spoken(line: CartLine, turn: Turn, req: ItemRequest): string {
  const asked = new Set(req.modifiers.map((m) => nameKey(m.name)));
  const mods = line.modifiers.filter((m) => m.action !== "add" || m.priceCents > 0 || [...asked].some((k) => nameKey(m.name).includes(k)));
  return describeLine({ ...line, quantity: req.quantity, modifiers: mods }, turn.lang);
}

/** Words of the phrase that are also words of the name (prefixes of 3+ letters count): "pep" ~ "Pepperoni Pizza". */
function overlaps(phrase: string, name: string): boolean {
  const said = nameKey(phrase).split(" ");
  const named = nameKey(name).split(" ");
  return said.some((t) => t.length >= 3 && named.some((n) => n === t || n.startsWith(t) || t.startsWith(n)));
}

/**
 * The AgentTools contract carries an error's code and message only; when a dispatch passes the services'
 * `details` too they are used, else the same facts are looked up (the menu view, get_item_details).
 */
async function candidatesOf(turn: Turn, item: string, details: Record<string, unknown>): Promise<string[]> {
  const named = detailNames(details, "candidates");
  if (named.length > 0) return named;
  const r = resolveItem(await turn.menu(), item);
  return r.kind === "ambiguous" ? r.candidates.map((p) => p.name).slice(0, 4) : [];
}

async function sizeChoicesOf(turn: Turn, item: string, details: Record<string, unknown>): Promise<string[]> {
  const listed = Array.isArray(details["choices"]) ? (details["choices"] as { name?: unknown; priceCents?: unknown }[]) : [];
  const sizes = listed.filter((c): c is { name: string; priceCents: number } => typeof c.name === "string" && typeof c.priceCents === "number");
  if (sizes.length > 0) return sizes.map((c) => sizePrice(c.name, c.priceCents)).slice(0, 12);
  const d = await callTool(turn.tools, "get_item_details", { item_name: item });
  return d.ok ? d.result.sizes.map((z) => sizePrice(z.name, z.priceCents)).slice(0, 12) : [];
}

/** "Did you mean the A or the B?" — remembered so the next turn can answer it; the tool's words when no names are known. */
function askWhich(turn: Turn, req: ItemRequest, candidates: string[], message: string): void {
  if (candidates.length === 0) {
    turn.out.push(turn.lang === "en" ? message : turn.s.notOnMenu(req.item, []));
    return;
  }
  turn.state.clarify = { request: req, candidates };
  turn.out.push(turn.s.ambiguous(candidates));
}

/**
 * Before adding a phrase the local menu view did not recognise: what does the menu service make of it? A
 * product that shares no word with what was said (a fuzzy or alias match) is asked about, not added; an
 * unavailable one is said with its alternatives.
 */
async function verified(turn: Turn, req: ItemRequest): Promise<boolean> {
  const s = turn.s;
  const r = await callTool(turn.tools, "check_availability", { item_name: req.item });
  if (!r.ok) {
    if (r.error.code === "ambiguous_item") askWhich(turn, req, await candidatesOf(turn, req.item, r.error.details), r.error.message);
    else turn.out.push(turn.lang === "en" ? r.error.message : s.notOnMenu(req.item, detailNames(r.error.details, "suggestions")));
    return false;
  }
  if (!overlaps(req.item, r.result.name)) {
    turn.state.clarify = { request: req, candidates: [r.result.name] };
    turn.out.push(s.ambiguous([r.result.name]));
    return false;
  }
  if (!r.result.available) {
    turn.out.push(s.unavailable(r.result.name, r.result.alternatives.map((a) => a.name)));
    return false;
  }
  return true;
}

/** add_item for one request; a size question, an unavailable item or an impossible choice is said, not added. */
export async function addOne(turn: Turn, req: ItemRequest, outcome: AddOutcome, opts: { verify?: boolean } = {}): Promise<void> {
  if (opts.verify && !(await verified(turn, req))) return;
  await ensureStarted(turn);
  const args: Record<string, unknown> = { item: req.item, quantity: req.quantity, modifiers: req.modifiers };
  if (req.size) args["size"] = req.size;
  const r = await callTool(turn.tools, "add_item", args);
  const s = turn.s;
  if (r.ok) {
    turn.state.last = { request: req, lineId: r.result.line.lineId, name: r.result.line.name };
    outcome.added.push({ ...r.result.line, name: spoken(r.result.line, turn, req) });
    if (r.result.cart.flags.largeOrder) outcome.large = true;
    return;
  }
  const { code, details, message } = r.error;
  if (code === "needs_size" || code === "invalid_size") {
    // No size question for something that can't be had anyway.
    const availability = await callTool(turn.tools, "check_availability", { item_name: req.item });
    if (availability.ok && !availability.result.available) {
      turn.out.push(s.unavailable(availability.result.name, availability.result.alternatives.map((a) => a.name)));
      return;
    }
    const { size: _none, ...rest } = req;
    turn.state.pending.unshift({ ...rest, choices: await sizeChoicesOf(turn, req.item, details) });
    turn.state.pending = turn.state.pending.slice(0, 10);
    return;
  }
  if (code === "not_on_menu") turn.out.push(turn.lang === "en" ? message : s.notOnMenu(req.item, detailNames(details, "suggestions")));
  else if (code === "ambiguous_item") askWhich(turn, req, await candidatesOf(turn, req.item, details), message);
  else if (code === "out_of_stock" || code === "unavailable") {
    if (turn.lang === "en") turn.out.push(message);
    else {
      const check = await callTool(turn.tools, "check_availability", { item_name: req.item });
      turn.out.push(s.unavailable(check.ok ? check.result.name : req.item, check.ok ? check.result.alternatives.map((a) => a.name) : detailNames(details, "alternatives")));
    }
  } else turn.out.push(message);
}

/** The items of a sentence, added in order; returns what was added. */
export async function addItems(turn: Turn, items: ParsedItem[], repeatLast: number): Promise<AddOutcome> {
  const outcome: AddOutcome = { added: [], large: false };
  for (const item of items) await addOne(turn, item.request, outcome, { verify: item.unresolved });
  const last = turn.state.last;
  for (let i = 0; i < repeatLast && last; i++) await addOne(turn, { ...last.request, quantity: 1 }, outcome);
  if (outcome.added.length > 0) turn.out.unshift(turn.s.added(outcome.added.map((l) => l.name)));
  return outcome;
}

/** The size answer to the pending item ("large", "the 12 piece"), matched against the choices the order service gave. */
export function sizeFrom(turn: Turn, cleaned: string): string | null {
  const said = ` ${nameKey(cleaned)} `;
  const numbers = digitRuns(cleaned);
  for (const choice of turn.state.pending[0]?.choices ?? []) {
    const name = choice.replace(/\s*\$[\d.,]+$/, "");
    const key = nameKey(name);
    if (key && said.includes(` ${key} `)) return name;
    const count = /^(\d+)\b/.exec(key)?.[1];
    if (count && (numbers.includes(count) || (count === "12" && /\bdozen\b/.test(cleaned)))) return name;
  }
  const generic = /\b(small|medium|large|xlarge|extra large|personal|regular|side|entree|single)\b/.exec(cleaned.replace(/\bextra large\b/, "xlarge"));
  return generic?.[1] ?? null;
}

/** "actually make that a medium", "no, three", "remove the wings": changes to lines already added. */
export async function correction(turn: Turn, cleaned: string): Promise<boolean | "large"> {
  const s = turn.s;
  const remove = /\b(remove|take off|take out|cancel|delete|drop|scratch|get rid of|forget|no more|quita|quitar|cancela)\s+(?:the\s+|that\s+|those\s+|my\s+)?(.*)$/.exec(cleaned);
  if (remove) {
    const what = (remove[2] ?? "").replace(/\b(please|from (the|my) order|off|out)\b/g, "").trim();
    const args: Record<string, unknown> = !what || /^(it|that|one|them|those|the last one|last one)$/.test(what) ? (turn.state.last ? { line_id: turn.state.last.lineId } : {}) : { item: what.slice(0, 120) };
    if (Object.keys(args).length === 0) {
      turn.out.push(s.nothingToChange());
      return true;
    }
    const r = await callTool(turn.tools, "remove_item", args);
    if (r.ok) {
      turn.out.push(s.removed(r.result.removed.name));
      if (turn.state.last?.lineId === r.result.removed.lineId) turn.state.last = null;
    } else turn.out.push(r.error.code === "line_not_found" || r.error.code === "no_open_order" ? s.nothingToChange() : r.error.message);
    return true;
  }
  const last = turn.state.last;
  const change = /\b(make (that|it|them|those|the .+?)|change (that|it|them|the size)( to)?|switch (that|it)( to)?|actually|instead)\b|^no\b/.test(cleaned);
  if (!change || !last) return false;
  const target = /\bmake the (.+?) (a |an )?(small|medium|large|xlarge|extra large|\d+ piece)\b/.exec(cleaned);
  const size = /\b(small|medium|large|xlarge|extra large|personal|\d+ piece)\b/.exec(cleaned)?.[1];
  const quantityWord = /\b(?:make (?:that|it|them|those) |actually |no,? |instead )(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\b(?! piece)/.exec(cleaned)?.[1];
  const args: Record<string, unknown> = target ? { item: target[1] } : { line_id: last.lineId };
  if (size) args["size"] = size === "extra large" ? "xlarge" : size;
  else if (quantityWord) args["quantity"] = quantityOf(quantityWord);
  else return false;
  const r = await callTool(turn.tools, "update_item", args);
  if (r.ok) {
    const line: ToolResult<"update_item">["line"] = r.result.line;
    turn.out.push(s.updated(describeLine({ ...line, modifiers: line.modifiers.filter((m) => m.action !== "add" || m.priceCents > 0) }, turn.lang)));
    turn.state.last = { ...last, lineId: line.lineId, request: { ...last.request, quantity: line.quantity, ...(size ? { size } : {}) } };
    if (r.result.cart.flags.largeOrder) return "large";
  } else turn.out.push(r.error.message);
  return true;
}


/**
 * The answer to "Did you mean the A or the B?": the candidate named (or "yes" to a single one) is added with
 * what was first asked for (quantity, size words, choices). Returns false when the turn is about something else.
 */
export async function clarified(turn: Turn, cleaned: string, yn: "yes" | "no" | null): Promise<AddOutcome | null> {
  const pending = turn.state.clarify;
  if (!pending) return null;
  turn.state.clarify = null;
  const said = nameKey(cleaned).split(" ");
  const named = pending.candidates.filter((c) => {
    const words = nameKey(c).split(" ");
    return said.some((t) => t.length >= 3 && words.some((w) => w === t || w.startsWith(t)) && !/^(pizza|the|and)$/.test(t));
  });
  const choice = named.length === 1 ? named[0] : yn === "yes" && pending.candidates.length === 1 ? pending.candidates[0] : undefined;
  if (!choice) return null;
  const sizeWords = /\b(small|medium|large|xlarge|extra large|personal|\d+ piece)\b/.exec(pending.request.item)?.[1];
  const outcome: AddOutcome = { added: [], large: false };
  await addOne(turn, { ...pending.request, item: `${sizeWords ? `${sizeWords} ` : ""}${choice}`.slice(0, 120) }, outcome);
  if (outcome.added.length > 0) turn.out.unshift(turn.s.added(outcome.added.map((l) => l.name)));
  return outcome;
}

/** Parses the sentence's items on the location's menu view. */
export async function itemsIn(turn: Turn, cleaned: string) {
  return { parsed: parseOrder(await turn.menu(), cleaned) };
}
