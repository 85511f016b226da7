import { CONFIRMATION_SUBJECTS, ConfirmationStateEvent, QUEUES } from "@orderline/contracts";
import type { Database } from "@orderline/db";
import { consumeEvent, type NatsConnection } from "@orderline/nats";
import { addTracedJob } from "@orderline/runtime";
import { recordSheetState, sheetStateOf } from "@orderline/sheets";
import type { Logger } from "@orderline/telemetry";
import type { Queue } from "bullmq";
import type { Kysely } from "kysely";
import { every } from "../periodic.ts";
import { activeSheets } from "./sheet-configs.ts";

const JOB_OPTIONS = { attempts: 3, backoff: { type: "exponential", delay: 2000 }, removeOnComplete: true, removeOnFail: { age: 86_400 } } as const;

/**
 * Keeps every location's confirmation sheet in step with Postgres:
 * - every `intervalMs`, a run per active sheet (job id `sheet-sync-{locationId}`: replicas enqueue it once);
 * - each confirmation state event of a sheet-sourced order (core NATS, queue group "worker") is stored for the
 *   write-back at once (`recordSheetState`, durable) and a run is due at the end of its `windowMs` window (job id
 *   `sheet-sync-{locationId}-{window}`), so a burst of changes costs one read and one write.
 * Events are fire-and-forget; each run also catches up from Postgres, so a missed event only waits for a run.
 */
export function startSheetMirror(deps: { nc: NatsConnection; prefix: string; db: Kysely<Database>; queue: Queue; intervalMs: number; windowMs: number; logger: Logger }) {
  const { logger } = deps;
  const periodic = every(
    deps.intervalMs,
    "sheet sync sweep",
    async () => {
      for (const s of await activeSheets(deps.db)) {
        await addTracedJob(deps.queue, QUEUES.sheetSync, { locationId: s.location_id }, { ...JOB_OPTIONS, jobId: `sheet-sync-${s.location_id}` });
      }
    },
    logger,
  );
  const sub = deps.nc.subscribe(CONFIRMATION_SUBJECTS.stateChangedAll(deps.prefix), {
    queue: "worker",
    callback: (err, msg) => {
      if (err) return void logger.error({ err }, "confirmation event subscription failed");
      let event: ConfirmationStateEvent;
      try {
        event = ConfirmationStateEvent.parse(msg.json());
      } catch (e) {
        return void logger.warn({ subject: msg.subject, problem: e instanceof Error ? e.message : String(e) }, "ignored a confirmation event that does not match its contract");
      }
      const state = sheetStateOf(event);
      if (!state) return;
      void consumeEvent(msg, { name: "confirmation_state", group: "worker" }, async () => {
        await recordSheetState(deps.db, state);
        const now = Date.now();
        const window = deps.windowMs > 0 ? Math.floor(now / deps.windowMs) : now;
        const delay = deps.windowMs > 0 ? (window + 1) * deps.windowMs - now : 0;
        await addTracedJob(deps.queue, QUEUES.sheetSync, { locationId: event.locationId }, { ...JOB_OPTIONS, jobId: `sheet-sync-${event.locationId}-${window}`, delay });
      }).catch((e: unknown) => logger.error({ err: e, orderId: event.orderId }, "could not record a confirmation state for the sheet (the next run catches up)"));
    },
  });
  return {
    async close() {
      periodic.stop();
      sub.unsubscribe();
    },
  };
}
