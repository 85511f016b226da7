import type { Logger } from "@orderline/telemetry";
import type twilio from "twilio";
import type { CallFinalizer } from "./finalize.ts";
import type { CallStore } from "./state/store.ts";

const TERMINAL = new Set(["completed", "busy", "failed", "no-answer", "canceled"]);
/** A live-call entry with no session this long after admission is a webhook that never finished. */
const ORPHAN_ENTRY_MS = 5 * 60_000;

export interface SweeperOptions {
  store: CallStore;
  finalizer: CallFinalizer;
  twilio: ReturnType<typeof twilio>;
  logger: Logger;
  intervalMs: number;
  /** A call whose stream has been silent (no heartbeat) this long is checked with Twilio. */
  staleMs: number;
}

/**
 * Status callbacks can arrive twice, late or never, and a pod can die with a call on it. Once per interval one
 * gateway (Redis lock) walks the live-call sets: a call with no live stream for `staleMs` is looked up with the
 * Twilio REST API and finalized if Twilio says it is over — which also frees its slots in the call limits.
 */
export function startSweeper(opts: SweeperOptions): { stop(): void; runOnce(): Promise<number> } {
  const { store, logger } = opts;
  const lockKey = store.keys.sweeperLock();
  let running = false;

  const runOnce = async (): Promise<number> => {
    if (running) return 0;
    running = true;
    let finalized = 0;
    try {
      const got = await store.redis.set(lockKey, String(process.pid), "PX", Math.max(1000, opts.intervalMs - 100), "NX");
      if (got !== "OK") return 0;
      const now = Date.now();
      const pattern = store.keys.locationActiveCalls("*");
      let cursor = "0";
      do {
        const [next, keys] = await store.redis.scan(cursor, "MATCH", pattern, "COUNT", 100);
        cursor = next;
        for (const key of keys) {
          const entries = await store.redis.zrange(key, 0, -1, "WITHSCORES");
          for (let i = 0; i < entries.length; i += 2) {
            const callSid = entries[i]!;
            const admittedAt = Number(entries[i + 1]);
            const session = await store.getSession(callSid);
            if (!session) {
              if (now - admittedAt > ORPHAN_ENTRY_MS) await store.redis.zrem(key, callSid);
              continue;
            }
            if (session.phase === "ended") continue;
            const lastSign = session.heartbeatAt > 0 ? session.heartbeatAt : Date.parse(session.startedAt);
            if (now - lastSign < opts.staleMs) continue;
            let status: string;
            try {
              status = (await opts.twilio.calls(callSid).fetch()).status;
            } catch (err) {
              logger.warn({ err, callSid }, "sweeper: could not look the call up with Twilio");
              continue;
            }
            if (!TERMINAL.has(status)) continue;
            if (await opts.finalizer.finalize(callSid, { reason: `sweeper_${status}` })) {
              finalized++;
              logger.warn({ callSid, status }, "sweeper finalized a call whose end was never reported");
            }
          }
        }
      } while (cursor !== "0");
    } catch (err) {
      logger.error({ err }, "sweeper run failed");
    } finally {
      running = false;
    }
    return finalized;
  };

  const timer = setInterval(() => void runOnce(), opts.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), runOnce };
}
