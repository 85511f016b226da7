/**
 * Text turns: how long a caller waits for our reply on the text transports, through the real stack.
 *
 *   node bench/text-turns.ts [concurrent calls ...]     default: 1 10 50
 *   BENCH_TURNS=200 BENCH_MODES=gather,relay BENCH_TURNS_PER_CALL=8 BENCH_THINK_MS=2000-4000 BENCH_MAX_LOAD=1.5 node bench/text-turns.ts 10
 *   BENCH_GATEWAY_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/gw-prof" node bench/text-turns.ts 10
 *
 * menu-service, order-service and telephony-gateway run as processes (@orderline/e2e's startLocalStack) on a
 * fresh seeded database; the OpenAI Responses API emulator answers at once (deltas as fast as the socket takes
 * them). The caller side is a lean signed driver in this process, doing what Twilio does:
 * - <Gather>: signed POST /voice/incoming → first <Gather>; each turn a signed POST /voice/gather with
 *   SpeechResult/Confidence; measured from sending the POST to the full TwiML answer;
 * - ConversationRelay: signed POST /voice/incoming → <Connect><ConversationRelay>, signed upgrade, `setup` with the
 *   call token; each turn a final `prompt`; measured from sending it to the first `text` token and to `last:true`.
 * Turns alternate between a plain one (the model answers in two sentences) and a tool one (the model calls
 * get_menu, menu-service answers over NATS, the model answers): BENCH_TURNS of each kind per mode and
 * concurrency. A call takes BENCH_TURNS_PER_CALL turns, then hangs up and the next call starts; between a reply
 * and the next turn the caller pauses BENCH_THINK_MS (listening, then speaking), 100 ms with one call. "model" is
 * the emulator's own time for the turn's requests (arrival → answer written); "ours" = caller-side − model.
 */
import { randomBytes } from "node:crypto";
import { DEMO_LOCATIONS } from "@orderline/db";
import { type LocalStack, PUBLIC_BASE_URL, startLocalStack } from "@orderline/e2e";
import { encodeForm, respondText, respondToolCall, twilioSignature } from "@orderline/testing";
import WebSocket from "ws";
import { awaitQuietMachine, loadAverage, procStat, Samples } from "./measure.ts";

type Mode = "gather" | "relay";
type Kind = "plain" | "tool";

const TURNS = Number(process.env.BENCH_TURNS ?? 200);
const TURNS_PER_CALL = Number(process.env.BENCH_TURNS_PER_CALL ?? 8);
const [THINK_MIN, THINK_MAX] = (process.env.BENCH_THINK_MS ?? "2000-4000").split("-").map(Number) as [number, number];
const MODES = (process.env.BENCH_MODES ?? "gather,relay").split(",") as Mode[];
const LEVELS = process.argv.slice(2).map(Number).filter((n) => n > 0);
const TURN_TIMEOUT_MS = 15_000;
const NY = DEMO_LOCATIONS.newYork;
const PLAIN_REPLY = "Sure, I can do that for you. Is there anything else?";
const TOOL_REPLY = "We have pizza, wings, salads and drinks. What can I get you?";

