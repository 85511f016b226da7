import type { z } from "zod";
import { bytesPerMs, modelAudio } from "./realtime-audio.ts";
import { type ActiveResponse, BETA_RESPONSE_KEYS, id, type ItemState, ResponseParams } from "./realtime-schemas.ts";
import type { ModelAction, ScriptTurn, Trigger } from "./realtime-script.ts";
import type { RealtimeSession } from "./realtime-session.ts";

// Responses of the emulated model: response.create validation, the script turn that answers each trigger,
// audio and transcript deltas, function calls, cancellation (barge-in), usage.

export function onResponseCreate(s: RealtimeSession, ev: Record<string, unknown>, eventId: string | null): void {
  const params = ev["response"];
  if (params && typeof params === "object") {
    const beta = BETA_RESPONSE_KEYS.filter((k) => k in params);
    if (beta.length > 0) {
      s.reject("beta_response_create", `response.create in the beta shape: ${beta.map((k) => `response.${k}`).join(", ")}`, "unknown_parameter", `response.${beta[0]}`, eventId);
      return;
    }
  }
  const parsed = ResponseParams.safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;s.reject("response_create", `invalid response.create: response.${issue.path.join(".")}: ${issue.message}`, "invalid_value", `response.${issue.path.join(".")}`, eventId); return; 
  }
  for (const [callId, c] of s.pendingCalls) {
    if (!s.opts.noOutputNeeded.includes(c.name)) s.violate("missing_tool_output", `response.create before the function_call_output for call_id ${callId} (${c.name})`);
  }
  if (s.active) {
    s.sendError("invalid_request_error", "conversation_already_has_active_response", `Conversation already has an active response in progress: ${s.active.id}. Wait until the response is finished before creating a new one.`, null, eventId);
    return;
  }
  const trigger: Trigger = s.since.toolOutput
    ? "tool_result"
    : s.since.text
      ? "text"
      : s.since.audio
        ? "caller_speech"
        : s.responses.length === 0
          ? "greeting"
          : "response_create";
  void respond(s, trigger, parsed.data);
}

export function cancel(s: RealtimeSession, reason: "turn_detected" | "client_cancelled"): void {
  if (!s.active || s.active.cancelled) return;
  s.active.cancelled = reason;
  s.active.wake();
}

export function takeTurn(s: RealtimeSession, trigger: Trigger): ScriptTurn | undefined {
  const turn = s.script[s.scriptIndex];
  if (!turn) {
    s.unscripted.push(trigger);
    return undefined;
  }
  // A greeting is the session's first response however it was asked for (bare response.create, or a
  // user text item such as "the caller is connected").
  const greeting = turn.on === "greeting" && s.responses.length === 0 && (trigger === "greeting" || trigger === "text" || trigger === "response_create");
  const ok = turn.on === "any" || turn.on === trigger || greeting || (turn.on === "response_create" && trigger !== "caller_speech");
  if (!ok) {
    s.violate("script_mismatch", `script turn ${s.scriptIndex} expects ${turn.on} but the conversation produced ${trigger}`);
    return undefined;
  }
  s.scriptIndex += 1;
  return turn;
}

export function usage(s: RealtimeSession, active: ActiveResponse): Record<string, number | Record<string, number | Record<string, number>>> {
  const instructions = String(s.config["instructions"] ?? "");
  const tools = JSON.stringify(s.config["tools"] ?? []);
  const textIn = Math.ceil((instructions.length + tools.length) / 4) + s.toolOutputs.reduce((n, o) => n + Math.ceil(o.output.length / 4), 0);
  const audioIn = Math.ceil(s.inputMs / 100) + s.responses.reduce((n, r) => n + Math.ceil(r.audioMs / 50), 0);
  const inputTokens = textIn + audioIn;
  const cached = Math.min(inputTokens, Math.floor(s.inputTokensBilled / 64) * 64);
  const cachedText = Math.min(textIn, cached);
  s.inputTokensBilled = inputTokens;
  const audioOut = Math.ceil(active.audioMs / 50);
  const textOut = Math.ceil(active.textChars / 4);
  return {
    total_tokens: inputTokens + audioOut + textOut,
    input_tokens: inputTokens,
    output_tokens: audioOut + textOut,
    input_token_details: {
      text_tokens: textIn,
      audio_tokens: audioIn,
      image_tokens: 0,
      cached_tokens: cached,
      cached_tokens_details: { text_tokens: cachedText, audio_tokens: cached - cachedText, image_tokens: 0 },
    },
    output_token_details: { text_tokens: textOut, audio_tokens: audioOut },
  };
}

