import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { closeServer, listenOnLoopback } from "./loopback-server.ts";

import { ResponsesRequest } from "./responses-schemas.ts";
import {
  actionsOf,
  type ResponsesAction,
  type ResponsesRequestView,
  type ResponsesRule,
  type ResponsesTrigger,
  type ResponsesTurn,
  respondText,
  turnMatches,
} from "./responses-script.ts";
import { checkRequestSemantics, OpenAiHttpError, schemaError } from "./responses-validation.ts";
import { newId, type ResponsesOutcome, type ResponsesOutputItem, ResponsesStreamer } from "./responses-stream.ts";
import { Waiters } from "./waiters.ts";
import { ResponsesUsageMeter, type ResponsesUsage } from "./responses-usage.ts";

export type ResponsesEmulatorOptions = {
  /** If set, `Authorization: Bearer <apiKey>` must match; otherwise any bearer token is accepted. */
  apiKey?: string;
  /** Wall ms between streamed deltas (default 0: as fast as the socket takes them). */
  deltaDelayMs?: number;
  /** `retry-after-ms` sent with 429/5xx faults (default 10, so the openai client's retries stay quick). */
  retryAfterMs?: number;
  /** What an unscripted request gets (default: a short "say that again" text). */
  defaultReply?: ResponsesAction[];
  port?: number;
};

export type ResponsesViolation = { request: number; kind: string; message: string };

/** One request the emulator answered, with what it decided and sent. */
export type ResponsesRequestRecord = {
  index: number;
  /** Parsed JSON body (undefined when it was not JSON). */
  body: Record<string, unknown> | undefined;
  /** HTTP status answered (200 for a stream, even one that later fails). */
  status: number;
  /** The OpenAI-shaped error of a 4xx/5xx answer. */
  error: { message: string; type: string; param: string | null; code: string | null } | undefined;
  responseId: string | undefined;
  trigger: ResponsesTrigger | undefined;
  lastUserText: string;
  toolOutputs: { callId: string; output: string }[];
  /** Where the answer came from. */
  answeredBy: "queue" | "rule" | "unscripted" | "rejected";
  outcome: ResponsesOutcome | "http-error" | undefined;
  output: ResponsesOutputItem[];
  /** All assistant text of the response, joined. */
  text: string;
  toolCalls: { callId: string; name: string; arguments: string }[];
  usage: ResponsesUsage | undefined;
  /** `performance.now()` when the request's headers arrived, and when its answer was fully written (for benches). */
  startedAt: number;
  finishedAt: number;
};

type Stored = { id: string; context: unknown[]; pendingCallIds: string[] };

function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((c) => String((c as { text?: unknown }).text ?? "")).join(" ");
  return "";
}

/**
 * The emulated OpenAI Responses API (`POST /v1/responses`, docs/PROTOCOLS.md §12) for text engines:
 * strict request validation, SSE streaming of text and function calls, usage with cached tokens,
 * scripted turns and faults. Point the official client at it: `new OpenAI({ apiKey, baseURL: emu.url + "/v1" })`.
 */
export class ResponsesEmulator {
  readonly requests: ResponsesRequestRecord[] = [];
  readonly violations: ResponsesViolation[] = [];
  /** Requests that found no queued turn or rule (answered with the default reply). */
  readonly unscripted: number[] = [];
  /** Problems in the test's own script (e.g. a tool call the request never declared). */
  readonly scriptProblems: string[] = [];
  private readonly opts: ResponsesEmulatorOptions;
  private readonly queue: ResponsesTurn[] = [];
  private readonly rules: ResponsesRule[] = [];
  private readonly ruleUses = new Map<ResponsesRule, number>();
  private readonly stored = new Map<string, Stored>();
  private readonly meter = new ResponsesUsageMeter();
  private readonly waiters = new Waiters();
  private readonly open = new Set<AbortController>();
  private server: Server | undefined;
  private base = "";

