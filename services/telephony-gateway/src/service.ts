import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { createDb, type DbHandle, openConnections } from "@orderline/db";
import { connectNats, drainNats, type NatsConnection } from "@orderline/nats";
import { catalogEvents } from "@orderline/runtime/catalog-events";
import { createLogger, createOpsHandler, type Logger, type OpsServer, startOpsServer } from "@orderline/telemetry";
import express from "express";
import { Redis } from "ioredis";
import { WebSocketServer } from "ws";
import { LocalTextEngine } from "./conversation/local-text-engine.ts";
import { OpenAITextEngine } from "./conversation/openai-text-engine.ts";
import type { TextEngines } from "./conversation/text-conversation.ts";
import { gatherRouter } from "./gather/gather-routes.ts";
import { RelayCall } from "./relay/relay-call.ts";
import { relayRouter } from "./relay/relay-routes.ts";
import { findLocationByNumber, findReturningCustomer, orderableNames } from "./repositories/calls.ts";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import twilio from "twilio";
import { connectStream } from "./twiml.ts";
import { realtimeTools } from "@orderline/contracts";
import { errMessage } from "./conversation/call-records.ts";
import { localTime } from "./domain/instructions.ts";
import type { CallSession } from "./state/session.ts";
import { validUpgradeSignature } from "./twilio-signature.ts";
import type { GatewayConfig } from "./env.ts";
import { CallFinalizer, createFinalizeQueue } from "./finalize.ts";
import { MediaCall } from "./media/media-call.ts";
import type { FrameCounters } from "./media/media-stream.ts";
import { createGatewayMetrics, type GatewayMetrics } from "./metrics.ts";
import { CallStore } from "./state/store.ts";
import { type CallTransferer, createTwilioClient, createTwilioTransferer } from "./transfer.ts";
import { transferRouter } from "./transfer-routes.ts";
import { EscalationDesk } from "./conversation/escalation.ts";
import { startSweeper } from "./sweeper.ts";
import { webhookRouter } from "./webhooks.ts";
import { confirmationRouter } from "./confirmation-routes.ts";

export interface Gateway {
  port: number;
  /** The ops server's port when OPS_PORT is set. */
  opsPort: number | undefined;
  metrics: GatewayMetrics;
  /** Bridged calls on this instance right now. */
  activeCalls(): number;
  /** Readiness fails at once; live calls continue up to `graceMs`, then callers are told and transferred. */
  drain(graceMs?: number): Promise<void>;
  /** Drains (if not yet), then closes the server and every client. */
  close(): Promise<void>;
}

export interface StartGatewayOptions {
  logger?: Logger;
  /** Replaces the Twilio REST transfer (a later escalation service plugs in here). */
  transferer?: CallTransferer;
  /** Replaces the text engines built from the configuration (tests). */
  engines?: TextEngines;
}

/** The text engines this gateway runs: the OpenAI text model when a key is configured, and always the local agent. */
export function createTextEngines(config: GatewayConfig, logger: Logger): TextEngines {
  const engines: TextEngines = { local: new LocalTextEngine({ logger, minConfidence: config.GATHER_MIN_CONFIDENCE }) };
  if (config.OPENAI_API_KEY) {
    engines.openai_text = new OpenAITextEngine({
      apiKey: config.OPENAI_API_KEY,
      baseUrl: config.OPENAI_BASE_URL,
      model: config.OPENAI_TEXT_MODEL,
      reasoningEffort: config.OPENAI_TEXT_REASONING_EFFORT,
      stallMs: config.TEXT_ENGINE_STALL_MS,
    });
  }
  return engines;
}

const DB_POOL_SIZE = 10;

/**
 * Before the gateway listens (and so before it is ready): the Postgres pool's connections are opened and the
 * incoming-call queries run once on each (a new backend loads its catalog caches on first use), the tool
 * definitions are built, ICU's time-zone data is loaded — so the first callers after a start or a scale-up do not
 * wait for connection set-up and cold paths (measured: the first 20 webhooks of a burst took 20–90 ms instead of
 * 5). Postgres being down is not fatal here: the webhook has its static fallback.
 */
