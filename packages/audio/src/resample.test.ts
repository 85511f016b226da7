import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  createDownsampleState,
  createUpsampleState,
  downsample24kTo8k,
  downsampledLength,
  RESAMPLE_DELAY_24K,
  resampleFilterCoefficients,
  upsample8kTo24k,
} from "./resample.ts";
import { generateSpeechLike, generateTone, rmsDbfs } from "./signals.ts";

/** Round trip delay at 8 kHz: two passes of 24 samples at 24 kHz. */
const ROUND_TRIP_DELAY_8K = (2 * RESAMPLE_DELAY_24K) / 3;
/** Samples to skip at 8 kHz before the filters are past their start-up transient. */
const SETTLE_8K = 100;

function roundTrip(x: Int16Array): Int16Array {
  return downsample24kTo8k(upsample8kTo24k(x));
}

/** Level change in dB of a tone through up -> down, measured on the settled part. */
function roundTripGainDb(hz: number): number {
  const x = generateTone({ hz, ms: 400, rate: 8000 });
  const y = roundTrip(x);
  const n = x.length - SETTLE_8K - ROUND_TRIP_DELAY_8K;
  return rmsDbfs(y.subarray(SETTLE_8K + ROUND_TRIP_DELAY_8K)) - rmsDbfs(x.subarray(SETTLE_8K, SETTLE_8K + n));
}