const out = (s = "") => process.stdout.write(`${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One measured turn: `first` is the first text token (relay), `total` the whole reply. */
type TurnSample = { kind: Kind; text: string; first: number; total: number };

class Phase {
  readonly samples: TurnSample[] = [];
  failures: string[] = [];
  private left: Record<Kind, number>;
  constructor(turnsPerKind: number) {
    this.left = { plain: turnsPerKind, tool: turnsPerKind };
  }
  get done(): boolean {
    return this.left.plain <= 0 && this.left.tool <= 0;
  }
  /** Claims the next turn of a call (preferring `kind`), or null when the phase has all its turns. */
  claim(kind: Kind): Kind | null {
    const other: Kind = kind === "plain" ? "tool" : "plain";
    const k = this.left[kind] > 0 ? kind : this.left[other] > 0 ? other : null;
    if (k) this.left[k]--;
    return k;
  }
}

function utterance(kind: Kind, call: number, turn: number): string {
  // Unique per turn, so the emulator's records of the turn's requests can be found again (their last user text).
  return kind === "tool" ? `What do you have on the menu? This is caller ${call}, turn ${turn}.` : `I would like to order, please. This is caller ${call}, turn ${turn}.`;
}

class Caller {
  private readonly stack: LocalStack;
  readonly callSid = `CA${randomBytes(16).toString("hex")}`;
  readonly from: string;
  constructor(stack: LocalStack, index: number) {
    this.stack = stack;
    this.from = `+1415${String(5_000_000 + index).padStart(7, "0")}`;
  }
  private params(extra: Record<string, string>): Record<string, string> {
    return { AccountSid: this.stack.cloud.accountSid, CallSid: this.callSid, From: this.from, To: NY.phone, Direction: "inbound", ApiVersion: "2010-04-01", ...extra };
  }
  /** A signed webhook as Twilio posts it; resolves with the body once it is fully read. */
  async post(path: string, extra: Record<string, string>): Promise<{ status: number; body: string }> {
    const params = this.params(extra);
    const signature = twilioSignature(this.stack.cloud.authToken, `${PUBLIC_BASE_URL}${path}`, params);
    const res = await fetch(`http://127.0.0.1:${this.stack.gatewayPort}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
      body: encodeForm(params),
      signal: AbortSignal.timeout(TURN_TIMEOUT_MS),
    });
    return { status: res.status, body: await res.text() };
  }
  hangUp(): Promise<unknown> {
    return this.post("/voice/status", { CallStatus: "completed", CallDuration: "30" });
  }
}

const replyTo = (kind: Kind) => (kind === "tool" ? TOOL_REPLY : PLAIN_REPLY);

/**
 * The turns of one call: claims each from the phase (plain and tool alternating), pauses, runs it; a turn that
 * gives back a string failed (recorded; the call ends).
 */
async function eachTurn(
  phase: Phase,
  call: number,
  think: () => number,
  turn: (kind: Kind, text: string) => Promise<{ first: number; total: number } | string>,
): Promise<void> {
  for (let t = 0; t < TURNS_PER_CALL; t++) {
    const kind = phase.claim(t % 2 === 0 ? "plain" : "tool");
    if (!kind) return;
    await sleep(think());
    const text = utterance(kind, call, t);
    const r = await turn(kind, text);
    if (typeof r === "string") {
      phase.failures.push(`${kind} turn: ${r}`);
      return;
    }
    phase.samples.push({ kind, text, ...r });
  }
}

async function gatherCall(stack: LocalStack, phase: Phase, index: number, think: () => number): Promise<void> {
  const caller = new Caller(stack, index);
  const first = await caller.post("/voice/incoming", { CallStatus: "ringing" });
  if (!first.body.includes("<Gather")) throw new Error(`call ${index}: no <Gather> in ${first.body.slice(0, 300)}`);
  try {
    await eachTurn(phase, index, think, async (kind, text) => {
      const t0 = performance.now();
      const res = await caller.post("/voice/gather", { CallStatus: "in-progress", SpeechResult: text, Confidence: "0.92", Language: "en-US" });
      const total = performance.now() - t0;
      if (res.status !== 200 || !res.body.includes("<Gather") || !res.body.includes(replyTo(kind))) return `HTTP ${res.status} ${res.body.slice(0, 200)}`;
      return { first: total, total };
    });
  } finally {
    await caller.hangUp();
  }
}

