/**
 * 8 kHz <-> 24 kHz PCM16 resampling (factor 3) with one linear-phase low-pass FIR.
 *
 * Filter: 49-tap windowed sinc (Kaiser, beta 5), cutoff 4 kHz at 24 kHz. Response per pass:
 * 1 kHz 0 dB, 3.4 kHz -0.3 dB, 3.5 kHz -0.7 dB, 4 kHz -6 dB, 4.6 kHz -29 dB, 5 kHz -55 dB,
 * >= 6 kHz below -68 dB. Group delay is 24 samples at 24 kHz (1 ms, = 8 samples at 8 kHz) per pass,
 * so an up -> down round trip is delayed by exactly 16 samples at 8 kHz.
 *
 * Upsampling is polyphase: every third output is a delayed input sample, the other two take 16
 * multiply-adds each. Downsampling computes only the kept outputs and folds the symmetric taps
 * (25 multiplies per output). Streaming state carries the
 * input history (and the decimation phase) across calls, so feeding a signal in chunks of any size
 * gives exactly the same samples as feeding it whole.
 */

/** Taps of the low-pass filter. Odd, and (TAPS - 1) / 2 is a multiple of 3. */
export const RESAMPLE_FILTER_TAPS = 49;
/** Group delay of one resampling pass, in 24 kHz samples. */
export const RESAMPLE_DELAY_24K = (RESAMPLE_FILTER_TAPS - 1) / 2;

const FACTOR = 3;
const CUTOFF = 4000 / 24000;
const KAISER_BETA = 5;
const TAPS = RESAMPLE_FILTER_TAPS;
const HALF = RESAMPLE_DELAY_24K;
const UP_HISTORY = (TAPS - 1) / FACTOR - 1; // 15 input samples at 8 kHz
const DOWN_HISTORY = TAPS - 1; // 48 input samples at 24 kHz

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 64; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-15 * sum) break;
  }
  return sum;
}

function designLowPass(): Float64Array {
  const h = new Float64Array(TAPS);
  const norm = besselI0(KAISER_BETA);
  let dc = 0;
  for (let n = 0; n < TAPS; n++) {
    const x = n - HALF;
    const sinc = x === 0 ? 2 * CUTOFF : Math.sin(2 * Math.PI * CUTOFF * x) / (Math.PI * x);
    const r = x / HALF;
    const w = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - r * r))) / norm;
    h[n] = sinc * w;
    dc += h[n]!;
  }
  for (let n = 0; n < TAPS; n++) h[n] = h[n]! / dc; // unity gain at DC
  return h;
}

const LOW_PASS = designLowPass();

/**
 * Polyphase taps for upsampling. Output 3n+p is sum_k 3 h[3k+p] x[n-k]. Phase 0 is a pure delay of
 * 8 input samples (the sinc is zero at every third tap from its centre); phase 2 is phase 1 reversed
 * (the filter is symmetric). So only phase 1's 16 taps are stored, scaled to unity DC gain (the
 * windowed prototype is off by ~0.1%, which would leave a faint 8 kHz image of DC).
 */
const UP_TAPS = (TAPS - 1) / FACTOR; // 16
const UP_DELAY = HALF / FACTOR; // 8 input samples
const UP_PHASE1 = new Float64Array(UP_TAPS);
{
  let sum = 0;
  for (let k = 0; k < UP_TAPS; k++) sum += LOW_PASS[FACTOR * k + 1]!;
  for (let k = 0; k < UP_TAPS; k++) UP_PHASE1[k] = LOW_PASS[FACTOR * k + 1]! / sum;
}

/** A copy of the filter coefficients (unity DC gain), for inspection and tests. */
export function resampleFilterCoefficients(): Float64Array {
  return LOW_PASS.slice();
}

/** Streaming state for {@link upsample8kTo24k}. Create one per direction per call; treat as opaque. */
export interface UpsampleState {
  readonly kind: "upsample-8k-24k";
  /** The last input samples (oldest first) the next call's filter still needs. */
  readonly history: Int16Array;
  /** Scratch: history followed by the current input; grows to the largest chunk seen. */
  work: Int16Array;
}

/** Streaming state for {@link downsample24kTo8k}. Create one per direction per call; treat as opaque. */
export interface DownsampleState {
  readonly kind: "downsample-24k-8k";
  readonly history: Int16Array;
  /** Input samples consumed so far, modulo 3 (where the next kept sample falls). */
  phase: number;
  work: Int16Array;
}

export function createUpsampleState(): UpsampleState {
  return { kind: "upsample-8k-24k", history: new Int16Array(UP_HISTORY), work: new Int16Array(UP_HISTORY + 160) };
}

export function createDownsampleState(): DownsampleState {
  return {
    kind: "downsample-24k-8k",
    history: new Int16Array(DOWN_HISTORY),
    phase: 0,
    work: new Int16Array(DOWN_HISTORY + 480),
  };
}

