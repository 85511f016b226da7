import type { CallEvent, TranscriptEntry } from "@orderline/contracts";
import type { Logger } from "@orderline/telemetry";
import type { CallStore } from "../state/store.ts";

/**
 * A call's event log and transcript in Redis (the finalization job carries them to Postgres). Recording never
 * throws: a lost event is logged, the conversation goes on.
 */
export class CallRecords {
  readonly store: CallStore;
  readonly callSid: string;
  private readonly log: Logger;

  constructor(store: CallStore, callSid: string, log: Logger) {
    this.store = store;
    this.callSid = callSid;
    this.log = log;
  }

  async event(type: CallEvent["type"], data: Record<string, unknown>, at = new Date().toISOString()): Promise<void> {
    try {
      await this.store.appendEvents(this.callSid, [{ type, at, data }]);
    } catch (err) {
      this.log.warn({ err, callSid: this.callSid, type }, "could not record call event");
    }
  }

  /**
   * `sentiment`: the caller turn's score from the escalation service's assessment, kept with the turn. `at`: when
   * the words were said (default now); a caller turn recorded after its assessment passes the time it was taken.
   */
  async transcript(role: TranscriptEntry["role"], text: string, sentiment?: number, at = new Date().toISOString()): Promise<void> {
    try {
      await this.store.appendTranscript(this.callSid, [{ role, text, at, ...(sentiment !== undefined ? { sentiment } : {}) }]);
    } catch (err) {
      this.log.warn({ err, callSid: this.callSid }, "could not record transcript");
    }
  }
}

export function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