export async function respond(s: RealtimeSession, trigger: Trigger, params: z.infer<typeof ResponseParams>): Promise<void> {
  // A response being cancelled (barge-in) still has to send its response.done; the new one follows it.
  while (s.active?.cancelled) await s.active.finished;
  if (s.active) {
    s.sendError("invalid_request_error", "conversation_already_has_active_response", `Conversation already has an active response in progress: ${s.active.id}.`);
    return;
  }
  const turn = takeTurn(s, trigger);
  s.since = { audio: false, text: false, toolOutput: false };
  let wake: () => void = () => {};
  let finish: () => void = () => {};
  const finished = new Promise<void>((r) => {
    finish = r;
  });
  const active: ActiveResponse = { id: id("resp_"), cancelled: undefined, wake: () => wake(), outputItems: [], audioMs: 0, textChars: 0, finished };
  s.active = active;
  try {
    await runResponse(s, active, turn, trigger, params, (w) => {
      wake = w;
    });
  } finally {
    if (s.active === active) s.active = undefined;
    finish();
  }
}

export async function runResponse(
s: RealtimeSession,
  active: ActiveResponse,
  turn: ScriptTurn | undefined,
  trigger: Trigger,
  params: z.infer<typeof ResponseParams>,
  setWake: (w: () => void) => void,
): Promise<void> {
  const record = { id: active.id, trigger, status: "in_progress", audioMs: 0, transcript: "" };
  s.responses.push(record);
  const fmt = s.outputFormat;
  const voice = (s.config["audio"] as { output: { voice: string } }).output.voice;
  const base = {
    id: active.id,
    object: "realtime.response" as const,
    conversation_id: id("conv_"),
    output_modalities: (params?.output_modalities ?? s.config["output_modalities"]) as ("audio" | "text")[],
    max_output_tokens: (params?.max_output_tokens ?? s.config["max_output_tokens"]) as number | "inf",
    audio: { output: { format: fmt, voice } },
    metadata: params?.metadata ?? null,
  };
  s.emit({ type: "response.created", response: { ...base, status: "in_progress", status_details: null as never, output: [], usage: null as never } });
  s.emit({
    type: "rate_limits.updated",
    rate_limits: [
      { name: "requests", limit: 5000, remaining: 4999, reset_seconds: 0.012 },
      { name: "tokens", limit: 400000, remaining: 395000, reset_seconds: 0.75 },
    ],
  });
  let status: "completed" | "cancelled" | "failed" = "completed";
  let failure: { type: string; code: string } | undefined;
  const actions: ModelAction[] = turn?.actions ?? [];
  const paceSleep = async (ms: number) => {
    if (active.cancelled || s.ws.readyState !== s.ws.OPEN) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      setWake(() => {
        clearTimeout(t);
        resolve();
      });
    });
  };
  for (const [outputIndex, action] of actions.entries()) {
    if (active.cancelled || s.ws.readyState !== s.ws.OPEN) break;
    if (action.kind === "say") {
      await speak(s, active, action.transcript, action.ms, outputIndex, record, paceSleep);
    } else if (action.kind === "call") {
      functionCall(s, active, action.name, action.arguments, outputIndex);
    } else if (action.kind === "fail") {
      s.sendError(action.type, action.code, action.message);
      status = "failed";
      failure = { type: action.type, code: action.code };
      break;
    } else if (action.kind === "close") {
      s.close(action.code, action.reason);
      break;
    } else if (action.kind === "stall") {
      await new Promise<void>((resolve) => setWake(resolve));
      if (!active.cancelled) break;
    }
  }
  if (s.ws.readyState !== s.ws.OPEN) {
    record.status = "aborted";
    return;
  }
  if (active.cancelled) status = "cancelled";
  record.status = status;
  const statusDetails =
    status === "completed"
      ? null
      : status === "cancelled"
        ? { type: "cancelled" as const, reason: active.cancelled as "turn_detected" | "client_cancelled" }
        : { type: "failed" as const, error: failure };
  s.active = undefined;
  s.emit({ type: "response.done", response: { ...base, status, status_details: statusDetails as never, output: active.outputItems as never, usage: usage(s, active) } });
}

export function outputAudio(s: RealtimeSession, ms: number): Buffer {
  return modelAudio(ms, s.outputFormat);
}

