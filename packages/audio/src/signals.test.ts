import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { generateSpeechLike, generateTone, rmsDbfs, silence } from "./signals.ts";

/** 10 ms RMS envelope in dBFS. */
function envelope(x: Int16Array, rate: number): number[] {
  const win = rate / 100;
  const out: number[] = [];
  for (let i = 0; i + win <= x.length; i += win) out.push(rmsDbfs(x.subarray(i, i + win)));
  return out;
}

describe("rmsDbfs", () => {
  test("a full-scale sine reads -3.01 dBFS; half scale about -9.03", () => {
    assert.ok(Math.abs(rmsDbfs(generateTone({ hz: 1000, ms: 100, amplitude: 1 })) + 3.01) < 0.01);
    assert.ok(Math.abs(rmsDbfs(generateTone({ hz: 1000, ms: 100, amplitude: 0.5 })) + 9.03) < 0.01);
  });

  test("a full-scale square wave reads 0 dBFS; silence and empty input read -Infinity", () => {
    assert.equal(rmsDbfs(Int16Array.of(-32768, -32768)), 0);
    assert.equal(rmsDbfs(silence(20)), Number.NEGATIVE_INFINITY);
    assert.equal(rmsDbfs([]), Number.NEGATIVE_INFINITY);
  });
});

describe("silence and generateTone", () => {
  test("lengths follow ms and rate", () => {
    assert.equal(silence(20).length, 160);
    assert.equal(silence(20, 24000).length, 480);
    assert.equal(generateTone({ hz: 440, ms: 1000, rate: 16000 }).length, 16000);
    assert.equal(generateTone({ hz: 440, ms: 0 }).length, 0);
  });

  test("a tone has the requested frequency (zero crossings) and peak", () => {
    const x = generateTone({ hz: 1000, ms: 1000, rate: 24000, amplitude: 0.8, phase: 0.1 });
    let crossings = 0;
    for (let i = 1; i < x.length; i++) if (x[i - 1]! < 0 !== x[i]! < 0) crossings++;
    assert.ok(Math.abs(crossings - 2000) <= 1, `${crossings} zero crossings`);
    // 24 samples per period: the sample nearest a crest is at most 7.5 degrees away from it.
    const peak = x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    assert.ok(peak <= 0.8 * 32767 + 0.5 && peak >= 0.8 * 32767 * Math.cos(Math.PI / 24), `peak ${peak}`);
    assert.equal(generateTone({ hz: 1000, ms: 10, rate: 24000, amplitude: 0.8 })[6], Math.round(0.8 * 32767));
  });

  test("rejects impossible parameters with messages that name them", () => {
    assert.throws(() => generateTone({ hz: 5000, ms: 10, rate: 8000 }), /below the Nyquist frequency 4000, got 5000/);
    assert.throws(() => generateTone({ hz: 100, ms: -1 }), /ms must be a finite number >= 0, got -1/);
    assert.throws(() => generateTone({ hz: 100, ms: 10, amplitude: 2 }), /amplitude .* \[0, 1\], got 2/);
    assert.throws(() => silence(10, 0), /rate must be a positive integer/);
  });
});

describe("generateSpeechLike", () => {
  test("is deterministic by seed", () => {
    const a = generateSpeechLike({ ms: 500, seed: 42 });
    assert.deepEqual(generateSpeechLike({ ms: 500, seed: 42 }), a);
    assert.notDeepEqual(generateSpeechLike({ ms: 500, seed: 43 }), a);
  });

  test("alternates voiced syllables and pauses at a syllable rate of 2-6 per second", () => {
    const x = generateSpeechLike({ ms: 10000, seed: 5 });
    const env = envelope(x, 8000);
    let onsets = 0;
    let quiet = true;
    for (const db of env) {
      if (quiet && db > -35) {
        onsets++;
        quiet = false;
      } else if (!quiet && db < -50) {
        quiet = true;
      }
    }
    assert.ok(onsets >= 20 && onsets <= 60, `${onsets} syllable onsets in 10 s`);
    const silent = env.filter((db) => db === Number.NEGATIVE_INFINITY).length;
    assert.ok(silent > env.length * 0.1 && silent < env.length * 0.6, `${silent} of ${env.length} windows silent`);
  });

  test("peaks at the requested amplitude and sits at a phone-like level", () => {
    const x = generateSpeechLike({ ms: 3000, seed: 9, amplitude: 0.3 });
    const peak = x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    assert.ok(Math.abs(peak - 0.3 * 32767) <= 1, `peak ${peak}`);
    const level = rmsDbfs(x);
    assert.ok(level > -32 && level < -20, `level ${level} dBFS`);
  });

  test("at 24 kHz it has energy above 4 kHz (for anti-aliasing tests) but mostly below", () => {
    const x = generateSpeechLike({ ms: 1000, rate: 24000, seed: 3 });
    // Energy above 4 kHz: difference from a crude moving average low-pass is a rough high band.
    const hi = new Int16Array(x.length);
    for (let i = 3; i < x.length; i++) hi[i] = x[i]! - Math.round((x[i]! + x[i - 1]! + x[i - 2]! + x[i - 3]!) / 4);
    const ratio = rmsDbfs(x) - rmsDbfs(hi);
    assert.ok(ratio > 6 && ratio < 60, `high band ${ratio} dB below total`);
  });
});
