import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  createRealtimeToTwilioState,
  createTwilioToRealtimeState,
  realtimePcmToTwilio,
  twilioToRealtimePcm,
} from "./convert.ts";
import { decodeMuLaw, encodeMuLaw } from "./mulaw.ts";
import { pcm16ToBytesLE } from "./pcm-bytes.ts";
import { downsample24kTo8k, RESAMPLE_DELAY_24K, upsample8kTo24k } from "./resample.ts";
import { generateSpeechLike, generateTone, rmsDbfs } from "./signals.ts";

function concatBytes(parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

describe("twilioToRealtimePcm", () => {
  test("is mu-law decode, then 8k->24k, then PCM16 LE: 6 bytes out per byte in", () => {
    const mulaw = encodeMuLaw(generateSpeechLike({ ms: 200, seed: 11 }));
    const out = twilioToRealtimePcm(mulaw, createTwilioToRealtimeState());
    assert.equal(out.length, 6 * mulaw.length);
    assert.deepEqual(out, pcm16ToBytesLE(upsample8kTo24k(decodeMuLaw(mulaw))));
  });

  test("a call's 20 ms frames give the same bytes as the whole recording", () => {
    const mulaw = encodeMuLaw(generateSpeechLike({ ms: 1000, seed: 12 }));
    const whole = twilioToRealtimePcm(mulaw, createTwilioToRealtimeState());
    const state = createTwilioToRealtimeState();
    const parts: Uint8Array[] = [];
    // Twilio usually sends 160 bytes, but any length must work.
    const sizes = [160, 160, 1, 0, 159, 320, 80];
    let at = 0;
    for (let i = 0; at < mulaw.length; i++) {
      const size = sizes[i % sizes.length]!;
      parts.push(twilioToRealtimePcm(mulaw.subarray(at, at + size), state));
      at += size;
    }
    assert.deepEqual(concatBytes(parts), whole);
  });

  test("reuses its scratch buffers for same-sized frames and writes into dst", () => {
    const state = createTwilioToRealtimeState();
    const frame = new Uint8Array(160).fill(0xff);
    const dst = new Uint8Array(960);
    twilioToRealtimePcm(frame, state, dst);
    const { pcm8k, pcm24k } = state;
    const out = twilioToRealtimePcm(frame, state, dst);
    assert.equal(out.buffer, dst.buffer);
    assert.equal(state.pcm8k, pcm8k);
    assert.equal(state.pcm24k, pcm24k);
    assert.throws(() => twilioToRealtimePcm(frame, state, new Uint8Array(959)), /holds 959 bytes but 960/);
  });

  test("rejects a state from the other direction", () => {
    assert.throws(
      () => twilioToRealtimePcm(new Uint8Array(1), createRealtimeToTwilioState() as never),
      /createTwilioToRealtimeState/,
    );
  });
});

describe("realtimePcmToTwilio", () => {
  test("is PCM16 LE parse, then 24k->8k, then mu-law encode", () => {
    const pcm = generateSpeechLike({ ms: 200, rate: 24000, seed: 13 });
    const out = realtimePcmToTwilio(pcm16ToBytesLE(pcm), createRealtimeToTwilioState());
    assert.equal(out.length, pcm.length / 3);
    assert.deepEqual(out, encodeMuLaw(downsample24kTo8k(pcm)));
  });

  test("deltas of any byte length, even ones that split a sample, give the same result as one delta", () => {
    const bytes = pcm16ToBytesLE(generateSpeechLike({ ms: 600, rate: 24000, seed: 14 }));
    const whole = realtimePcmToTwilio(bytes, createRealtimeToTwilioState());
    const state = createRealtimeToTwilioState();
    const parts: Uint8Array[] = [];
    const sizes = [4800, 1, 0, 333, 2, 7, 960, 1201];
    let at = 0;
    for (let i = 0; at < bytes.length; i++) {
      const size = sizes[i % sizes.length]!;
      parts.push(realtimePcmToTwilio(Buffer.from(bytes.subarray(at, at + size)), state));
      at += size;
    }
    assert.deepEqual(concatBytes(parts), whole);
    assert.equal(state.carry, -1, "no half sample left over at the end");
  });

  test("rejects a short dst without consuming the audio, and a state from the other direction", () => {
    const state = createRealtimeToTwilioState();
    const bytes = pcm16ToBytesLE(generateTone({ hz: 440, ms: 20, rate: 24000 }));
    assert.throws(() => realtimePcmToTwilio(bytes, state, new Uint8Array(10)), /holds 10 bytes but 160/);
    assert.deepEqual(realtimePcmToTwilio(bytes, state), realtimePcmToTwilio(bytes, createRealtimeToTwilioState()));
    assert.throws(
      () => realtimePcmToTwilio(new Uint8Array(2), createTwilioToRealtimeState() as never),
      /createRealtimeToTwilioState/,
    );
  });
});

describe("caller -> model -> caller in PCM mode", () => {
  test("speech survives the round trip with mu-law-level fidelity (SNR > 30 dB), 16 samples late", () => {
    const speech = generateSpeechLike({ ms: 2000, seed: 21 });
    const toModel = createTwilioToRealtimeState();
    const toCaller = createRealtimeToTwilioState();
    const heard: Uint8Array[] = [];
    const mulaw = encodeMuLaw(speech);
    for (let at = 0; at < mulaw.length; at += 160) {
      const pcmB64 = Buffer.from(twilioToRealtimePcm(mulaw.subarray(at, at + 160), toModel)).toString("base64");
      heard.push(realtimePcmToTwilio(Buffer.from(pcmB64, "base64"), toCaller));
    }
    const back = decodeMuLaw(concatBytes(heard));
    assert.equal(back.length, speech.length);
    const delay = (2 * RESAMPLE_DELAY_24K) / 3;
    const error = new Int16Array(speech.length - delay);
    for (let n = delay; n < speech.length; n++) error[n - delay] = back[n]! - speech[n - delay]!;
    const snr = rmsDbfs(speech) - rmsDbfs(error);
    assert.ok(snr > 30, `SNR ${snr.toFixed(1)} dB`);
  });

  test("a 1 kHz tone keeps its level through both converters", () => {
    const tone = encodeMuLaw(generateTone({ hz: 1000, ms: 300, amplitude: 0.25 }));
    const back = decodeMuLaw(
      realtimePcmToTwilio(twilioToRealtimePcm(tone, createTwilioToRealtimeState()), createRealtimeToTwilioState()),
    );
    const delay = (2 * RESAMPLE_DELAY_24K) / 3;
    const before = rmsDbfs(decodeMuLaw(tone).subarray(100, tone.length - delay));
    const after = rmsDbfs(back.subarray(100 + delay));
    assert.ok(Math.abs(after - before) < 0.2, `changed by ${after - before} dB`);
  });
});