export async function speak(
s: RealtimeSession,
  active: ActiveResponse,
  transcript: string,
  ms: number,
  outputIndex: number,
  record: RealtimeSession["responses"][number],
  paceSleep: (ms: number) => Promise<void>,
): Promise<void> {
  const itemId = id("item_");
  const previous = s.lastItemId;
  const state: ItemState = { id: itemId, type: "message", role: "assistant", audioMs: 0, transcript: "" };
  s.addItem(state);
  const item = { id: itemId, object: "realtime.item" as const, type: "message" as const, role: "assistant" as const, status: "in_progress" as const, content: [] };
  s.emit({ type: "response.output_item.added", response_id: active.id, output_index: outputIndex, item });
  s.emit({ type: "conversation.item.added", previous_item_id: previous, item });
  s.emit({ type: "response.content_part.added", response_id: active.id, item_id: itemId, output_index: outputIndex, content_index: 0, part: { type: "audio", transcript: "" } });
  s.modelSpoke = true;
  const audio = outputAudio(s, ms);
  const bpm = bytesPerMs(s.outputFormat);
  const chunkBytes = s.opts.chunkMs * bpm;
  const words = transcript.split(/(?<=\s)/);
  const chunks = Math.max(1, Math.ceil(audio.length / chunkBytes));
  let wordsSent = 0;
  let said = "";
  for (let i = 0; i < chunks; i++) {
    if (active.cancelled || s.ws.readyState !== s.ws.OPEN) break;
    const chunk = audio.subarray(i * chunkBytes, (i + 1) * chunkBytes);
    s.emit({ type: "response.output_audio.delta", response_id: active.id, item_id: itemId, output_index: outputIndex, content_index: 0, delta: chunk.toString("base64") });
    state.audioMs += chunk.length / bpm;
    active.audioMs += chunk.length / bpm;
    record.audioMs += chunk.length / bpm;
    const due = Math.ceil(((i + 1) * words.length) / chunks);
    if (due > wordsSent) {
      const delta = words.slice(wordsSent, due).join("");
      wordsSent = due;
      said += delta;
      s.emit({ type: "response.output_audio_transcript.delta", response_id: active.id, item_id: itemId, output_index: outputIndex, content_index: 0, delta });
    }
    await paceSleep((chunk.length / bpm) * s.opts.pace);
  }
  state.transcript = said;
  record.transcript += (record.transcript ? " " : "") + said;
  active.textChars += said.length;
  const done = active.cancelled === undefined;
  if (done) s.emit({ type: "response.output_audio.done", response_id: active.id, item_id: itemId, output_index: outputIndex, content_index: 0 });
  s.emit({ type: "response.output_audio_transcript.done", response_id: active.id, item_id: itemId, output_index: outputIndex, content_index: 0, transcript: said });
  s.emit({ type: "response.content_part.done", response_id: active.id, item_id: itemId, output_index: outputIndex, content_index: 0, part: { type: "audio", transcript: said } });
  const finished = { ...item, status: done ? ("completed" as const) : ("incomplete" as const), content: [{ type: "output_audio" as const, transcript: said }] };
  s.emit({ type: "response.output_item.done", response_id: active.id, output_index: outputIndex, item: finished });
  s.emit({ type: "conversation.item.done", previous_item_id: previous, item: finished });
  active.outputItems.push(finished);
}

export function functionCall(s: RealtimeSession, active: ActiveResponse, name: string, args: string, outputIndex: number): void {
  const itemId = id("item_");
  const callId = id("call_");
  const previous = s.lastItemId;
  s.addItem({ id: itemId, type: "function_call", role: undefined, audioMs: 0, transcript: `${name} ${args}`, callId });
  const item = { id: itemId, object: "realtime.item" as const, type: "function_call" as const, status: "in_progress" as const, name, call_id: callId, arguments: "" };
  s.emit({ type: "response.output_item.added", response_id: active.id, output_index: outputIndex, item });
  s.emit({ type: "conversation.item.added", previous_item_id: previous, item });
  s.emit({ type: "response.function_call_arguments.delta", response_id: active.id, item_id: itemId, output_index: outputIndex, call_id: callId, delta: args });
  s.emit({ type: "response.function_call_arguments.done", response_id: active.id, item_id: itemId, output_index: outputIndex, call_id: callId, name, arguments: args });
  const finished = { ...item, status: "completed" as const, arguments: args };
  s.emit({ type: "response.output_item.done", response_id: active.id, output_index: outputIndex, item: finished });
  s.emit({ type: "conversation.item.done", previous_item_id: previous, item: finished });
  active.outputItems.push(finished);
  active.textChars += args.length;
  s.functionCalls.push({ callId, name, arguments: args, itemId });
  s.pendingCalls.set(callId, { name });
}
