/**
 * The gateway's PCM mode: Twilio mu-law 8 kHz <-> Realtime `audio/pcm` (PCM16 LE, 24 kHz).
 * One state object per direction per call; it owns the resampler history and scratch buffers, so a
 * steady stream of equal-sized frames allocates only the returned bytes (or nothing, with `dst`).
 */
import { decodeMuLaw, encodeMuLaw } from "./mulaw.ts";
import { bytesLEToPcm16, pcm16ToBytesLE } from "./pcm-bytes.ts";
import {
  createDownsampleState,
  createUpsampleState,
  type DownsampleState,
  downsample24kTo8k,
  downsampledLength,
  type UpsampleState,
  upsample8kTo24k,
} from "./resample.ts";

export interface TwilioToRealtimeState {
  readonly kind: "twilio-to-realtime";
  readonly resampler: UpsampleState;
  pcm8k: Int16Array;
  pcm24k: Int16Array;
}

export interface RealtimeToTwilioState {
  readonly kind: "realtime-to-twilio";
  readonly resampler: DownsampleState;
  pcm24k: Int16Array;
  pcm8k: Int16Array;
  /** A trailing odd byte from the previous chunk (-1 when none): a delta may split a sample. */
  carry: number;
}

export function createTwilioToRealtimeState(): TwilioToRealtimeState {
  return {
    kind: "twilio-to-realtime",
    resampler: createUpsampleState(),
    pcm8k: new Int16Array(160),
    pcm24k: new Int16Array(480),
  };
}

export function createRealtimeToTwilioState(): RealtimeToTwilioState {
  return {
    kind: "realtime-to-twilio",
    resampler: createDownsampleState(),
    pcm24k: new Int16Array(480),
    pcm8k: new Int16Array(160),
    carry: -1,
  };
}

function grow(buf: Int16Array, n: number): Int16Array {
  return buf.length >= n ? buf : new Int16Array(Math.max(n, buf.length * 2));
}

/**
 * Twilio inbound payload (raw mu-law, 8 kHz) -> bytes for `input_audio_buffer.append` in
 * `audio/pcm` 24 kHz mode (PCM16 LE): 6 output bytes per input byte. `dst`, when given, must hold
 * `6 * mulaw.length` bytes; the written part is returned.
 */
export function twilioToRealtimePcm(mulaw: Uint8Array, state: TwilioToRealtimeState, dst?: Uint8Array): Uint8Array {
  if (state?.kind !== "twilio-to-realtime") {
    throw new TypeError("twilioToRealtimePcm: state must come from createTwilioToRealtimeState()");
  }
  const n = mulaw.length;
  // Validate before touching the state, so a rejected call leaves the stream intact.
  if (dst !== undefined && dst.length < 6 * n) {
    throw new RangeError(`twilioToRealtimePcm: destination holds ${dst.length} bytes but ${6 * n} are needed`);
  }
  state.pcm8k = grow(state.pcm8k, n);
  state.pcm24k = grow(state.pcm24k, 3 * n);
  const pcm8k = decodeMuLaw(mulaw, state.pcm8k);
  const pcm24k = upsample8kTo24k(pcm8k, state.resampler, state.pcm24k);
  return pcm16ToBytesLE(pcm24k, dst);
}

/**
 * Realtime `response.output_audio.delta` bytes (PCM16 LE, 24 kHz) -> Twilio outbound payload
 * (raw mu-law, 8 kHz). Chunks may have any length, even odd (a split sample is carried over).
 * The output has one byte per 3 input samples (exactly, over the stream). `dst`, when given, must
 * hold that many bytes (`Math.ceil(pcmBytes.length / 6) + 1` always suffices); the written part is returned.
 */
export function realtimePcmToTwilio(pcmBytes: Uint8Array, state: RealtimeToTwilioState, dst?: Uint8Array): Uint8Array {
  if (state?.kind !== "realtime-to-twilio") {
    throw new TypeError("realtimePcmToTwilio: state must come from createRealtimeToTwilioState()");
  }
  if (!(pcmBytes instanceof Uint8Array)) {
    throw new TypeError("realtimePcmToTwilio: pcmBytes must be a Uint8Array (or Buffer)");
  }
  const total = (pcmBytes.length + (state.carry >= 0 ? 1 : 0)) >> 1;
  const count = downsampledLength(total, state.resampler);
  // Validate before touching the state, so a rejected call leaves the stream intact.
  if (dst !== undefined && dst.length < count) {
    throw new RangeError(`realtimePcmToTwilio: destination holds ${dst.length} bytes but ${count} are needed`);
  }
  let bytes = pcmBytes;
  let samples: Int16Array;
  if (state.carry >= 0 && bytes.length > 0) {
    // Complete the split sample, then continue with the rest.
    const first = (state.carry | (bytes[0]! << 8)) << 16 >> 16;
    state.carry = -1;
    bytes = bytes.subarray(1);
    const whole = bytes.length >> 1;
    state.pcm24k = grow(state.pcm24k, whole + 1);
    state.pcm24k[0] = first;
    bytesLEToPcm16(bytes.subarray(0, whole * 2), state.pcm24k.subarray(1));
    samples = state.pcm24k.subarray(0, whole + 1);
  } else {
    const whole = bytes.length >> 1;
    state.pcm24k = grow(state.pcm24k, whole);
    samples = bytesLEToPcm16(bytes.subarray(0, whole * 2), state.pcm24k);
  }
  if (bytes.length % 2 === 1) state.carry = bytes[bytes.length - 1]!;
  state.pcm8k = grow(state.pcm8k, Math.ceil(samples.length / 3));
  const pcm8k = downsample24kTo8k(samples, state.resampler, state.pcm8k);
  return encodeMuLaw(pcm8k, dst);
}
