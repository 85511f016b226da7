/**
 * What the emulated OpenAI text model does for one `POST /v1/responses` (docs/PROTOCOLS.md §12): the
 * output it streams and the faults it can inject. Actions run in order within one response.
 */
export type ResponsesAction =
  /** An assistant message, streamed as output_text deltas (one per word). */
  | { kind: "text"; text: string }
  /** A function_call output item; `arguments` is sent verbatim (a JSON string, or anything for bad-input tests). */
  | { kind: "call"; name: string; arguments: string; undeclaredOk: boolean }
  /** A top-level `error` event, then the stream ends (what the API sends when generation breaks). */
  | { kind: "error"; code: string; message: string }
  /** `response.failed` with `response.error`, then the stream ends. */
  | { kind: "failed"; code: string; message: string }
  /** `response.incomplete` with `incomplete_details.reason`, then the stream ends. */
  | { kind: "incomplete"; reason: "max_output_tokens" | "content_filter" }
  /** The TCP connection is destroyed where this action stands (a stream cut half-way). */
  | { kind: "cut" }
  /** Nothing more is sent (headers and earlier events stay delivered) until the client gives up. */
  | { kind: "stall" }
  /** The request is answered with an HTTP error instead of a stream (must be the turn's only action). */
  | { kind: "http"; status: number; code: string | null; type: string; message: string };

/** Which request a turn answers: the caller's words, or the results of the model's own tool calls. */
export type ResponsesTrigger = "user" | "tool_result";

export type ResponsesTurn = {
  /** Default "any": whatever comes next. */
  on?: ResponsesTrigger | "any";
  /**
   * Only answer when the last user message matches (case-insensitive substring, or a RegExp), or when the
   * predicate holds for the request. Queued turns that do not match are a script mismatch.
   */
  match?: string | RegExp | ((request: ResponsesRequestView) => boolean);
  actions: ResponsesAction | ResponsesAction[];
};

/** What a turn's `match` predicate may look at. */
export type ResponsesRequestView = {
  trigger: ResponsesTrigger;
  /** Text of the last user message in `input` ("" when none). */
  lastUserText: string;
  /** `function_call_output` items of this request. */
  toolOutputs: { callId: string; output: string }[];
  /** The parsed request body. */
  body: Record<string, unknown>;
};

/** A persistent rule (not consumed): answers every request it matches, up to `times`. */
export type ResponsesRule = ResponsesTurn & { times?: number };

export function actionsOf(turn: ResponsesTurn): ResponsesAction[] {
  return Array.isArray(turn.actions) ? turn.actions : [turn.actions];
}

/** True when `turn` may answer `view` (trigger and match). */
export function turnMatches(turn: ResponsesTurn, view: ResponsesRequestView): boolean {
  const on = turn.on ?? "any";
  if (on !== "any" && on !== view.trigger) return false;
  const m = turn.match;
  if (m === undefined) return true;
  if (typeof m === "function") return m(view);
  if (typeof m === "string") return view.lastUserText.toLowerCase().includes(m.toLowerCase());
  return m.test(view.lastUserText);
}

/** The model answers with this text (streamed word by word). */
export function respondText(text: string): ResponsesAction {
  if (text.length === 0) throw new RangeError("respondText: text must not be empty");
  return { kind: "text", text };
}

/** The model calls a declared function; `args` is JSON-encoded (pass a string to send it verbatim). */
export function respondToolCall(name: string, args: Record<string, unknown> | string = {}): ResponsesAction {
  return { kind: "call", name, arguments: typeof args === "string" ? args : JSON.stringify(args), undeclaredOk: false };
}

/** Fault: the model calls a function the request never declared (a hallucinated tool). */
export function respondUnknownTool(name = "apply_discount", args: Record<string, unknown> | string = { percent: 100 }): ResponsesAction {
  return { kind: "call", name, arguments: typeof args === "string" ? args : JSON.stringify(args), undeclaredOk: true };
}

/** Fault: a reply that names a price no tool returned (e.g. "$4.50"), the classic voice-agent mistake. */
export function respondInventedPrice(price = "$4.50", template = (p: string) => `Sure, that's ${p} extra, added to your order.`): ResponsesAction {
  return respondText(template(price));
}

/** Fault: a top-level `error` event, then the stream ends. */
export function respondError(code = "server_error", message = "The server had an error while processing your request. Sorry about that!"): ResponsesAction {
  return { kind: "error", code, message };
}

/** Fault: `response.failed` (status "failed", `error {code, message}`). */
export function respondFailed(code = "server_error", message = "The model failed to generate a response."): ResponsesAction {
  return { kind: "failed", code, message };
}

/** Fault: `response.incomplete` (e.g. the output hit max_output_tokens). */
export function respondIncomplete(reason: "max_output_tokens" | "content_filter" = "max_output_tokens"): ResponsesAction {
  return { kind: "incomplete", reason };
}

/** Fault: the connection drops here (put it after a `respondText` to cut a reply half-way). */
export function respondCut(): ResponsesAction {
  return { kind: "cut" };
}

/** Fault: the stream stops sending here and never finishes (the client's timeout must fire). */
export function respondStall(): ResponsesAction {
  return { kind: "stall" };
}

const HTTP_ERRORS: Record<number, { type: string; code: string | null; message: string }> = {
  429: { type: "requests", code: "rate_limit_exceeded", message: "Rate limit reached for requests. Please try again in 20ms." },
  500: { type: "server_error", code: null, message: "The server had an error while processing your request. Sorry about that!" },
  502: { type: "server_error", code: null, message: "Bad gateway." },
  503: { type: "server_error", code: null, message: "The engine is currently overloaded, please try again later." },
};

/** Fault: the request fails with this HTTP status and an OpenAI-shaped error body (429, 500, 502, 503…). */
export function respondHttp(status: 429 | 500 | 502 | 503 | number, message?: string): ResponsesAction {
  if (!(status >= 400 && status <= 599)) throw new RangeError(`respondHttp: status must be 4xx or 5xx, got ${status}`);
  const known = HTTP_ERRORS[status] ?? { type: "server_error", code: null, message: `HTTP ${status}` };
  return { kind: "http", status, code: known.code, type: known.type, message: message ?? known.message };
}
