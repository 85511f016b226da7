/**
 * Dead air the other way round: the assistant finished speaking and the caller says nothing. Semantic VAD has
 * no server-side idle timeout (server_vad's `idle_timeout_ms` only), so the gateway keeps the watch: after
 * `idleMs` of silence from the end of playback the model is asked to check on the caller, at most `maxPrompts`
 * times in a row (the caller speaking resets it).
 */
export class SilenceWatch {
  private timer: NodeJS.Timeout | null = null;
  private inARow = 0;
  private readonly idleMs: number;
  private readonly maxPrompts: number;
  private readonly onSilence: (nth: number) => void;

  constructor(opts: { idleMs: number; maxPrompts: number; onSilence: (nth: number) => void }) {
    this.idleMs = opts.idleMs;
    this.maxPrompts = opts.maxPrompts;
    this.onSilence = opts.onSilence;
  }

  /** The caller heard everything the assistant said: start counting. */
  arm(): void {
    if (this.idleMs <= 0 || this.inARow >= this.maxPrompts) return;
    this.disarm();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.inARow++;
      this.onSilence(this.inARow);
    }, this.idleMs);
    this.timer.unref();
  }

  /** Something happens (the model answers, a tool runs): stop counting, keep the streak. */
  disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The caller spoke. */
  callerSpoke(): void {
    this.disarm();
    this.inARow = 0;
  }
}