async function warmUp(config: GatewayConfig, dbh: DbHandle, logger: Logger): Promise<void> {
  localTime("America/New_York", new Date(), "en-US");
  realtimeTools();
  // The webhook's first signature check, caller-number parse and TwiML build (first uses compile and load lazily).
  twilio.validateRequest(config.TWILIO_AUTH_TOKEN, "warm-up", `${config.PUBLIC_BASE_URL}/voice/incoming`, { CallSid: "CA0", To: WARM_NUMBER });
  parsePhoneNumberFromString(WARM_NUMBER)?.isValid();
  connectStream({ publicBaseUrl: config.PUBLIC_BASE_URL, token: "warm-up" });
  try {
    await openConnections(dbh.pool, DB_POOL_SIZE);
    // As many at once as the pool holds: each runs on its own connection.
    await Promise.all(
      Array.from({ length: DB_POOL_SIZE }, () => Promise.all([findLocationByNumber(dbh.db, WARM_NUMBER), findReturningCustomer(dbh.db, WARM_BRAND, WARM_NUMBER)])),
    );
  } catch (err) {
    logger.warn({ err: errMessage(err) }, "warming the Postgres pool failed: calls will open connections as they come");
  }
}
/** A number no location has (555-01xx numbers are fictional) and a brand id no brand has: the queries find nothing. */
const WARM_NUMBER = "+12025550100";
const WARM_BRAND = "00000000-0000-0000-0000-000000000000";

