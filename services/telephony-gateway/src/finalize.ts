import { type CallDisposition, type CallEvent, CallFinalizeJob, QUEUES } from "@orderline/contracts";
import { addTracedJob } from "@orderline/runtime/job-trace";
import type { Logger } from "@orderline/telemetry";
import type { JobsOptions, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { withinCall } from "./call-trace.ts";
import type { CallSession } from "./state/session.ts";
import type { CallStore } from "./state/store.ts";

/** The finalize queue as the gateway uses it: jobs in, closed at shutdown. */
export interface FinalizeQueue {
  readonly name: string;
  add(name: string, job: CallFinalizeJob, opts: JobsOptions): Promise<{ id?: string | undefined }>;
  close(): Promise<void>;
}

/**
 * The finalize queue, opened when the first call ends: bullmq and what it pulls in (≈2 MB of source, a fifth of
 * what the gateway loads) stay out of the process until then. A completed job is removed at once: its payload
 * holds the raw transcript, and the worker has stored the redacted record.
 */
export function createFinalizeQueue(connection: Redis, bullPrefix: string, onError: (err: Error) => void): FinalizeQueue {
  let queue: Promise<Queue> | undefined;
  const open = () =>
    (queue ??= import("bullmq").then(({ Queue }) => {
      const q = new Queue(QUEUES.callFinalize, {
        connection,
        prefix: bullPrefix,
        defaultJobOptions: { attempts: 8, backoff: { type: "exponential", delay: 1000 }, removeOnComplete: true, removeOnFail: { age: 7 * 86_400 } },
      });
      q.on("error", onError);
      return q;
    }));
  return {
    name: QUEUES.callFinalize,
    add: async (name, job, opts) => (await open()).add(name, job, opts),
    close: async () => {
      if (queue) await (await queue).close();
    },
  };
}

/** How the call ended, from what the session recorded. */
export function dispositionOf(session: CallSession, hadCallerSpeech: boolean): CallDisposition {
  if (session.transferReason !== null || session.phase === "transferred" || session.phase === "transferring") return "transferred";
  if (session.orderId !== null) return "completed";
  return hadCallerSpeech ? "completed" : "abandoned";
}

/**
 * Enqueues the call's finalization job (BullMQ, job id = call SID) once, whichever of stream stop, status
 * callback or after-stream notices the end first; releases the call's slots in the live-call limits.
 */
export class CallFinalizer {
  readonly queue: FinalizeQueue;
  readonly store: CallStore;
  readonly logger: Logger;

  constructor(queue: FinalizeQueue, store: CallStore, logger: Logger) {
    this.queue = queue;
    this.store = store;
    this.logger = logger;
  }

  async finalize(callSid: string, opts: { reason: string; disposition?: CallDisposition }): Promise<boolean> {
    const session = await this.store.getSession(callSid);
    if (!session) return false;
    if (!(await this.store.claimFinalization(callSid))) return false;
    const endedAt = new Date().toISOString();
    try {
      await this.store.patch(callSid, { phase: "ended", endedAt, endReason: session.endReason ?? opts.reason, heartbeatAt: 0 });
      const ended: CallEvent = { type: "call_ended", at: endedAt, data: { reason: opts.reason } };
      await this.store.appendEvents(callSid, [ended]);
      const [transcript, events] = await Promise.all([this.store.transcript(callSid), this.store.events(callSid)]);
      const disposition = opts.disposition ?? dispositionOf(session, transcript.some((t) => t.role === "caller"));
      const job = CallFinalizeJob.parse({
        callSid,
        locationId: session.location.id,
        from: session.callerPhone,
        to: /^\+[1-9]\d{6,14}$/.test(session.to) ? session.to : null,
        startedAt: session.startedAt,
        endedAt,
        disposition,
        endReason: session.endReason ?? opts.reason,
        orderId: session.orderId,
        transferReason: session.transferReason,
        transcript,
        events,
        usage: session.usage,
        ...(session.model ? { model: session.model } : {}),
        orderIds: session.orderIds,
        textUsage: session.textUsage,
        transports: session.transports,
        engines: session.engines,
      });
      // The call is over: its slots in the live-call limits go first (idempotent if a retry comes through here again).
      await this.store.release(callSid, session.callerPhone, session.location.id);
      // The job carries the call's trace: the worker's run of it is a span of the call.
      await withinCall(session, () => addTracedJob(this.queue, "finalize", job, { jobId: callSid }));
      this.logger.info({ callSid, disposition, reason: opts.reason, events: events.length }, "call finalized");
      return true;
    } catch (err) {
      // Let a later signal (status callback, after-stream) try again.
      await this.store.redis.del(this.store.keys.callFinalized(callSid)).catch(() => {});
      throw err;
    }
  }
}
