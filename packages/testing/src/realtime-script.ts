/** What the emulated model does in one response. */
export type ModelAction =
  | { kind: "say"; transcript: string; ms: number }
  | { kind: "call"; name: string; arguments: string }
  | { kind: "fail"; type: string; code: string; message: string }
  | { kind: "close"; code: number; reason: string }
  | { kind: "stall" };

/** What makes the model respond. */
export type Trigger = "greeting" | "caller_speech" | "tool_result" | "text" | "response_create";

export type ScriptTurn = {
  /** Which trigger this turn answers; "any" takes whatever comes next. */
  on: Trigger | "any";
  actions: ModelAction[];
  /** For caller_speech turns: the transcript of what the caller said (sent as input_audio_transcription.completed). */
  heard?: string;
};

type Actions = ModelAction | ModelAction[];

/** A script turn in the short form: `{ onCallerSpeech: say("Sure!", 800), heard: "a large pepperoni" }`. */
export type ScriptTurnInput =
  | ScriptTurn
  | { greeting: Actions }
  | { onCallerSpeech: Actions; heard?: string }
  | { onToolResult: Actions }
  | { onText: Actions }
  | { onResponseCreate: Actions }
  | { onAny: Actions; heard?: string };

const arr = (a: Actions): ModelAction[] => (Array.isArray(a) ? a : [a]);

export function normalizeTurn(t: ScriptTurnInput): ScriptTurn {
  if ("on" in t) return t;
  if ("greeting" in t) return { on: "greeting", actions: arr(t.greeting) };
  if ("onCallerSpeech" in t) return { on: "caller_speech", actions: arr(t.onCallerSpeech), ...(t.heard !== undefined ? { heard: t.heard } : {}) };
  if ("onToolResult" in t) return { on: "tool_result", actions: arr(t.onToolResult) };
  if ("onText" in t) return { on: "text", actions: arr(t.onText) };
  if ("onResponseCreate" in t) return { on: "response_create", actions: arr(t.onResponseCreate) };
  if ("onAny" in t) return { on: "any", actions: arr(t.onAny), ...(t.heard !== undefined ? { heard: t.heard } : {}) };
  throw new TypeError(`unknown script turn ${JSON.stringify(t)}`);
}

/** The model speaks `ms` of audio (in the negotiated output format) with this transcript. */
export function say(transcript: string, ms: number): ModelAction {
  if (!(ms > 0)) throw new RangeError(`say: ms must be > 0, got ${ms}`);
  return { kind: "say", transcript, ms };
}

/** The model calls a function; `args` is sent JSON-encoded (pass a string to send it verbatim, e.g. malformed JSON). */
export function callTool(name: string, args: Record<string, unknown> | string = {}): ModelAction {
  return { kind: "call", name, arguments: typeof args === "string" ? args : JSON.stringify(args) };
}

/** The model ends the call: by convention a call of the `end_call` tool (name configurable). */
export function endCall(args: Record<string, unknown> = {}, tool = "end_call"): ModelAction {
  return callTool(tool, args);
}

/** The response fails: an `error` event, then response.done with status "failed". */
export function fail(code = "server_error", message = "The server had an error while processing your request.", type = "server_error"): ModelAction {
  return { kind: "fail", type, code, message };
}

/** The server closes the WebSocket with this code (e.g. 1011 internal error, 1006-like drops use 1001). */
export function closeSocket(code = 1011, reason = "internal error"): ModelAction {
  return { kind: "close", code, reason };
}

/** The model stops mid-response: nothing more is sent for this response (a hung upstream). */
export function stall(): ModelAction {
  return { kind: "stall" };
}