/** Deterministic chunk sizes (0 included) from a tiny LCG. */
function chunkSizes(total: number, seed: number, max: number): number[] {
  const sizes: number[] = [];
  let s = seed;
  let left = total;
  while (left > 0) {
    s = (s * 1103515245 + 12345) >>> 0;
    const size = Math.min(left, (s >>> 8) % (max + 1));
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe("resampling filter", () => {
  test("is a symmetric low-pass with unity DC gain", () => {
    const h = resampleFilterCoefficients();
    assert.equal(h.length % 2, 1);
    assert.equal((h.length - 1) / 2, RESAMPLE_DELAY_24K);
    const sum = h.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-12, `DC gain ${sum}`);
    for (let i = 0; i < h.length; i++) assert.ok(Math.abs(h[i]! - h[h.length - 1 - i]!) < 1e-15, `tap ${i}`);
  });

  test("passes DC unchanged in both directions once settled", () => {
    const dc = new Int16Array(600).fill(10000);
    const up = upsample8kTo24k(dc);
    for (let m = 3 * SETTLE_8K; m < up.length; m++) assert.equal(up[m], 10000, `up[${m}]`);
    const down = downsample24kTo8k(new Int16Array(1800).fill(-10000));
    for (let n = SETTLE_8K; n < down.length; n++) assert.equal(down[n], -10000, `down[${n}]`);
  });
});

describe("against a direct (non-polyphase) reference", () => {
  const h = resampleFilterCoefficients();
  const x8 = generateSpeechLike({ ms: 300, rate: 8000, seed: 31, amplitude: 0.9 });
  const x24 = generateSpeechLike({ ms: 300, rate: 24000, seed: 32, amplitude: 0.9 });

  test("upsampling equals zero-stuffing then filtering with 3h (within the 0.1% per-phase gain trim)", () => {
    const y = upsample8kTo24k(x8);
    for (let m = 0; m < y.length; m++) {
      let acc = 0;
      for (let j = 0; j < h.length; j++) {
        const u = m - j;
        if (u >= 0 && u % 3 === 0) acc += 3 * h[j]! * x8[u / 3]!;
      }
      const expected = Math.max(-32768, Math.min(32767, acc));
      assert.ok(Math.abs(y[m]! - expected) <= 1 + 0.002 * Math.abs(expected), `y[${m}] = ${y[m]}, direct ${expected}`);
    }
  });

  test("downsampling equals filtering with h then keeping every third sample", () => {
    const y = downsample24kTo8k(x24);
    for (let n = 0; n < y.length; n++) {
      let acc = 0;
      for (let j = 0; j < h.length; j++) if (3 * n - j >= 0) acc += h[j]! * x24[3 * n - j]!;
      assert.ok(Math.abs(y[n]! - acc) <= 0.5 + 1e-6, `y[${n}] = ${y[n]}, direct ${acc}`);
    }
  });
});

describe("8 kHz -> 24 kHz -> 8 kHz", () => {
  test("a 1 kHz sine comes back with its amplitude and shape, delayed 16 samples", () => {
    const x = generateTone({ hz: 1000, ms: 400, rate: 8000, amplitude: 0.5 });
    const y = roundTrip(x);
    assert.equal(y.length, x.length);
    for (let n = SETTLE_8K; n < x.length; n++) {
      const err = Math.abs(y[n]! - x[n - ROUND_TRIP_DELAY_8K]!);
      assert.ok(err <= 2, `sample ${n}: ${y[n]} vs ${x[n - ROUND_TRIP_DELAY_8K]}`);
    }
    assert.ok(Math.abs(roundTripGainDb(1000)) < 0.05);
  });

  test("telephone-band tones survive: 300 Hz and 3 kHz within 0.3 dB, 3.5 kHz within 2 dB", () => {
    assert.ok(Math.abs(roundTripGainDb(300)) < 0.3, `300 Hz ${roundTripGainDb(300)} dB`);
    assert.ok(Math.abs(roundTripGainDb(3000)) < 0.3, `3 kHz ${roundTripGainDb(3000)} dB`);
    const g = roundTripGainDb(3500);
    assert.ok(g > -2 && g < 0.3, `3.5 kHz changed by ${g} dB`);
  });
});

describe("upsample8kTo24k", () => {
  test("produces three samples per input and rejects spectral images", () => {
    const x = generateTone({ hz: 1000, ms: 300, rate: 8000 });
    const y = upsample8kTo24k(x);
    assert.equal(y.length, 3 * x.length);
    // A clean 1 kHz tone at 24 kHz, delayed by the filter: whatever differs is images (7, 9 kHz ...).
    const ideal = generateTone({ hz: 1000, ms: 300, rate: 24000 });
    const residual = new Int16Array(y.length - 3 * SETTLE_8K);
    for (let m = 3 * SETTLE_8K; m < y.length; m++) residual[m - 3 * SETTLE_8K] = y[m]! - ideal[m - RESAMPLE_DELAY_24K]!;
    const rejection = rmsDbfs(ideal) - rmsDbfs(residual);
    assert.ok(rejection > 50, `images only ${rejection} dB down`);
  });

  test("clamps overshoot instead of wrapping around", () => {
    // A full-scale square wave makes the filter ring past full scale (Gibbs).
    const x = new Int16Array(800);
    for (let i = 0; i < x.length; i++) x[i] = Math.floor(i / 40) % 2 === 0 ? 32767 : -32768;
    const y = upsample8kTo24k(x);
    let clipped = 0;
    for (let m = 3 * SETTLE_8K; m < y.length; m++) {
      const src = Math.floor((m - RESAMPLE_DELAY_24K) / 3);
      const posInHalf = src % 40;
      if (posInHalf < 10 || posInHalf > 30) continue; // near an edge
      const expectedSign = Math.floor(src / 40) % 2 === 0 ? 1 : -1;
      assert.equal(Math.sign(y[m]!), expectedSign, `sample ${m} wrapped to ${y[m]}`);
      if (Math.abs(y[m]!) >= 32767) clipped++;
    }
    assert.ok(clipped > 0, "the test signal did reach full scale");
  });

  test("chunked processing equals whole-buffer processing, for any chunk sizes", () => {
    const x = generateSpeechLike({ ms: 700, rate: 8000, seed: 7, amplitude: 1 });
    const whole = upsample8kTo24k(x);
    for (const seed of [1, 2, 3]) {
      const state = createUpsampleState();
      const parts: Int16Array[] = [];
      let at = 0;
      for (const size of chunkSizes(x.length, seed, 250)) {
        parts.push(upsample8kTo24k(x.subarray(at, at + size), state));
        at += size;
      }
      assert.deepEqual(concat(parts), whole, `chunking seed ${seed}`);
    }
  });

  test("empty, single-sample and odd-length input", () => {
    const state = createUpsampleState();
    assert.equal(upsample8kTo24k(new Int16Array(0), state).length, 0);
    assert.equal(upsample8kTo24k(Int16Array.of(1000), state).length, 3);
    assert.equal(upsample8kTo24k(new Int16Array(7), state).length, 21);
  });

  test("writes into dst and validates arguments", () => {
    const dst = new Int16Array(10);
    const out = upsample8kTo24k(Int16Array.of(1, 2, 3), undefined, dst);
    assert.equal(out.length, 9);
    assert.equal(out.buffer, dst.buffer);
    assert.throws(() => upsample8kTo24k(new Int16Array(4), undefined, dst), /holds 10 samples but 12 are needed/);
    assert.throws(
      () => upsample8kTo24k(new Int16Array(1), createDownsampleState() as never),
      /state must come from createUpsampleState/,
    );
    assert.throws(() => upsample8kTo24k(new Float32Array(3) as never), /src must be an Int16Array/);
  });
});

describe("downsample24kTo8k", () => {
  test("anti-aliasing: a 10 kHz tone at 24 kHz is attenuated by more than 60 dB", () => {
    const x = generateTone({ hz: 10000, ms: 300, rate: 24000, amplitude: 0.9 });
    const y = downsample24kTo8k(x);
    const attenuation = rmsDbfs(x) - rmsDbfs(y.subarray(SETTLE_8K));
    assert.ok(attenuation > 60, `10 kHz only ${attenuation} dB down`);
  });

  test("tones just above 4 kHz are attenuated too: 5 kHz by more than 40 dB", () => {
    const x = generateTone({ hz: 5000, ms: 300, rate: 24000, amplitude: 0.9 });
    const attenuation = rmsDbfs(x) - rmsDbfs(downsample24kTo8k(x).subarray(SETTLE_8K));
    assert.ok(attenuation > 40, `5 kHz only ${attenuation} dB down`);
  });

  test("a 1 kHz tone at 24 kHz keeps its level", () => {
    const x = generateTone({ hz: 1000, ms: 300, rate: 24000 });
    const y = downsample24kTo8k(x);
    assert.equal(y.length, x.length / 3);
    const change = rmsDbfs(y.subarray(SETTLE_8K)) - rmsDbfs(x.subarray(3 * SETTLE_8K));
    assert.ok(Math.abs(change) < 0.05, `changed by ${change} dB`);
  });

  test("chunked processing equals whole-buffer processing, including chunks not a multiple of 3", () => {
    const x = generateSpeechLike({ ms: 500, rate: 24000, seed: 3, amplitude: 1 });
    const whole = downsample24kTo8k(x);
    assert.equal(whole.length, Math.ceil(x.length / 3));
    for (const seed of [4, 5, 6]) {
      const state = createDownsampleState();
      const parts: Int16Array[] = [];
      let at = 0;
      for (const size of chunkSizes(x.length, seed, 700)) {
        const chunk = x.subarray(at, at + size);
        const expected = downsampledLength(size, state);
        const out = downsample24kTo8k(chunk, state);
        assert.equal(out.length, expected);
        parts.push(out);
        at += size;
      }
      assert.deepEqual(concat(parts), whole, `chunking seed ${seed}`);
    }
  });

  test("odd-length chunks: output positions follow the stream, not the chunk", () => {
    const state = createDownsampleState();
    // Stream positions 0..13 keep 0, 3, 6 (first chunk) then 9, 12 (second chunk).
    assert.equal(downsample24kTo8k(new Int16Array(7), state).length, 3);
    assert.equal(downsample24kTo8k(new Int16Array(7), state).length, 2);
    assert.equal(downsample24kTo8k(new Int16Array(0), state).length, 0);
    assert.equal(downsample24kTo8k(new Int16Array(1), state).length, 0); // position 14
    assert.equal(downsample24kTo8k(new Int16Array(1), state).length, 1); // position 15
  });

  test("validates arguments", () => {
    assert.throws(() => downsample24kTo8k(new Int16Array(9), undefined, new Int16Array(2)), /holds 2 samples but 3/);
    assert.throws(
      () => downsample24kTo8k(new Int16Array(3), createUpsampleState() as never),
      /state must come from createDownsampleState/,
    );
  });
});