  constructor(opts: ResponsesEmulatorOptions = {}) {
    this.opts = opts;
  }

  /** http://127.0.0.1:PORT — the client's baseURL is `url + "/v1"`. */
  get url(): string {
    if (!this.base) throw new Error("ResponsesEmulator is not started: `await startResponsesEmulator()`");
    return this.base;
  }

  /** Token totals over every answered request. */
  get usage(): { requests: number; input_tokens: number; cached_tokens: number; output_tokens: number; total_tokens: number } {
    return this.meter.totals;
  }

  /** Queues turns, answered in order (a turn whose `on`/`match` does not fit is a script mismatch). */
  script(turns: ResponsesTurn[]): this {
    for (const t of turns) actionsOf(t);
    this.queue.push(...turns);
    return this;
  }

  /** A rule checked before the queue on every request (e.g. `{ match: "hours", actions: respondText("…") }`). */
  rule(rule: ResponsesRule): this {
    this.rules.push(rule);
    return this;
  }

  /** Turns still queued. */
  get pendingTurns(): number {
    return this.queue.length;
  }

  /** Throws a readable list if a client request broke the API's rules or the script did not fit. */
  assertNoViolations(): void {
    if (this.violations.length > 0) {
      throw new Error(`Responses API violations (${this.violations.length}):\n${this.violations.map((v) => `  - #${v.request} [${v.kind}] ${v.message}`).join("\n")}`);
    }
  }

  /** Resolves once `count` requests have arrived. */
  waitForRequests(count: number, timeoutMs = 10_000): Promise<void> {
    return this.waitFor(() => this.requests.length >= count, `${count} request(s)`, timeoutMs);
  }

  /** Resolves once `predicate()` holds (checked whenever a request arrives, starts streaming or ends). */
  waitFor(predicate: (emu: this) => boolean, description = "condition", timeoutMs = 10_000): Promise<void> {
    return this.waiters.until(
      () => predicate(this),
      timeoutMs,
      () => new Error(`Responses emulator: timed out after ${timeoutMs} ms waiting for ${description} (${this.requests.length} request(s) so far)`),
    );
  }

  async start(): Promise<this> {
    if (this.server) return this;
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    this.base = await listenOnLoopback(server, this.opts.port);
    return this;
  }

  /** Ends stalled streams and closes the server. */
  async close(): Promise<void> {
    for (const c of this.open) c.abort();
    if (this.server) {
      await closeServer(this.server);
      this.server = undefined;
    }
  }

  private notify(): void {
    this.waiters.notify();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = performance.now();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rec: ResponsesRequestRecord = {
      index: this.requests.length,
      body: undefined,
      status: 200,
      error: undefined,
      responseId: undefined,
      trigger: undefined,
      lastUserText: "",
      toolOutputs: [],
      answeredBy: "rejected",
      outcome: undefined,
      output: [],
      text: "",
      toolCalls: [],
      usage: undefined,
      startedAt,
      finishedAt: Number.NaN,
    };
    this.requests.push(rec);
    try {
      const body = this.authorizeAndParse(req, Buffer.concat(chunks).toString("utf8"), rec);
      await this.answer(body, rec, res);
    } catch (caught) {
      const err = caught instanceof OpenAiHttpError ? caught : new OpenAiHttpError(500, `emulator failure: ${String(caught)}`, null, null, "server_error");
      if (!(caught instanceof OpenAiHttpError)) this.scriptProblems.push(err.message);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      rec.status = err.status;
      rec.error = { message: err.message, type: err.type, param: err.param, code: err.code };
      rec.outcome = "http-error";
      if (err.status === 400) this.violations.push({ request: rec.index, kind: err.code ?? "invalid_request", message: err.message });
      const headers: Record<string, string> = { "Content-Type": "application/json", "x-request-id": newId("req_") };
      if (err.status === 429 || err.status >= 500) headers["retry-after-ms"] = String(this.opts.retryAfterMs ?? 10);
      res.writeHead(err.status, headers);
      res.end(JSON.stringify({ error: rec.error }));
    } finally {
      rec.finishedAt = performance.now();
      this.notify();
    }
  }

  private authorizeAndParse(req: IncomingMessage, raw: string, rec: ResponsesRequestRecord): ResponsesRequest {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "POST" || path !== "/v1/responses") throw new OpenAiHttpError(404, `Invalid URL (${req.method} ${path})`);
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
    if (!m) {
      throw new OpenAiHttpError(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
    }
    if (this.opts.apiKey !== undefined && m[1] !== this.opts.apiKey) {
      throw new OpenAiHttpError(401, `Incorrect API key provided: ${m[1]!.slice(0, 6)}****.`, null, "invalid_api_key");
    }
    if (!/^application\/json\b/.test(req.headers["content-type"] ?? "")) throw new OpenAiHttpError(400, "Content-Type must be application/json.");
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new OpenAiHttpError(400, "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)");
    }
    rec.body = typeof json === "object" && json !== null ? (json as Record<string, unknown>) : undefined;
    const parsed = ResponsesRequest.safeParse(json);
    if (!parsed.success) throw schemaError(parsed.error, json);
    checkRequestSemantics(parsed.data, this.stored);
    return parsed.data;
  }

