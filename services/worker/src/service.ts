import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createCatalogCache } from "@orderline/catalog";
import { CallFinalizeJob, CallSurveyJob, OrderConfirmationCallJob, OrderReadyCallJob, QUEUES, redisKeys, SheetSyncJob, SmsReceiptJob } from "@orderline/contracts";
import type { Database } from "@orderline/db";
import type { NatsConnection } from "@orderline/nats";
import { type RegisteredWorker, registerWorker } from "@orderline/runtime";
import { httpServerSpans, type Logger, type Metrics } from "@orderline/telemetry";
import express from "express";
import { Redis } from "ioredis";
import type { Kysely } from "kysely";
import type { WorkerEnv } from "./env.ts";
import { confirmationPublisher } from "./confirmation-events.ts";
import { startConfirmationSweep } from "./confirmation-sweep.ts";
import { confirmationApiRouter } from "./http/confirmation-api.ts";
import { confirmationTwilioRouter } from "./http/confirmation-twilio-routes.ts";
import { apiRouter } from "./http/api-routes.ts";
import { twilioRouter } from "./http/twilio-routes.ts";
import { redactValue } from "./domain/redact.ts";
import { callSurvey } from "./jobs/call-survey.ts";
import { finalizeCall } from "./jobs/finalize-call.ts";
import { orderConfirmationCall } from "./jobs/order-confirmation-call.ts";
import { orderReadyCall } from "./jobs/order-ready-call.ts";
import { sheetSync } from "./jobs/sheet-sync.ts";
import { smsReceipt } from "./jobs/sms-receipt.ts";
import { startReadySweep, subscribeOrderEvents } from "./order-events.ts";
import { natsConfirmationIntake } from "./sheets/intake.ts";
import { startSheetMirror } from "./sheets/sheet-mirror.ts";
import { createTwilioClient } from "./twilio-client.ts";

export const SERVICE_NAME = "worker";
/** Minutes after the promised time a delivery window ends (receipt SMS). */
const DELIVERY_WINDOW_MINUTES = 15;

/**
 * The worker: BullMQ workers for call finalization, order-ready calls and receipt SMS; the order-event
 * subscription that feeds them; the HTTP server for Twilio's webhooks and the staff/POS API.
 */