async function relayCall(stack: LocalStack, phase: Phase, index: number, think: () => number): Promise<void> {
  const caller = new Caller(stack, index);
  const first = await caller.post("/voice/incoming", { CallStatus: "ringing" });
  const url = /<ConversationRelay [^>]*url="([^"]+)"/.exec(first.body)?.[1];
  const token = /name="callToken" value="([^"]+)"/.exec(first.body)?.[1];
  if (!url || !token) throw new Error(`call ${index}: no <ConversationRelay> with a token in ${first.body.slice(0, 300)}`);
  const ws = new WebSocket(`ws://127.0.0.1:${stack.gatewayPort}${new URL(url).pathname}`, {
    headers: { "x-twilio-signature": twilioSignature(stack.cloud.authToken, url, {}), "user-agent": "Twilio.TmeWs/1.0" },
    perMessageDeflate: false,
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  let waiting: { t0: number; first: number; tokens: string[]; done: (ok: boolean, why?: string) => void } | null = null;
  ws.on("message", (data: Buffer) => {
    const now = performance.now();
    const msg = JSON.parse(data.toString("utf8")) as { type: string; token?: string; last?: boolean };
    const w = waiting;
    if (!w) return;
    if (msg.type === "text") {
      if (msg.token && Number.isNaN(w.first)) w.first = now - w.t0;
      if (msg.token) w.tokens.push(msg.token);
      if (msg.last) w.done(true);
    } else if (msg.type === "end") w.done(false, `end ${JSON.stringify(msg)}`);
  });
  ws.send(
    JSON.stringify({
      type: "setup",
      sessionId: `VX${randomBytes(16).toString("hex")}`,
      accountSid: stack.cloud.accountSid,
      parentCallSid: "",
      callSid: caller.callSid,
      from: caller.from,
      to: NY.phone,
      forwardedFrom: "",
      callType: "PSTN",
      callerName: "",
      direction: "inbound",
      callStatus: "IN-PROGRESS",
      customParameters: { callToken: token },
    }),
  );
  try {
    await eachTurn(phase, index, think, async (kind, text) => {
      const turn = { t0: 0, first: Number.NaN, tokens: [] as string[], done: (_ok: boolean, _why?: string) => {} };
      const result = new Promise<{ ok: boolean; why?: string }>((resolve) => {
        const timer = setTimeout(() => resolve({ ok: false, why: `no last:true within ${TURN_TIMEOUT_MS} ms` }), TURN_TIMEOUT_MS);
        turn.done = (ok, why) => {
          clearTimeout(timer);
          resolve({ ok, why });
        };
      });
      waiting = turn;
      turn.t0 = performance.now();
      ws.send(JSON.stringify({ type: "prompt", voicePrompt: text, lang: "en-US", last: true }));
      const r = await result;
      const total = performance.now() - turn.t0;
      waiting = null;
      const said = turn.tokens.join("");
      if (!r.ok || !said.includes(replyTo(kind))) return r.why ?? `heard "${said}"`;
      return { first: turn.first, total };
    });
  } finally {
    ws.close();
    await caller.hangUp();
  }
}

let nextCall = 0;

/** `concurrency` callers, each placing calls one after another until the phase has its turns. */
async function runPhase(stack: LocalStack, mode: Mode, concurrency: number, turnsPerKind: number): Promise<Phase> {
  const phase = new Phase(turnsPerKind);
  const think = concurrency === 1 ? () => 100 : () => THINK_MIN + Math.random() * (THINK_MAX - THINK_MIN);
  const call = mode === "gather" ? gatherCall : relayCall;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      // Callers start spread over one pause, as calls arriving independently would.
      await sleep(concurrency === 1 ? 0 : (w / concurrency) * THINK_MAX);
      while (!phase.done) {
        await call(stack, phase, nextCall++, think).catch((err: unknown) => phase.failures.push(`${mode} call: ${err instanceof Error ? err.message : String(err)}`));
      }
    }),
  );
  return phase;
}

/** The emulator's time per turn: its requests carrying the turn's (unique) caller words, summed. */
function modelTimes(stack: LocalStack): Map<string, { ms: number; requests: number }> {
  const byText = new Map<string, { ms: number; requests: number }>();
  for (const r of stack.responses.requests.splice(0)) {
    const m = byText.get(r.lastUserText) ?? { ms: 0, requests: 0 };
    m.ms += r.finishedAt - r.startedAt;
    m.requests++;
    byText.set(r.lastUserText, m);
  }
  return byText;
}

const f = (v: number) => (Number.isNaN(v) ? "–" : v.toFixed(v >= 100 ? 0 : 1));
const four = (s: Samples) => [50, 90, 99, 100].map((p) => f(s.pct(p))).join(" / ");

function rows(mode: Mode, calls: number, phase: Phase, model: Map<string, { ms: number; requests: number }>, extra: Record<string, string>): Record<string, string>[] {
  return (["plain", "tool"] as const).map((kind) => {
    const turns = phase.samples.filter((t) => t.kind === kind);
    const first = new Samples();
    const total = new Samples();
    const modelMs = new Samples();
    const ours = new Samples();
    const requests = new Samples();
    for (const t of turns) {
      const m = model.get(t.text) ?? { ms: Number.NaN, requests: 0 };
      first.add(t.first);
      total.add(t.total);
      modelMs.add(m.ms);
      ours.add(t.total - m.ms);
      requests.add(m.requests);
    }
    return {
      mode,
      calls: String(calls),
      turn: kind === "tool" ? "get_menu + reply" : "reply",
      turns: String(turns.length),
      ...(mode === "relay" ? { "first token p50/p90/p99/max ms": four(first) } : {}),
      "reply p50/p90/p99/max ms": four(total),
      "model p50 ms": f(modelMs.pct(50)),
      "ours p50/p99 ms": `${f(ours.pct(50))} / ${f(ours.pct(99))}`,
      "model requests/turn": `${requests.pct(0)}–${requests.pct(100)}`,
      ...extra,
    };
  });
}

