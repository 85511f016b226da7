/**
 * What the simulated caller does on a ConversationRelay session (docs/PROTOCOLS.md §9): Twilio turns the
 * caller's speech into `prompt` messages and speaks the app's `text` tokens, so the script is in text.
 * Waits are in wall-clock ms (there is no media clock on a relay session).
 */
export type RelayStep =
  | { kind: "says"; text: string; lang: string | undefined }
  | { kind: "waitsForReply"; timeoutMs: number }
  | { kind: "interrupts"; afterChars: number; text: string | undefined; lang: string | undefined; durationAsString: boolean; timeoutMs: number }
  | { kind: "presses"; digits: string }
  | { kind: "pauses"; ms: number }
  | { kind: "hangsUp" }
  | { kind: "sendsRaw"; message: string }
  | { kind: "waitsUntil"; description: string; predicate: () => boolean; timeoutMs: number };

const DEFAULT_TIMEOUT_MS = 10_000;

/** The caller says `text`: one `prompt {voicePrompt, lang, last:true}` (lang defaults to the session's transcription language). */
export function relaySays(text: string, opts: { lang?: string } = {}): RelayStep {
  if (typeof text !== "string") throw new TypeError("relaySays: text must be a string");
  return { kind: "says", text, lang: opts.lang };
}

/**
 * The caller listens until the app's reply to the caller's last words is complete (`text` with
 * `last:true`, or a `play`). No reply within `timeoutMs` (wall) = an error and the caller hangs up.
 */
export function relayWaitsForReply(opts: { timeoutMs?: number } = {}): RelayStep {
  return { kind: "waitsForReply", timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS };
}

/**
 * Barge-in: once the reply being spoken has reached `afterChars` characters, the caller talks over it.
 * Twilio sends `interrupt {utteranceUntilInterrupt, durationUntilInterruptMs}` (what the caller heard up
 * to the end of that word), then `prompt` with `text` when given. When the reply (or the session's
 * `interruptible` setting) does not allow speech interrupts, no `interrupt` is sent and the prompt
 * follows the end of the reply. `durationAsString` sends the duration as a string, as Twilio sometimes does.
 */
export function relayInterrupts(afterChars: number, text?: string, opts: { lang?: string; durationAsString?: boolean; timeoutMs?: number } = {}): RelayStep {
  if (!(afterChars >= 0)) throw new RangeError(`relayInterrupts: afterChars must be >= 0, got ${afterChars}`);
  return {
    kind: "interrupts",
    afterChars,
    text,
    lang: opts.lang,
    durationAsString: opts.durationAsString ?? false,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
}

/** The caller presses keys: one `dtmf {digit}` each (only when the session has `dtmfDetection="true"`). */
export function relayPresses(digits: string): RelayStep {
  if (!/^[0-9*#]+$/.test(digits)) throw new RangeError(`relayPresses: digits must be 0-9, * or #, got "${digits}"`);
  return { kind: "presses", digits };
}

/** The caller stays silent for `ms` (scaled by the cloud's timeScale). */
export function relayPauses(ms: number): RelayStep {
  if (!(ms >= 0)) throw new RangeError(`relayPauses: ms must be >= 0, got ${ms}`);
  return { kind: "pauses", ms };
}

/** The caller hangs up: Twilio closes the socket, the call completes. */
export function relayHangsUp(): RelayStep {
  return { kind: "hangsUp" };
}

/**
 * Sends a raw text frame on the socket as if Twilio had (an unknown message type, a 5 KB prompt, malformed
 * JSON…), for the app's bad-input tests. Objects are JSON-encoded.
 */
export function relaySendsRaw(message: string | Record<string, unknown>): RelayStep {
  return { kind: "sendsRaw", message: typeof message === "string" ? message : JSON.stringify(message) };
}

/** Waits until `predicate()` holds (checked on every message), for at most `timeoutMs` wall ms. */
export function relayWaitsUntil(description: string, predicate: () => boolean, opts: { timeoutMs?: number } = {}): RelayStep {
  return { kind: "waitsUntil", description, predicate, timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS };
}
