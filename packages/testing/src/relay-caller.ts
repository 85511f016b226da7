import type { RelayHeardTurn } from "./relay-record.ts";
import type { RelayStep } from "./relay-script.ts";
import type { RelaySession } from "./relay-session.ts";

/** Characters per second the emulated TTS speaks (sets `durationUntilInterruptMs`). */
export const RELAY_TTS_CHARS_PER_SECOND = 15;

/** What the caller heard when cutting in after `afterChars` of `text`: up to the end of that word. */
export function utteranceAt(text: string, afterChars: number): string {
  if (afterChars >= text.length) return text;
  const end = text.slice(afterChars).search(/\s/);
  return end < 0 ? text : text.slice(0, afterChars + end);
}

/** Plays a relay caller script against a session, step by step, driven by the app's messages. */
export class RelayCaller {
  private readonly session: RelaySession;
  private readonly steps: RelayStep[];
  private readonly timeScale: number;
  /** Turns before this index answered something the caller said earlier. */
  private replyFrom = 0;

  constructor(session: RelaySession, steps: RelayStep[], timeScale: number) {
    this.session = session;
    this.steps = steps;
    this.timeScale = timeScale;
  }

  async run(): Promise<void> {
    for (const [index, step] of this.steps.entries()) {
      if (this.session.ended) return;
      this.session.call.record("relay-caller-step", { index, kind: step.kind });
      await this.play(step);
    }
  }

  private heard(): RelayHeardTurn[] {
    return this.session.record.heard;
  }

  private prompt(text: string, lang: string | undefined): void {
    this.replyFrom = this.heard().length;
    this.session.record.prompts.push(text);
    this.session.send({ type: "prompt", voicePrompt: text, lang: lang ?? this.session.record.transcriptionLanguage, last: true });
  }

  /** Resolves with true once `predicate()` holds, false if the session ended; on timeout: error + hang up. */
  private until(predicate: () => boolean, timeoutMs: number, what: string): Promise<boolean> {
    return new Promise((resolve) => {
      let stop = () => {};
      const timer = setTimeout(() => {
        stop();
        this.session.call.error(`relay caller waited ${timeoutMs} ms for ${what}; hanging up`);
        this.session.end("caller-hung-up");
        resolve(false);
      }, timeoutMs);
      const check = () => {
        if (this.session.ended || predicate()) {
          clearTimeout(timer);
          stop();
          resolve(!this.session.ended);
        }
      };
      stop = this.session.watch(check);
      check();
    });
  }

  private async play(step: RelayStep): Promise<void> {
    switch (step.kind) {
      case "says":
        this.prompt(step.text, step.lang);
        return;
      case "waitsForReply": {
        const from = this.replyFrom;
        await this.until(() => this.heard().some((t) => t.index >= from && t.source !== "welcome" && t.complete), step.timeoutMs, "the app's reply (text with last:true, or play)");
        return;
      }
      case "interrupts":
        await this.interrupts(step);
        return;
      case "presses":
        if (!this.session.dtmfDetection) {
          this.session.call.record("relay-dtmf-not-detected", { digits: step.digits });
          return;
        }
        for (const digit of step.digits) this.session.send({ type: "dtmf", digit });
        return;
      case "pauses":
        await new Promise((r) => setTimeout(r, step.ms * this.timeScale));
        return;
      case "hangsUp":
        this.session.call.record("caller-hangs-up");
        this.session.end("caller-hung-up");
        return;
      case "sendsRaw":
        this.session.sendRaw(step.message);
        return;
      case "waitsUntil":
        await this.until(step.predicate, step.timeoutMs, step.description);
        return;
    }
  }

  private async interrupts(step: Extract<RelayStep, { kind: "interrupts" }>): Promise<void> {
    const from = Math.max(0, Math.min(this.replyFrom, this.heard().length));
    // The first reply (since the caller last spoke) that is long enough, or complete and too short (an error below).
    const target = () => this.heard().find((t) => t.index >= from && !t.interrupted && t.source !== "play" && (t.text.length >= step.afterChars || t.complete));
    const ok = await this.until(() => target() !== undefined, step.timeoutMs, `a reply of at least ${step.afterChars} characters to talk over`);
    if (!ok) return;
    const turn = target()!;
    if (turn.text.length < step.afterChars) {
      this.session.call.error(`relay caller wanted to interrupt after ${step.afterChars} characters but the reply was only ${turn.text.length} long: "${turn.text}"`);
    } else if (!turn.interruptible) {
      this.session.call.record("relay-interrupt-not-allowed", { turn: turn.index });
      if (!(await this.until(() => turn.complete, step.timeoutMs, "the end of a non-interruptible reply"))) return;
    } else {
      const utterance = utteranceAt(turn.text, step.afterChars);
      this.session.call.record("caller-interrupts", { turn: turn.index, utterance });
      this.session.interrupt(turn, utterance, Math.round((utterance.length * 1000) / RELAY_TTS_CHARS_PER_SECOND), step.durationAsString);
    }
    if (step.text !== undefined) this.prompt(step.text, step.lang);
  }
}