const levels = LEVELS.length > 0 ? LEVELS : [1, 10, 50];
out(`text turns: ${TURNS} turns of each kind per mode and concurrency, ${TURNS_PER_CALL} turns per call, pause ${THINK_MIN}–${THINK_MAX} ms (100 ms at 1 call)`);
const gatewayEnv: Record<string, string> = { CALLER_MAX_CALLS_PER_HOUR: "10000", LOG_LEVEL: "warn" };
// e.g. BENCH_GATEWAY_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/gw-prof": a CPU profile of the gateway, written when it stops.
if (process.env.BENCH_GATEWAY_NODE_OPTIONS) gatewayEnv.NODE_OPTIONS = process.env.BENCH_GATEWAY_NODE_OPTIONS;
const stack = await startLocalStack({ gatewayEnv });
const table: Record<string, string>[] = [];
try {
  await stack.db.db.updateTable("locations").set({ max_concurrent_calls: 1000 }).execute();
  stack.responses.rule({ on: "user", match: "on the menu", actions: respondToolCall("get_menu", {}) });
  stack.responses.rule({ on: "tool_result", actions: respondText(TOOL_REPLY) });
  stack.responses.rule({ on: "user", actions: respondText(PLAIN_REPLY) });
  const pids = { gateway: stack.services.gateway.pid, menu: stack.services.menu.pid, order: stack.services.order.pid };
  for (const mode of MODES) {
    await stack.db.db
      .insertInto("location_conversation_settings")
      .values({ location_id: NY.id, mode, text_engine: "openai" })
      .onConflict((oc) => oc.column("location_id").doUpdateSet({ mode, text_engine: "openai" }))
      .execute();
    const warm = await runPhase(stack, mode, 4, 16);
    modelTimes(stack);
    if (warm.failures.length > 0) throw new Error(`${mode} warm-up failed: ${warm.failures.slice(0, 3).join("; ")}\n${stack.services.gateway.logs().slice(-3000)}`);
    for (const calls of levels) {
      const quiet = await awaitQuietMachine(out);
      const before = { gw: procStat(pids.gateway).cpuMs, tools: procStat(pids.menu).cpuMs + procStat(pids.order).cpuMs, self: process.cpuUsage() };
      const t0 = performance.now();
      const phase = await runPhase(stack, mode, calls, TURNS);
      const seconds = (performance.now() - t0) / 1000;
      const n = phase.samples.length;
      const gwMs = procStat(pids.gateway).cpuMs - before.gw;
      const toolMs = procStat(pids.menu).cpuMs + procStat(pids.order).cpuMs - before.tools;
      const self = process.cpuUsage(before.self);
      const extra = {
        "turns/s": (n / seconds).toFixed(1),
        "gateway CPU ms/turn": (gwMs / n).toFixed(2),
        "menu+order CPU ms/turn": (toolMs / n).toFixed(2),
        "driver+emulator CPU ms/turn": ((self.user + self.system) / 1000 / n).toFixed(2),
        "load avg start/end": `${quiet.load}${quiet.gaveUp ? " (gave up waiting)" : ""} / ${loadAverage()}`,
        failures: String(phase.failures.length),
      };
      for (const row of rows(mode, calls, phase, modelTimes(stack), extra)) {
        table.push(row);
        out(JSON.stringify(row));
      }
      for (const failure of phase.failures.slice(0, 5)) out(`  failure: ${failure}`);
    }
  }
  const problems = [...stack.responses.violations.map((v) => v.message), ...stack.responses.scriptProblems];
  if (problems.length > 0) out(`Responses emulator problems: ${problems.slice(0, 5).join("; ")}`);
} finally {
  await stack.close();
}
console.table(table);
process.exit(0);
