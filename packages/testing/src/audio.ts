import { readFile } from "node:fs/promises";
import { decodeMuLaw, encodeMuLaw, readWav, seededRandom, type WavAudio } from "@orderline/audio";

/** Twilio Media Streams audio: mu-law, 8 kHz, mono — 8 bytes per millisecond. */
export const MULAW_BYTES_PER_MS = 8;
/** One 20 ms Twilio frame. */
export const FRAME_MS = 20;
export const FRAME_BYTES = FRAME_MS * MULAW_BYTES_PER_MS;

export type SpeechOptions = {
  /** Fundamental of the voiced tone in Hz (default 140, a low adult voice). */
  pitchHz?: number;
  /** Syllables per second of the amplitude modulation (default 4). */
  syllableRate?: number;
  /** Peak amplitude as a fraction of full scale (default 0.5). */
  level?: number;
  /** Seed for the small pitch jitter, so runs are reproducible (default 1). */
  seed?: number;
};

function checkMs(fn: string, ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`${fn}: ms must be a non-negative number, got ${String(ms)}`);
}

/**
 * Speech-like linear PCM16: a voiced tone (fundamental + decaying harmonics) whose amplitude is modulated
 * at syllable rate between 35 % and 100 % of `level`, so every 20 ms frame stays well above an energy VAD
 * threshold while still sounding (and measuring) like speech rather than a pure tone.
 */
export function speechPcm16(ms: number, sampleRate: number, opts: SpeechOptions = {}): Int16Array {
  checkMs("speechPcm16", ms);
  const pitch = opts.pitchHz ?? 140;
  const rate = opts.syllableRate ?? 4;
  const level = opts.level ?? 0.5;
  const rand = seededRandom(opts.seed ?? 1);
  const n = Math.round((ms * sampleRate) / 1000);
  const out = new Int16Array(n);
  let phase = 0;
  let jitter = 0;
  for (let i = 0; i < n; i++) {
    if (i % Math.max(1, Math.round(sampleRate / 100)) === 0) jitter = (rand() - 0.5) * 0.06;
    const t = i / sampleRate;
    phase += (2 * Math.PI * pitch * (1 + jitter)) / sampleRate;
    let v = 0;
    for (let h = 1; h <= 6; h++) v += Math.sin(phase * h) / h;
    const envelope = 0.35 + 0.65 * (0.5 - 0.5 * Math.cos(2 * Math.PI * rate * t));
    out[i] = Math.round((v / 2.45) * envelope * level * 32767);
  }
  return out;
}

/** Speech-like mu-law 8 kHz audio of `ms` milliseconds (see speechPcm16). */
export function speechMuLaw(ms: number, opts: SpeechOptions = {}): Buffer {
  return Buffer.from(encodeMuLaw(speechPcm16(ms, 8000, opts)));
}

/** Digital silence in mu-law (0xFF is zero amplitude). */
export function silenceMuLaw(ms: number): Buffer {
  checkMs("silenceMuLaw", ms);
  return Buffer.alloc(Math.round(ms * MULAW_BYTES_PER_MS), 0xff);
}

/** Root-mean-square level of mu-law audio as a fraction of full scale (0..1). */
export function muLawRms(bytes: Uint8Array): number {
  if (bytes.length === 0) return 0;
  return pcm16Rms(decodeMuLaw(bytes));
}

/** Root-mean-square level of PCM16 samples as a fraction of full scale (0..1). */
export function pcm16Rms(samples: Int16Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length) / 32768;
}

/** Little-endian PCM16 bytes → samples (copies, so the source alignment does not matter). */
export function pcm16FromBytes(bytes: Uint8Array): Int16Array {
  if (bytes.length % 2 !== 0) throw new RangeError(`PCM16 audio must have an even number of bytes, got ${bytes.length}`);
  const out = new Int16Array(bytes.length / 2);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}

/** Samples → little-endian PCM16 bytes. */
export function pcm16ToBytes(samples: Int16Array): Buffer {
  const out = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i]!, i * 2);
  return out;
}

function resampleLinear(src: Int16Array, from: number, to: number): Int16Array {
  if (from === to) return src;
  const n = Math.floor((src.length * to) / from);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const x = (i * from) / to;
    const i0 = Math.floor(x);
    const i1 = Math.min(i0 + 1, src.length - 1);
    const f = x - i0;
    out[i] = Math.round(src[i0]! * (1 - f) + src[i1]! * f);
  }
  return out;
}

/**
 * Loads caller audio as mu-law 8 kHz: a mono WAV file (PCM16 at any rate, resampled, or G.711 mu-law 8 kHz)
 * or a headerless `.ulaw`/`.mulaw`/`.raw` mu-law file.
 */
export async function loadMuLawAudio(path: string): Promise<Buffer> {
  const data = await readFile(path);
  if (data.length >= 12 && data.toString("ascii", 0, 4) === "RIFF" && data.toString("ascii", 8, 12) === "WAVE") {
    return wavToMuLaw(data, path);
  }
  if (/\.(u|mu)law$|\.raw$/i.test(path)) return data;
  throw new Error(`loadMuLawAudio: ${path} is neither a RIFF/WAVE file nor a headerless .ulaw/.mulaw/.raw file`);
}

/** Converts an in-memory WAV file (mono PCM16 at any rate, or mu-law 8 kHz) to mu-law 8 kHz mono. */
export function wavToMuLaw(data: Uint8Array, name = "WAV data"): Buffer {
  let wav: WavAudio;
  try {
    wav = readWav(data);
  } catch (err) {
    throw new Error(`${name}: ${(err as Error).message}`);
  }
  if (wav.encoding === "mulaw") {
    if (wav.sampleRate !== 8000) throw new Error(`${name}: mu-law WAV must be 8 kHz, got ${wav.sampleRate} Hz`);
    return Buffer.from(wav.samples);
  }
  return Buffer.from(encodeMuLaw(resampleLinear(wav.samples, wav.sampleRate, 8000)));
}

/** Writes mu-law 8 kHz mono as a WAV file image (format 7), handy for listening to what a test heard. */
export function muLawToWav(mulaw: Uint8Array): Buffer {
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + mulaw.length, 4);
  header.write("WAVE", 8, "ascii");
  header.write("fmt ", 12, "ascii");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(7, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(8000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write("data", 36, "ascii");
  header.writeUInt32LE(mulaw.length, 40);
  return Buffer.concat([header, mulaw]);
}

/** G.711 A-law → linear PCM16 (for `audio/pcma` sessions). */
export function decodeALaw(bytes: Uint8Array): Int16Array {
  const out = new Int16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const a = bytes[i]! ^ 0x55;
    const exponent = (a & 0x70) >> 4;
    let t = (a & 0x0f) << 4;
    t += exponent === 0 ? 8 : 0x108;
    if (exponent > 1) t <<= exponent - 1;
    out[i] = (a & 0x80) !== 0 ? t : -t;
  }
  return out;
}

/** Linear PCM16 → G.711 A-law. */
export function encodeALaw(samples: Int16Array): Buffer {
  const out = Buffer.alloc(samples.length);
  for (let i = 0; i < samples.length; i++) {
    let s = samples[i]!;
    const sign = s >= 0 ? 0x80 : 0;
    if (s < 0) s = Math.min(32767, -s);
    let exponent = 7;
    for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
    const mantissa = exponent === 0 ? (s >> 4) & 0x0f : (s >> (exponent + 3)) & 0x0f;
    out[i] = (sign | (exponent << 4) | mantissa) ^ 0x55;
  }
  return out;
}