/** Wires Postgres, Redis, NATS, the Twilio webhooks and the media-stream WebSocket endpoint; listens on PORT. */
export async function startGateway(config: GatewayConfig, opts: StartGatewayOptions = {}): Promise<Gateway> {
  const logger = opts.logger ?? createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const metrics = createGatewayMetrics(config.SERVICE_NAME);
  // Idle connections are kept for 5 minutes: a burst of calls after a quiet spell does not wait for new ones.
  const dbh = createDb(config.DATABASE_URL, { applicationName: config.SERVICE_NAME, connectionTimeoutMs: config.WEBHOOK_DEADLINE_MS, max: DB_POOL_SIZE, idleTimeoutMs: 300_000 });
  const redis = new Redis(config.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  redis.on("error", (err) => logger.warn({ err: err.message }, "redis error"));
  const queueRedis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  queueRedis.on("error", () => {});
  let nc: NatsConnection;
  try {
    nc = await connectNats({ url: config.NATS_URL, name: config.SERVICE_NAME, logger });
  } catch (err) {
    redis.disconnect();
    queueRedis.disconnect();
    await dbh.close();
    throw err;
  }
  const store = new CallStore(redis, { prefix: config.REDIS_KEY_PREFIX, ttlSeconds: config.SESSION_TTL_SECONDS });
  const queue = createFinalizeQueue(queueRedis, store.keys.bullPrefix(), (err) => logger.warn({ err: err.message }, "finalize queue error"));
  const finalizer = new CallFinalizer(queue, store, logger);
  const twilioClient = createTwilioClient({ accountSid: config.TWILIO_ACCOUNT_SID, authToken: config.TWILIO_AUTH_TOKEN, apiBaseUrl: config.TWILIO_API_BASE_URL });
  const transferer = opts.transferer ?? createTwilioTransferer({ client: twilioClient });
  const escalation = new EscalationDesk({ nc, subjectPrefix: config.NATS_SUBJECT_PREFIX, metrics, logger });
  const sweeper =
    config.SWEEP_INTERVAL_MS > 0
      ? startSweeper({ store, finalizer, twilio: twilioClient, logger, intervalMs: config.SWEEP_INTERVAL_MS, staleMs: config.STALE_CALL_MS })
      : undefined;

  const engines = opts.engines ?? createTextEngines(config, logger);
  // A location's menu changed (staff 86'd an item; EVENT_SUBJECTS.catalogChanged): engines drop what they cached.
  const catalog = catalogEvents(nc, {
    prefix: config.NATS_SUBJECT_PREFIX,
    invalidate: (locationId) => {
      for (const engine of Object.values(engines)) engine?.catalogChanged?.(locationId);
    },
    logger,
  });
  const hintCache = new Map<string, { at: number; names: Promise<string[]> }>();
  const hints = (session: CallSession): Promise<string[]> => {
    const hit = hintCache.get(session.location.id);
    if (hit && Date.now() - hit.at < 60_000) return hit.names;
    const names = orderableNames(dbh.db, session.location.id, session.location.brandId);
    names.catch(() => hintCache.delete(session.location.id));
    hintCache.set(session.location.id, { at: Date.now(), names });
    return names;
  };

  let draining = false;
  const bridges = new Set<MediaCall | RelayCall>();
  const live = new Set<MediaCall | RelayCall>();
  const idleWaiters: Array<() => void> = [];
  const counters: FrameCounters = { framesIn: 0, framesOut: 0, appendsOut: 0 };
  const flushCounters = setInterval(() => {
    if (counters.framesIn) metrics.framesIn.inc(counters.framesIn);
    if (counters.framesOut) metrics.framesOut.inc(counters.framesOut);
    if (counters.appendsOut) metrics.appendsOut.inc(counters.appendsOut);
    counters.framesIn = counters.framesOut = counters.appendsOut = 0;
  }, 1000);
  flushCounters.unref();

  const app = express();
  app.disable("x-powered-by");
  const isReady = () => redis.status === "ready" && !nc.isClosed() && !nc.isDraining();
  // The same ops endpoints as the ops server (OPS_PORT), also on the main port: readiness fails at once on
  // SIGTERM or a drain, and while Redis or NATS is not usable.
  const ops = { metrics: metrics.metrics, ready: isReady, draining: () => draining };
  const opsHandler = createOpsHandler(ops);
  app.use((req, res, next) => {
    opsHandler(req, res).then((handled) => handled || next(), next);
  });
  const textDeps = { config, store, nc, metrics, logger, engines, escalation };
  app.use(
    webhookRouter({ ...textDeps, db: dbh.db, finalizer, hints }, [
      gatherRouter({ ...textDeps, hints }),
      confirmationRouter({ ...textDeps, db: dbh.db, hints }),
      relayRouter({ ...textDeps, finalizer, hints }),
      transferRouter({ config, store, escalation, logger }),
    ]),
  );

  const server = createServer(app);
  // Twilio sends JSON text; media frames are sliced as latin1 and the rest goes through JSON.parse, so the
  // per-frame UTF-8 validation buys nothing on this path.
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1 << 20, skipUTF8Validation: true });

  /** A call's connection passed its token check (Media Stream) or opened (ConversationRelay). */
  const callLive = (call: MediaCall | RelayCall) => {
    live.add(call);
    metrics.activeCalls.set(live.size);
  };
  const callClosed = (call: MediaCall | RelayCall) => {
    bridges.delete(call);
    live.delete(call);
    metrics.activeCalls.set(live.size);
    if (bridges.size === 0) for (const w of idleWaiters.splice(0)) w();
  };

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? "").split("?")[0];
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (path !== "/voice/stream" && path !== "/voice/relay") return refuse(404, "Not Found");
    // Checked before the upgrade is accepted: a forged upgrade never gets a socket, let alone a model session.
    if (!validUpgradeSignature(config, req)) {
      metrics.rejectedStreams.inc({ reason: "signature" });
      logger.warn({ path, hasSignature: typeof req.headers["x-twilio-signature"] === "string" }, "upgrade rejected: bad Twilio signature");
      return refuse(403, "Forbidden");
    }
    if (path === "/voice/relay") {
      wss.handleUpgrade(req, socket, head, (ws) => {
        const call = new RelayCall({ ...textDeps, onClosed: callClosed }, ws);
        bridges.add(call);
        callLive(call);
      });
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const bridge = new MediaCall(
        {
          config,
          store,
          finalizer,
          transferer,
          escalation,
          nc,
          metrics,
          counters,
          logger,
          engines,
          onLive: callLive,
          onClosed: callClosed,
        },
        ws,
      );
      bridges.add(bridge);
    });
  });

  await warmUp(config, dbh, logger);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.PORT, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let opsServer: OpsServer | undefined;
  if (config.OPS_PORT !== undefined) opsServer = await startOpsServer({ port: config.OPS_PORT, ...ops });
  logger.info({ port, opsPort: opsServer?.port, audioMode: config.AUDIO_MODE, publicBaseUrl: config.PUBLIC_BASE_URL }, "telephony gateway listening");

  const waitIdle = (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (bridges.size === 0) return resolve(true);
      const t = setTimeout(() => resolve(false), ms);
      t.unref();
      idleWaiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });

  let drained: Promise<void> | undefined;
  const drain = (graceMs = config.SHUTDOWN_GRACE_MS): Promise<void> => {
    drained ??= (async () => {
      draining = true;
      logger.info({ calls: live.size, graceMs }, "draining: readiness failed, live calls continue");
      if (await waitIdle(graceMs)) return;
      logger.warn({ calls: live.size }, "grace period over: transferring the remaining callers");
      await Promise.all(
        [...bridges].map((b) => Promise.resolve(b.drainTransfer()).catch((err: unknown) => logger.error({ err }, "drain transfer failed"))),
      );
      await waitIdle(10_000);
    })();
    return drained;
  };

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      await drain();
      sweeper?.stop();
      clearInterval(flushCounters);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await opsServer?.close().catch(() => {});
      catalog.stop();
      await drainNats(nc).catch(() => {});
      const bounded = (p: Promise<unknown>) => Promise.race([p.catch(() => {}), new Promise((r) => setTimeout(r, 2000).unref())]);
      if (queueRedis.status === "ready") await bounded(queue.close());
      for (const r of [redis, queueRedis]) {
        if (r.status === "ready") await bounded(r.quit());
        r.disconnect();
      }
      await dbh.close();
      logger.info("telephony gateway closed");
    })();
    return closed;
  };

  return { port, opsPort: opsServer?.port, metrics, activeCalls: () => live.size, drain, close };
}
