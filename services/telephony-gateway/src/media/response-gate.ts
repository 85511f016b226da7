import type { RealtimeClientEvent } from "openai/resources/realtime/realtime";

/** Where the model's turn is: nothing asked, asked (no `response.created` yet), or answering. */
export type ResponseState = { kind: "idle" } | { kind: "requested"; at: number } | { kind: "active"; id: string; at: number };

/** What the gate needs from the engine around it. */
export interface ResponseGateHost {
  send(ev: RealtimeClientEvent): void;
  /** No more model turns (hand-off under way, engine lost or closed). */
  halted(): boolean;
  /** The caller hung up or the stream went away. */
  isOver(): boolean;
  /** The server went silent on a response longer than the stall limit (before it is cancelled and retried). */
  stalled(response: ResponseState, afterMs: number): void;
  /** Two failed or stalled responses in a row: the session can no longer hold the conversation. */
  lost(why: string): void;
}

/**
 * Response gating for one Realtime conversation (docs/PROTOCOLS.md §5): one response at a time, asked for once
 * no response runs and no tool output is pending; a watchdog that treats server silence on a running response
 * as a stall (cancel, then one retry); responses given up on are remembered so their late events are ignored.
 */
export class ResponseGate {
  private readonly host: ResponseGateHost;
  private readonly stallMs: number;
  private state: ResponseState = { kind: "idle" };
  private waiters: Array<() => void> = [];
  private pendingTools = 0;
  private needResponse = false;
  /** Responses in a row that failed or stalled; one retry, then the engine is lost. */
  private failedResponses = 0;
  private watchdog: NodeJS.Timeout | null = null;
  /** When the server last sent anything while a response was asked for or running. */
  private lastEventAt = 0;
  /** Responses given up on (stalled, then cancelled): their late events must not end the response asked for since. */
  private readonly abandoned = new Set<string>();

  constructor(host: ResponseGateHost, stallMs: number) {
    this.host = host;
    this.stallMs = stallMs;
  }

  get response(): ResponseState {
    return this.state;
  }

  /** A response is asked for or running, or a tool is still working. */
  busy(): boolean {
    return this.state.kind !== "idle" || this.pendingTools > 0;
  }

  /** Asks the model to speak (greeting, after tool outputs) once no response is running and no tool is pending. */
  request(): void {
    this.needResponse = true;
    this.maybeCreate();
  }

  /** A response will be needed once the pending tools are done. */
  needed(): void {
    this.needResponse = true;
  }

  /** The server says a response is already running: the one we wanted is not needed. */
  notNeeded(): void {
    this.needResponse = false;
  }

  toolStarted(): void {
    this.pendingTools++;
  }

  toolFinished(): void {
    this.pendingTools--;
    this.maybeCreate();
  }

  maybeCreate(): void {
    if (!this.needResponse || this.state.kind !== "idle" || this.pendingTools > 0 || this.host.halted()) return;
    this.needResponse = false;
    this.state = { kind: "requested", at: Date.now() };
    this.host.send({ type: "response.create" });
    this.kick();
  }

  /** A response of our own outside the gating (the apology): asked for now, whatever the gate thinks. */
  createNow(ev: RealtimeClientEvent): void {
    this.state = { kind: "requested", at: Date.now() };
    this.host.send(ev);
  }

  /** `response.created`; false when it belongs to a response given up on. */
  created(id: string | undefined): boolean {
    if (id && this.abandoned.has(id)) return false;
    this.state = { kind: "active", id: id ?? "unknown", at: Date.now() };
    return true;
  }

  /** `response.done`; false when it ends a response given up on (nothing else changes). */
  done(id: string | undefined): boolean {
    if (id !== undefined && this.abandoned.delete(id)) return false;
    this.state = { kind: "idle" };
    this.clearWatchdog();
    this.releaseWaiters();
    return true;
  }

  /** The last response completed: the failure count starts over. */
  completed(): void {
    this.failedResponses = 0;
  }

  /** Cancels the running response, if any. */
  cancelActive(): void {
    if (this.state.kind === "active") this.host.send({ type: "response.cancel" });
  }

  /** A failed or stalled response: ask once more; a second in a row means the engine is lost. */
  retryOrLose(why: string): void {
    this.failedResponses++;
    if (this.failedResponses >= 2) {
      this.host.lost(`realtime ${why} twice`);
      return;
    }
    this.request();
  }

  /**
   * While a response is asked for or running, silence from the server longer than the stall limit is a fault.
   * Called for every server event (50 audio deltas a second): it only notes the time; the one armed timer
   * checks it when it fires and re-arms for the rest, instead of being moved on every event.
   */
  kick(): void {
    if (this.state.kind === "idle" || this.host.halted()) {
      this.clearWatchdog();
      return;
    }
    this.lastEventAt = Date.now();
    if (this.watchdog === null) this.armWatchdog(this.stallMs);
  }

  private armWatchdog(ms: number): void {
    this.watchdog = setTimeout(this.onWatchdog, ms);
    this.watchdog.unref();
  }

  private readonly onWatchdog = (): void => {
    const quietMs = Date.now() - this.lastEventAt;
    if (quietMs < this.stallMs) this.armWatchdog(this.stallMs - quietMs);
    else this.onStall();
  };

  clearWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = null;
  }

  private onStall(): void {
    this.watchdog = null;
    if (this.state.kind === "idle" || this.host.halted() || this.host.isOver()) return;
    this.host.stalled(this.state, this.stallMs);
    if (this.state.kind === "active") {
      this.abandoned.add(this.state.id);
      this.host.send({ type: "response.cancel" });
    }
    this.state = { kind: "idle" };
    this.releaseWaiters();
    this.retryOrLose("response stalled");
  }

  /** Resolves when the running response is done (or after `maxMs`). */
  waitForDone(maxMs: number): Promise<void> {
    if (this.state.kind === "idle") return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, maxMs);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  releaseWaiters(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