export async function startWorkerService(deps: { env: WorkerEnv; db: Kysely<Database>; nc: NatsConnection; logger: Logger; metrics: Metrics }) {
  const { env, db, logger, metrics } = deps;
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null, connectionName: SERVICE_NAME });
  const keys = redisKeys(env.REDIS_KEY_PREFIX);
  const prefix = keys.bullPrefix();
  const twilio = createTwilioClient({ accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN, apiBaseUrl: env.TWILIO_API_BASE_URL });
  const callsPlaced = metrics.counter({ name: "worker_ready_calls_total", help: "Order-ready call attempts by outcome", labelNames: ["outcome"] });
  const finalized = metrics.counter({ name: "worker_calls_finalized_total", help: "Call records stored, by disposition", labelNames: ["disposition"] });
  const callCost = metrics.counter({
    name: "worker_call_cost_usd_total",
    help: "Cost of stored calls in USD (AI tokens + Twilio minutes), by the engine the call started on and location id",
    labelNames: ["engine", "location"],
  });
  const confirmationCalls = metrics.counter({ name: "worker_confirmation_calls_total", help: "Order-confirmation call attempts by outcome", labelNames: ["outcome"] });
  const publish = confirmationPublisher(deps.nc, env.NATS_SUBJECT_PREFIX, logger);
  // Confirmation sheets: rows become orders through the order service; their text is read on the location's menu
  // (a snapshot at most a minute old: the order service prices every line itself).
  const intake = natsConfirmationIntake({ nc: deps.nc, prefix: env.NATS_SUBJECT_PREFIX });
  const menus = createCatalogCache({ db, ttlMs: 60_000 });
  const common = { connection: redis, prefix, logger, metrics, concurrency: env.WORKER_CONCURRENCY, lockDurationMs: env.JOB_LOCK_MS, stalledIntervalMs: env.JOB_STALLED_INTERVAL_MS };

  // Registered first so the finalize worker can hand it the calls to survey.
  const survey = registerWorker({
    ...common,
    queue: QUEUES.callSurvey,
    schema: CallSurveyJob,
    process: (job, ctx) => callSurvey(job, ctx, { db, twilio, defaultOutboundNumber: env.DEFAULT_OUTBOUND_NUMBER }),
  });
  const workers: RegisteredWorker[] = [
    registerWorker({
      ...common,
      queue: QUEUES.callFinalize,
      schema: CallFinalizeJob,
      // A finalize job that gave up keeps only a redacted copy of the call in Redis.
      scrubFailed: redactValue,
      process: (job, ctx) =>
        finalizeCall(job, ctx, {
          db,
          redis,
          keys,
          finalized,
          cost: callCost,
          surveyQueue: survey.queue,
          prices: { models: env.MODEL_PRICES, inboundPerMinuteMicros: env.TWILIO_INBOUND_PRICE_PER_MIN, outboundPerMinuteMicros: env.TWILIO_OUTBOUND_PRICE_PER_MIN },
        }),
    }),
    registerWorker({
      ...common,
      queue: QUEUES.orderReadyCall,
      schema: OrderReadyCallJob,
      process: (job, ctx) =>
        orderReadyCall(job, ctx, {
          db,
          twilio,
          publicBaseUrl: env.PUBLIC_BASE_URL,
          quietHours: env.QUIET_HOURS,
          maxAttempts: env.ORDER_READY_MAX_ATTEMPTS,
          retryDelayMs: env.ORDER_READY_RETRY_DELAY_MS,
          ringSeconds: env.ORDER_READY_RING_SECONDS,
          outcomeTimeoutMs: env.ORDER_READY_OUTCOME_TIMEOUT_MS,
          defaultOutboundNumber: env.DEFAULT_OUTBOUND_NUMBER,
          callsPlaced,
        }),
    }),
    registerWorker({
      ...common,
      queue: QUEUES.smsReceipt,
      schema: SmsReceiptJob,
      process: (job, ctx) => smsReceipt(job, ctx, { db, twilio, deliveryWindowMinutes: DELIVERY_WINDOW_MINUTES, defaultOutboundNumber: env.DEFAULT_OUTBOUND_NUMBER }),
    }),
    registerWorker({
      ...common,
      queue: QUEUES.orderConfirmationCall,
      schema: OrderConfirmationCallJob,
      process: (job, ctx) =>
        orderConfirmationCall(job, ctx, {
          db,
          twilio,
          publicBaseUrl: env.PUBLIC_BASE_URL,
          quietHours: env.QUIET_HOURS,
          ringSeconds: env.CONFIRMATION_RING_SECONDS,
          defaultOutboundNumber: env.DEFAULT_OUTBOUND_NUMBER,
          publish,
          calls: confirmationCalls,
          logger,
        }),
    }),
    registerWorker({
      ...common,
      queue: QUEUES.sheetSync,
      schema: SheetSyncJob,
      process: (job) => sheetSync(job, { db, intake, menus, logger }),
    }),
    survey,
  ];
  const [, ready, receipt, confirmation, sheets] = workers;

  const confirmationSweep = startConfirmationSweep({
    db,
    queue: confirmation!.queue,
    twilio,
    intervalMs: env.CONFIRMATION_SWEEP_INTERVAL_MS,
    staleMs: env.CONFIRMATION_STALE_MS,
    publish,
    logger,
  });
  const sweep = startReadySweep({ db, readyQueue: ready!.queue, intervalMs: env.READY_SWEEP_INTERVAL_MS, logger });
  const sheetMirror = startSheetMirror({
    nc: deps.nc,
    prefix: env.NATS_SUBJECT_PREFIX,
    db,
    queue: sheets!.queue,
    intervalMs: env.SHEET_SYNC_INTERVAL_MS,
    windowMs: env.SHEET_WRITE_WINDOW_MS,
    logger,
  });
  const events = subscribeOrderEvents({ nc: deps.nc, prefix: env.NATS_SUBJECT_PREFIX, db, readyQueue: ready!.queue, receiptQueue: receipt!.queue, logger });

  const app = express();
  app.disable("x-powered-by");
  app.use(httpServerSpans());
  app.use(
    "/twilio",
    twilioRouter({ db, authToken: env.TWILIO_AUTH_TOKEN, publicBaseUrl: env.PUBLIC_BASE_URL, outboundPerMinuteMicros: env.TWILIO_OUTBOUND_PRICE_PER_MIN, callsPlaced, logger }),
  );
  app.use(
    "/twilio",
    confirmationTwilioRouter({
      db,
      authToken: env.TWILIO_AUTH_TOKEN,
      publicBaseUrl: env.PUBLIC_BASE_URL,
      conversationBaseUrl: env.CONVERSATION_BASE_URL,
      outboundPerMinuteMicros: env.TWILIO_OUTBOUND_PRICE_PER_MIN,
      publish,
      calls: confirmationCalls,
      logger,
    }),
  );
  // The seed's endpoint: POST /orders/call (and /orders/call/retry), API key per integration.
  app.use("/orders", confirmationApiRouter({ db, queue: confirmation!.queue, publish }));
  app.use("/v1", apiRouter({ db, token: env.WORKER_API_TOKEN, readyQueue: ready!.queue }));
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    logger.error({ err: err instanceof Error ? err.message : String(err) }, "request failed");
    res.status(500).json({ error: { code: "internal", message: "internal error" } });
  });
  // Express 5 hands a listen error (e.g. the port in use) to this callback instead of throwing it.
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(env.PORT, (err?: Error) => (err ? reject(new Error(`worker: cannot listen on port ${env.PORT}: ${err.message}`)) : resolve(s)));
  });
  logger.info({ port: (server.address() as AddressInfo).port }, "worker HTTP listening");

  return {
    port: (server.address() as AddressInfo).port,
    async isReady() {
      return redis.status === "ready" && workers.every((w) => w.worker.isRunning());
    },
    /** Stop taking webhooks and events, let jobs in hand finish (or go back to the queue), close Redis. */
    async stop() {
      sweep.stop();
      confirmationSweep.stop();
      await events.close();
      await sheetMirror.close();
      await Promise.all(workers.map((w) => w.close()));
      await menus.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await redis.quit();
    },
  };
}
