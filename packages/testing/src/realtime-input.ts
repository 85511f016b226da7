import { decodeMuLaw } from "@orderline/audio";
import { decodeALaw, pcm16FromBytes, pcm16Rms } from "./audio.ts";
import { respond, cancel } from "./realtime-responder.ts";
import { bytesPerMs, guessByteFormat } from "./realtime-audio.ts";
import { type AudioFormat, id } from "./realtime-schemas.ts";
import type { RealtimeSession } from "./realtime-session.ts";

// The session's input audio buffer: appended audio checked against the negotiated format, energy VAD
// (speech_started / speech_stopped / committed, barge-in cancels the response), manual commit.

export function onAppend(s: RealtimeSession, ev: Record<string, unknown>, eventId: string | null): void {
  const audio = ev["audio"];
  if (typeof audio !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(audio)) {
    s.reject("append", "input_audio_buffer.append needs `audio` as a base64 string", "invalid_value", "audio", eventId);
    return;
  }
  const bytes = Buffer.from(audio, "base64");
  const fmt = s.inputFormat;
  if (fmt.type === "audio/pcm" && bytes.length % 2 !== 0) {
    s.violateOnce("audio_format", `appended ${bytes.length} bytes but the session input format is PCM16 (even byte counts); is it mu-law?`);
  } else if (fmt.type === "audio/pcm" && guessByteFormat(bytes) === "g711") {
    s.violateOnce("audio_format", "appended audio looks like 8-bit G.711 (mu-law passthrough?) but the session input format is audio/pcm (PCM16 24 kHz)");
  }
  if (fmt.type !== "audio/pcm" && bytes.length >= 80) {
    const zeros = bytes.reduce((n, b) => n + (b === 0 ? 1 : 0), 0);
    if (zeros / bytes.length > 0.2 || guessByteFormat(bytes) === "pcm16") {
      s.violateOnce("audio_format", `appended audio looks like PCM16 but the session input format is ${fmt.type}`);
    }
  }
  runVad(s, bytes, fmt);
}

export function decode(bytes: Buffer, fmt: AudioFormat): Int16Array {
  if (fmt.type === "audio/pcmu") return decodeMuLaw(bytes);
  if (fmt.type === "audio/pcma") return decodeALaw(bytes);
  return pcm16FromBytes(bytes.length % 2 === 0 ? bytes : bytes.subarray(0, bytes.length - 1));
}

/** Energy VAD over 20 ms windows of input-buffer time. */
export function runVad(s: RealtimeSession, bytes: Buffer, fmt: AudioFormat): void {
  const windowBytes = 20 * bytesPerMs(fmt);
  let buf = s.remainder.length > 0 ? Buffer.concat([s.remainder, bytes]) : bytes;
  while (buf.length >= windowBytes) {
    const win = buf.subarray(0, windowBytes);
    buf = buf.subarray(windowBytes);
    s.inputMs += 20;
    s.uncommittedMs += 20;
    const td = s.turnDetection;
    if (!td) continue;
    const threshold = td.type === "server_vad" ? (td.threshold ?? 0.5) : 0.5;
    const speech = pcm16Rms(decode(win, fmt)) > 0.005 + 0.05 * threshold;
    const silenceMs =
      td.type === "server_vad" ? (td.silence_duration_ms ?? 500) : ({ low: 800, medium: 500, high: 250, auto: 500 } as const)[td.eagerness ?? "auto"];
    if (!s.vad.speaking) {
      if (!speech) continue;
      const padding = td.type === "server_vad" ? (td.prefix_padding_ms ?? 300) : 300;
      s.vad = { speaking: true, silentMs: 0, itemId: id("item_"), startMs: Math.max(0, s.inputMs - 20 - padding) };
      s.speechTurns.push({ startMs: s.vad.startMs, endMs: undefined, itemId: s.vad.itemId });
      s.emit({ type: "input_audio_buffer.speech_started", audio_start_ms: s.vad.startMs, item_id: s.vad.itemId });
      if (s.active && td.interrupt_response !== false) cancel(s, "turn_detected");
    } else if (speech) s.vad.silentMs = 0;
    else {
      s.vad.silentMs += 20;
      if (s.vad.silentMs >= silenceMs) {
        // Like the real server: the end of the audio sent to the model, silence_duration_ms included.
        const endMs = s.inputMs;
        s.speechTurns.at(-1)!.endMs = endMs;
        s.emit({ type: "input_audio_buffer.speech_stopped", audio_end_ms: endMs, item_id: s.vad.itemId });
        const itemId = s.vad.itemId;
        s.vad = { speaking: false, silentMs: 0, itemId: "", startMs: 0 };
        commitUserAudio(s, itemId);
        if (td.create_response !== false) void respond(s, "caller_speech", undefined);
      }
    }
  }
  s.remainder = Buffer.from(buf);
}

export function commitUserAudio(s: RealtimeSession, itemId: string): void {
  const previous = s.lastItemId;
  s.addItem({ id: itemId, type: "message", role: "user", audioMs: 0, transcript: "" });
  s.uncommittedMs = 0;
  s.since.audio = true;
  s.emit({ type: "input_audio_buffer.committed", item_id: itemId, previous_item_id: previous });
  const item = { id: itemId, object: "realtime.item", type: "message", role: "user", status: "completed", content: [{ type: "input_audio", transcript: null }] } as const;
  s.emit({ type: "conversation.item.added", previous_item_id: previous, item: item as never });
  s.emit({ type: "conversation.item.done", previous_item_id: previous, item: item as never });
  // What the caller said, per the script (the model "hears" it whether or not transcription is on).
  const next = s.script[s.scriptIndex];
  const transcript = next && (next.on === "caller_speech" || next.on === "any") ? (next.heard ?? "") : "";
  s.items.get(itemId)!.transcript = transcript;
  const transcription = (s.config["audio"] as { input: { transcription: unknown } }).input.transcription;
  if (transcription) {
    s.emit({ type: "conversation.item.input_audio_transcription.completed", item_id: itemId, content_index: 0, transcript, usage: { type: "duration", seconds: 1 } });
  }
}

export function onCommit(s: RealtimeSession, eventId: string | null): void {
  const ms = s.uncommittedMs;
  if (ms < 100) {
    s.sendError("invalid_request_error", "input_audio_buffer_commit_empty", `Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has ${ms}.00ms of audio.`, null, eventId);
    return;
  }
  commitUserAudio(s, s.vad.speaking ? s.vad.itemId : id("item_"));
  s.vad = { speaking: false, silentMs: 0, itemId: "", startMs: 0 };
}
