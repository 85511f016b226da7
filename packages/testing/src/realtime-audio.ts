import { encodeMuLaw } from "@orderline/audio";
import { encodeALaw, pcm16ToBytes, speechPcm16 } from "./audio.ts";
import type { AudioFormat } from "./realtime-schemas.ts";

/**
 * Tells 8-bit G.711 from little-endian PCM16 without knowing the content: in PCM16 the even (low) bytes are
 * nearly random while the odd (high) bytes move slowly, so their mean steps differ by 10× or more; in G.711
 * every byte is a code of the same smooth signal, so the two steps are about equal. Returns undefined for
 * audio too quiet or too short to judge.
 */
export function guessByteFormat(bytes: Uint8Array): "g711" | "pcm16" | undefined {
  const n = Math.floor(bytes.length / 2);
  if (n < 80) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 1; i < n; i++) {
    even += Math.abs(bytes[2 * i]! - bytes[2 * i - 2]!);
    odd += Math.abs(((bytes[2 * i + 1]! << 24) >> 24) - ((bytes[2 * i - 1]! << 24) >> 24));
  }
  even /= n - 1;
  odd /= n - 1;
  if (even < 5) return undefined;
  const ratio = even / Math.max(odd, 1e-9);
  return ratio < 3 ? "g711" : ratio > 10 ? "pcm16" : undefined;
}

/**
 * The exact bytes the emulated model sends for `say(…, ms)` in a session with this output format, so a test
 * can check that what the caller heard is what the model said (e.g. pcmu passthrough is byte-identical).
 */
export function modelAudio(ms: number, format: AudioFormat = { type: "audio/pcmu" }): Buffer {
  if (format.type === "audio/pcm") return pcm16ToBytes(speechPcm16(ms, 24000, { pitchHz: 210, seed: 7 }));
  const pcm = speechPcm16(ms, 8000, { pitchHz: 210, seed: 7 });
  return format.type === "audio/pcma" ? encodeALaw(pcm) : Buffer.from(encodeMuLaw(pcm));
}

/** Bytes per ms of audio in a session format: PCM16 24 kHz = 48, G.711 8 kHz = 8. */
export function bytesPerMs(f: AudioFormat): number {
  return f.type === "audio/pcm" ? 48 : 8;
}