function clamp16(v: number): number {
  return Math.min(32767, Math.max(-32768, Math.round(v)));
}

function outputBuffer(fn: string, dst: Int16Array | undefined, n: number): Int16Array {
  if (dst === undefined) return new Int16Array(n);
  if (!(dst instanceof Int16Array)) throw new TypeError(`${fn}: dst must be an Int16Array`);
  if (dst.length < n) throw new RangeError(`${fn}: destination holds ${dst.length} samples but ${n} are needed`);
  return dst.length === n ? dst : dst.subarray(0, n);
}

function loadWork(state: { history: Int16Array; work: Int16Array }, src: Int16Array): Int16Array {
  const h = state.history.length;
  const needed = h + src.length;
  if (state.work.length < needed) state.work = new Int16Array(Math.max(needed, state.work.length * 2));
  const work = state.work;
  work.set(state.history, 0);
  work.set(src, h);
  // Keep the newest `h` samples for the next call.
  state.history.set(work.subarray(needed - h, needed));
  return work;
}

/**
 * Upsamples 8 kHz PCM16 to 24 kHz (3 output samples per input sample).
 * With `state`, history carries across calls (streaming); without it, the input is treated as a
 * whole signal preceded by silence. `dst`, when given, must hold `3 * src.length` samples.
 */
export function upsample8kTo24k(src: Int16Array, state?: UpsampleState, dst?: Int16Array): Int16Array {
  if (!(src instanceof Int16Array)) throw new TypeError("upsample8kTo24k: src must be an Int16Array");
  if (state !== undefined && state.kind !== "upsample-8k-24k") {
    throw new TypeError("upsample8kTo24k: state must come from createUpsampleState()");
  }
  const st = state ?? createUpsampleState();
  const n = src.length;
  const out = outputBuffer("upsample8kTo24k", dst, n * FACTOR);
  if (n === 0) return out;
  const work = loadWork(st, src);
  const taps = UP_PHASE1;
  let o = 0;
  for (let i = 0; i < n; i++) {
    const newest = UP_HISTORY + i; // index of x[n] in work; x[n-k] = work[newest - k]
    const oldest = newest - (UP_TAPS - 1);
    let a1 = 0;
    let a2 = 0;
    for (let k = 0; k < UP_TAPS; k++) {
      const c = taps[k]!;
      a1 += c * work[newest - k]!;
      a2 += c * work[oldest + k]!;
    }
    out[o] = work[newest - UP_DELAY]!;
    out[o + 1] = clamp16(a1);
    out[o + 2] = clamp16(a2);
    o += 3;
  }
  return out;
}

/** How many samples {@link downsample24kTo8k} returns for `inputLength` samples given the state's phase. */
export function downsampledLength(inputLength: number, state?: DownsampleState): number {
  const first = state === undefined ? 0 : (FACTOR - state.phase) % FACTOR;
  return first < inputLength ? Math.floor((inputLength - 1 - first) / FACTOR) + 1 : 0;
}

/**
 * Low-pass filters 24 kHz PCM16 (anti-aliasing) and keeps every third sample (8 kHz).
 * Input length need not be a multiple of 3: the state remembers the decimation phase, so over a
 * stream the output count is exactly floor-or-ceil of total/3 and chunking never changes the result.
 * `dst`, when given, must hold `Math.ceil(src.length / 3)` samples; the written part is returned.
 */
export function downsample24kTo8k(src: Int16Array, state?: DownsampleState, dst?: Int16Array): Int16Array {
  if (!(src instanceof Int16Array)) throw new TypeError("downsample24kTo8k: src must be an Int16Array");
  if (state !== undefined && state.kind !== "downsample-24k-8k") {
    throw new TypeError("downsample24kTo8k: state must come from createDownsampleState()");
  }
  const st = state ?? createDownsampleState();
  const n = src.length;
  const count = downsampledLength(n, st);
  if (dst !== undefined && dst.length < Math.ceil(n / FACTOR)) {
    throw new RangeError(
      `downsample24kTo8k: destination holds ${dst.length} samples but ${Math.ceil(n / FACTOR)} are needed`,
    );
  }
  const out = outputBuffer("downsample24kTo8k", dst, count);
  if (n === 0) return out;
  const first = (FACTOR - st.phase) % FACTOR;
  st.phase = (st.phase + n) % FACTOR;
  const work = loadWork(st, src);
  const h = LOW_PASS;
  let o = 0;
  for (let i = first; i < n; i += FACTOR) {
    const c = DOWN_HISTORY + i; // newest sample; y = sum h[j] * work[c - j]
    const oldest = c - DOWN_HISTORY;
    let acc = h[HALF]! * work[c - HALF]!;
    for (let j = 0; j < HALF; j++) acc += h[j]! * (work[c - j]! + work[oldest + j]!);
    out[o++] = clamp16(acc);
  }
  return out;
}
