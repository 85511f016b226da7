/**
 * Where one call connection (a Media Stream or ConversationRelay socket) is in its life. Moves only forward:
 *   awaiting_start → starting → live → leaving → ending → closed
 * `leaving`: handed to staff or another transport (no new model turns); `ending`: the caller is gone (stop or
 * close seen) and the call is being wrapped up. Any phase may go straight to `closed` (rejected, dropped).
 */
export type ConnectionPhase = "awaiting_start" | "starting" | "live" | "leaving" | "ending" | "closed";

const ORDER: readonly ConnectionPhase[] = ["awaiting_start", "starting", "live", "leaving", "ending", "closed"];

export class PhaseMachine {
  private current: ConnectionPhase = "awaiting_start";

  get phase(): ConnectionPhase {
    return this.current;
  }

  /** Moves to `next` if it lies ahead; false (and no change) when the connection is already there or past it. */
  to(next: ConnectionPhase): boolean {
    if (ORDER.indexOf(next) <= ORDER.indexOf(this.current)) return false;
    this.current = next;
    return true;
  }

  /** A hand-off that did not happen: `leaving` → `live` again (the only backward step). */
  back(): void {
    if (this.current === "leaving") this.current = "live";
  }

  is(...phases: ConnectionPhase[]): boolean {
    return phases.includes(this.current);
  }

  /** The caller is gone or the connection is closed: nothing more to say to them. */
  get over(): boolean {
    return this.current === "ending" || this.current === "closed";
  }
}
