import { speechMuLaw, type SpeechOptions } from "./audio.ts";

/** What the simulated person on the phone does once a media stream is up, step by step (media time). */
export type CallerStep =
  | { kind: "says"; audio: Buffer; text?: string }
  | { kind: "pauses"; ms: number }
  | { kind: "waitsForReply"; timeoutMs: number }
  | { kind: "interrupts"; afterMs: number; audio: Buffer; text?: string; timeoutMs: number }
  | { kind: "presses"; digits: string }
  | { kind: "hangsUp" }
  | { kind: "waitsUntil"; description: string; predicate: () => boolean; timeoutMs: number };

const DEFAULT_TIMEOUT_MS = 30_000;

function audioFor(what: number | Buffer, opts: SpeechOptions): Buffer {
  if (typeof what === "number") return speechMuLaw(what, opts);
  if (!Buffer.isBuffer(what)) throw new TypeError("caller audio must be a duration in ms or a Buffer of mu-law 8 kHz bytes");
  return what;
}

/**
 * The caller speaks: `ms` of generated speech-like audio, or the given mu-law 8 kHz bytes (e.g. from
 * `loadMuLawAudio`). `text` is only a label for the timeline (the emulator's script says what the model heard).
 */
export function callerSays(what: number | Buffer, opts: SpeechOptions & { text?: string } = {}): CallerStep {
  const step: CallerStep = { kind: "says", audio: audioFor(what, opts) };
  if (opts.text !== undefined) step.text = opts.text;
  return step;
}

/** The caller stays silent (silence frames keep flowing) for `ms` of media time. */
export function callerPauses(ms: number): CallerStep {
  if (!(ms >= 0)) throw new RangeError(`callerPauses: ms must be >= 0, got ${ms}`);
  return { kind: "pauses", ms };
}

/**
 * The caller listens until the assistant has spoken a whole turn that began after this step started (the
 * turn ends when playback has been idle for the call's `turnGapMs`). If none comes within `timeoutMs` of
 * media time the call records an error and hangs up.
 */
export function callerWaitsForReply(opts: { timeoutMs?: number } = {}): CallerStep {
  return { kind: "waitsForReply", timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS };
}

/**
 * Barge-in: once the assistant's current (or next) turn has played `afterMs`, the caller talks over it for
 * `speech` (ms of generated speech, or mu-law bytes).
 */
export function callerInterrupts(
  afterMs: number,
  speech: number | Buffer = 800,
  opts: SpeechOptions & { text?: string; timeoutMs?: number } = {},
): CallerStep {
  if (!(afterMs >= 0)) throw new RangeError(`callerInterrupts: afterMs must be >= 0, got ${afterMs}`);
  const step: CallerStep = { kind: "interrupts", afterMs, audio: audioFor(speech, opts), timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  if (opts.text !== undefined) step.text = opts.text;
  return step;
}

/** DTMF: each digit (0-9, *, #) becomes one `dtmf` stream message. */
export function callerPresses(digits: string): CallerStep {
  if (!/^[0-9*#]+$/.test(digits)) throw new RangeError(`callerPresses: digits must be 0-9, * or #, got "${digits}"`);
  return { kind: "presses", digits };
}

/** The caller hangs up: the stream gets `stop` and closes, the call completes. */
export function callerHangsUp(): CallerStep {
  return { kind: "hangsUp" };
}

/** Waits (in silence) until `predicate()` holds, checked every 20 ms frame. */
export function callerWaitsUntil(description: string, predicate: () => boolean, opts: { timeoutMs?: number } = {}): CallerStep {
  return { kind: "waitsUntil", description, predicate, timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS };
}
