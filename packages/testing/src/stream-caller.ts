import type { CallerStep } from "./caller-script.ts";
import type { AssistantTurn, StreamOutcome } from "./call-types.ts";
import type { SimulatedCall } from "./simulated-call.ts";

/** What the scripted caller needs from the live media stream (LiveStream provides it). */
export type StreamCallerHost = {
  readonly call: SimulatedCall;
  readonly mediaMs: number;
  readonly ended: boolean;
  readonly currentTurn: AssistantTurn | undefined;
  readonly callerSpeaking: boolean;
  speak(audio: Buffer, text: string | undefined): void;
  sendDtmf(digit: string): void;
  end(outcome: StreamOutcome): void;
};

type StepState = { mediaMs: number; turnIndex: number; spoke: boolean };

/** Plays the caller's script (callerSays & co) on a media stream, in media time. */
export class StreamCaller {
  private readonly live: StreamCallerHost;
  private readonly steps: CallerStep[];
  private stepIndex = 0;
  private stepStart: StepState | undefined;

  constructor(live: StreamCallerHost, steps: CallerStep[]) {
    this.live = live;
    this.steps = steps;
  }

  /** Runs due steps; called on every 20 ms media tick. */
  step(): void {
    for (;;) {
      const step = this.steps[this.stepIndex];
      if (!step) return;
      if (!this.stepStart) {
        this.stepStart = { mediaMs: this.live.mediaMs, turnIndex: this.live.currentTurn ? this.live.currentTurn.index : this.live.call.heard.length, spoke: false };
        this.live.call.record("caller-step", { index: this.stepIndex, kind: step.kind });
        if (step.kind === "says") this.live.speak(step.audio, step.text);
      }
      if (!this.stepDone(step, this.stepStart)) return;
      this.stepIndex += 1;
      this.stepStart = undefined;
      if (this.live.ended) return;
    }
  }

  private stepDone(step: CallerStep, start: StepState): boolean {
    const waited = this.live.mediaMs - start.mediaMs;
    switch (step.kind) {
      case "says":
        return !this.live.callerSpeaking;
      case "pauses":
        return waited >= step.ms;
      case "presses":
        for (const digit of step.digits) this.live.sendDtmf(digit);
        return true;
      case "hangsUp":
        this.live.call.record("caller-hangs-up");
        this.live.end("caller-hung-up");
        return true;
      case "waitsForReply": {
        const t = this.live.call.heard.find((h) => h.index >= start.turnIndex && h.endMediaMs !== undefined);
        if (t) return true;
        if (waited >= step.timeoutMs) {
          this.live.call.error(`caller waited ${step.timeoutMs} ms of media for the assistant to reply and heard nothing; hanging up`);
          this.live.end("caller-hung-up");
          return true;
        }
        return false;
      }
      case "interrupts": {
        if (start.spoke) return !this.live.callerSpeaking;
        const turn = this.live.currentTurn;
        if (turn && turn.playedMs >= step.afterMs) {
          this.live.call.record("caller-interrupts", { turn: turn.index, playedMs: turn.playedMs });
          this.live.speak(step.audio, step.text);
          start.spoke = true;
          return false;
        }
        if (waited >= step.timeoutMs) {
          this.live.call.error(`caller waited ${step.timeoutMs} ms to interrupt after ${step.afterMs} ms of assistant audio and it never got that far; hanging up`);
          this.live.end("caller-hung-up");
          return true;
        }
        return false;
      }
      case "waitsUntil": {
        if (step.predicate()) return true;
        if (waited >= step.timeoutMs) {
          this.live.call.error(`caller waited ${step.timeoutMs} ms for ${step.description}; hanging up`);
          this.live.end("caller-hung-up");
          return true;
        }
        return false;
      }
    }
  }
}