  private view(body: ResponsesRequest): ResponsesRequestView {
    const items = typeof body.input === "string" ? [{ role: "user" as const, content: body.input }] : body.input;
    const last = items.at(-1);
    const trigger: ResponsesTrigger = last && "type" in last && last.type === "function_call_output" ? "tool_result" : "user";
    const lastUser = [...items].reverse().find((i) => "role" in i && i.role === "user");
    const toolOutputs = items.flatMap((i) => ("type" in i && i.type === "function_call_output" ? [{ callId: i.call_id, output: i.output }] : []));
    return { trigger, lastUserText: lastUser && "content" in lastUser ? messageText(lastUser.content) : "", toolOutputs, body: body as Record<string, unknown> };
  }

  private pick(view: ResponsesRequestView, rec: ResponsesRequestRecord): ResponsesAction[] {
    for (const rule of this.rules) {
      const used = this.ruleUses.get(rule) ?? 0;
      if ((rule.times === undefined || used < rule.times) && turnMatches(rule, view)) {
        this.ruleUses.set(rule, used + 1);
        rec.answeredBy = "rule";
        return actionsOf(rule);
      }
    }
    const head = this.queue[0];
    if (head && turnMatches(head, view)) {
      this.queue.shift();
      rec.answeredBy = "queue";
      return actionsOf(head);
    }
    if (head) {
      this.violations.push({
        request: rec.index,
        kind: "script_mismatch",
        message: `queued turn expects ${head.on ?? "any"}${head.match ? ` matching ${String(head.match)}` : ""} but request #${rec.index} is ${view.trigger} ("${view.lastUserText.slice(0, 60)}")`,
      });
    }
    this.unscripted.push(rec.index);
    rec.answeredBy = "unscripted";
    return this.opts.defaultReply ?? [respondText("Sorry, could you say that again?")];
  }

