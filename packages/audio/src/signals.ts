/** Test signals and level measurement (used by tests, the testing kit's emulators and benches). */

/**
 * RMS level in dBFS, relative to a full-scale square wave (32768): a full-scale sine reads -3.01.
 * Empty input and digital silence read -Infinity.
 */
export function rmsDbfs(samples: ArrayLike<number>): number {
  const n = samples.length;
  if (n === 0) return Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = samples[i]!;
    sum += v * v;
  }
  const rms = Math.sqrt(sum / n);
  return rms === 0 ? Number.NEGATIVE_INFINITY : 20 * Math.log10(rms / 32768);
}

function sampleCount(fn: string, ms: number, rate: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`${fn}: ms must be a finite number >= 0, got ${String(ms)}`);
  if (!Number.isInteger(rate) || rate <= 0) {
    throw new RangeError(`${fn}: rate must be a positive integer (Hz), got ${String(rate)}`);
  }
  return Math.round((ms * rate) / 1000);
}

function checkAmplitude(fn: string, amplitude: number): void {
  if (!Number.isFinite(amplitude) || amplitude < 0 || amplitude > 1) {
    throw new RangeError(`${fn}: amplitude is a fraction of full scale in [0, 1], got ${String(amplitude)}`);
  }
}

/** `ms` milliseconds of digital silence at `rate` Hz (default 8000). */
export function silence(ms: number, rate = 8000): Int16Array {
  return new Int16Array(sampleCount("silence", ms, rate));
}

export interface ToneOptions {
  /** Frequency in Hz, below rate / 2. */
  hz: number;
  ms: number;
  /** Sample rate in Hz; default 8000. */
  rate?: number;
  /** Peak as a fraction of full scale (32767); default 0.5. */
  amplitude?: number;
  /** Starting phase in radians; default 0. */
  phase?: number;
}

/** A sine tone as PCM16. */
export function generateTone(options: ToneOptions): Int16Array {
  const { hz, ms, rate = 8000, amplitude = 0.5, phase = 0 } = options;
  const n = sampleCount("generateTone", ms, rate);
  checkAmplitude("generateTone", amplitude);
  if (!Number.isFinite(hz) || hz <= 0 || hz >= rate / 2) {
    throw new RangeError(`generateTone: hz must be > 0 and below the Nyquist frequency ${rate / 2}, got ${String(hz)}`);
  }
  const out = new Int16Array(n);
  const w = (2 * Math.PI * hz) / rate;
  const peak = amplitude * 32767;
  for (let i = 0; i < n; i++) out[i] = Math.round(peak * Math.sin(w * i + phase));
  return out;
}

/** mulberry32: small, fast, deterministic 32-bit PRNG returning [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SpeechLikeOptions {
  ms: number;
  /** Sample rate in Hz; default 8000. */
  rate?: number;
  /** Same seed, same samples. Default 1. */
  seed?: number;
  /** Peak as a fraction of full scale; default 0.3 (roughly -26 dBFS RMS including pauses). */
  amplitude?: number;
}

interface Syllable {
  start: number;
  length: number;
  f0Start: number;
  f0End: number;
  formants: [number, number, number];
}

/**
 * A deterministic speech-like signal: voiced syllables (a harmonic series on a gliding 90-240 Hz
 * fundamental, shaped by three vowel-like formants and a -6 dB/octave tilt) of 100-250 ms under a
 * raised-cosine envelope, about four per second, with 40-250 ms pauses between words. Energy sits
 * where voice energy sits (mostly below 3.5 kHz), which exercises VAD and codecs realistically;
 * it is not intelligible speech.
 */
export function generateSpeechLike(options: SpeechLikeOptions): Int16Array {
  const { ms, rate = 8000, seed = 1, amplitude = 0.3 } = options;
  const n = sampleCount("generateSpeechLike", ms, rate);
  checkAmplitude("generateSpeechLike", amplitude);
  if (!Number.isFinite(seed)) throw new RangeError(`generateSpeechLike: seed must be a finite number, got ${String(seed)}`);
  const random = seededRandom(seed);
  const between = (lo: number, hi: number): number => lo + (hi - lo) * random();

  const syllables: Syllable[] = [];
  let t = Math.round(between(0.02, 0.1) * rate);
  while (t < n) {
    const wordSyllables = 1 + Math.floor(random() * 4);
    for (let s = 0; s < wordSyllables && t < n; s++) {
      const length = Math.round(between(0.1, 0.25) * rate);
      const f0Start = between(90, 240);
      syllables.push({
        start: t,
        length,
        f0Start,
        f0End: f0Start * between(0.8, 1.2),
        formants: [between(300, 850), between(850, 2300), between(2300, 3200)],
      });
      t += length + Math.round(between(0, 0.04) * rate);
    }
    t += Math.round(between(0.04, 0.25) * rate);
  }

  const raw = new Float64Array(n);
  const maxHz = Math.min(0.45 * rate, 7000);
  const weights: number[] = [];
  for (const syl of syllables) {
    const end = Math.min(syl.start + syl.length, n);
    let phase = 0;
    const f0Mid = (syl.f0Start + syl.f0End) / 2;
    const harmonics = Math.floor(maxHz / Math.max(syl.f0Start, syl.f0End));
    weights.length = 0;
    for (let k = 1; k <= harmonics; k++) {
      const f = k * f0Mid;
      let w = 0;
      for (const [i, formant] of syl.formants.entries()) {
        const bandwidth = 80 + 40 * i;
        w += (1 / (i + 1)) / (1 + ((f - formant) / bandwidth) ** 2);
      }
      weights.push((w + 0.02) / k);
    }
    for (let i = syl.start; i < end; i++) {
      const pos = (i - syl.start) / syl.length;
      const f0 = syl.f0Start + (syl.f0End - syl.f0Start) * pos;
      phase += (2 * Math.PI * f0) / rate;
      const envelope = 0.5 - 0.5 * Math.cos(2 * Math.PI * pos);
      let v = 0;
      for (let k = 0; k < weights.length; k++) v += weights[k]! * Math.sin((k + 1) * phase);
      raw[i] = raw[i]! + envelope * v;
    }
  }

  let peak = 0;
  for (let i = 0; i < n; i++) peak = Math.max(peak, Math.abs(raw[i]!));
  const out = new Int16Array(n);
  if (peak === 0) return out;
  const scale = (amplitude * 32767) / peak;
  for (let i = 0; i < n; i++) out[i] = Math.round(raw[i]! * scale);
  return out;
}