  private async answer(body: ResponsesRequest, rec: ResponsesRequestRecord, res: ServerResponse): Promise<void> {
    const view = this.view(body);
    rec.trigger = view.trigger;
    rec.lastUserText = view.lastUserText;
    rec.toolOutputs = view.toolOutputs;
    const actions = this.pick(view, rec);
    const http = actions.find((a) => a.kind === "http");
    if (http && http.kind === "http") throw new OpenAiHttpError(http.status, http.message, null, http.code, http.type);
    const declared = new Set((body.tools ?? []).map((t) => t.name));
    for (const a of actions) {
      if (a.kind === "call" && !a.undeclaredOk && !declared.has(a.name)) this.scriptProblems.push(`request #${rec.index}: script calls ${a.name}, which the request did not declare`);
    }
    const id = newId("resp_");
    rec.responseId = id;
    const prev = body.previous_response_id ? this.stored.get(body.previous_response_id) : undefined;
    const input = typeof body.input === "string" ? [{ role: "user", content: body.input }] : body.input;
    const context = [...(prev?.context ?? []), ...input];
    const createdAt = Math.floor(Date.now() / 1000);
    const responseObject = (status: string, extra: Record<string, unknown> = {}) => ({
      id,
      object: "response",
      created_at: createdAt,
      status,
      background: false,
      error: null,
      incomplete_details: null,
      instructions: body.instructions ?? null,
      max_output_tokens: body.max_output_tokens ?? null,
      model: body.model,
      output: [] as unknown[],
      parallel_tool_calls: body.parallel_tool_calls ?? true,
      previous_response_id: body.previous_response_id ?? null,
      prompt_cache_key: body.prompt_cache_key ?? null,
      reasoning: { effort: body.reasoning?.effort ?? null, summary: null },
      store: body.store ?? true,
      temperature: body.temperature ?? 1,
      text: { format: { type: "text" }, verbosity: body.text?.verbosity ?? "medium" },
      tool_choice: body.tool_choice ?? "auto",
      tools: body.tools ?? [],
      top_p: body.top_p ?? 1,
      truncation: body.truncation ?? "disabled",
      usage: null as unknown,
      user: null,
      metadata: body.metadata ?? {},
      ...extra,
    });
    const abort = new AbortController();
    this.open.add(abort);
    res.on("close", () => abort.abort());
    const streaming = body.stream === true;
    if (streaming) res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache", Connection: "keep-alive", "x-request-id": newId("req_") });
    const streamer = new ResponsesStreamer({ res: streaming ? res : undefined, deltaDelayMs: this.opts.deltaDelayMs ?? 0, signal: abort.signal });
    streamer.begin(responseObject("in_progress"));
    this.notify();
    const terminal = await streamer.run(actions);
    this.open.delete(abort);
    rec.outcome = streamer.outcome;
    rec.output = streamer.output;
    rec.text = streamer.output.flatMap((o) => (o.type === "message" ? o.content.map((c) => c.text) : [])).join(" ");
    rec.toolCalls = streamer.output.flatMap((o) => (o.type === "function_call" ? [{ callId: o.call_id, name: o.name, arguments: o.arguments }] : []));
    const usage = this.meter.measure(body, context, streamer.outputChars);
    rec.usage = usage;
    if (body.store !== false && terminal?.type === "response.completed") {
      this.stored.set(id, { id, context: [...context, ...streamer.output], pendingCallIds: rec.toolCalls.map((c) => c.callId) });
    }
    if (!terminal) {
      if (!res.destroyed) res.end();
      return;
    }
    const status = terminal.type === "response.completed" ? "completed" : terminal.type === "response.failed" ? "failed" : "incomplete";
    const final = responseObject(status, {
      output: streamer.output,
      usage,
      error: terminal.type === "response.failed" ? { code: terminal.code, message: terminal.message } : null,
      incomplete_details: terminal.type === "response.incomplete" ? { reason: terminal.reason } : null,
    });
    if (streaming) {
      streamer.end(terminal.type, final);
      res.end();
    } else if (status === "failed") {
      throw new OpenAiHttpError(500, terminal.message ?? "The model failed to generate a response.", null, terminal.code ?? null, "server_error");
    } else {
      res.writeHead(200, { "Content-Type": "application/json", "x-request-id": newId("req_") });
      res.end(JSON.stringify(final));
    }
  }
}

/** Creates a ResponsesEmulator and starts it on a free loopback port. */
export async function startResponsesEmulator(opts: ResponsesEmulatorOptions = {}): Promise<ResponsesEmulator> {
  return new ResponsesEmulator(opts).start();
}
