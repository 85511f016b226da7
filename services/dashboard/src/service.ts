import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { redisKeys } from "@orderline/contracts";
import type { Database } from "@orderline/db";
import type { NatsConnection } from "@orderline/nats";
import { createOpsHandler, type Logger, type Metrics } from "@orderline/telemetry";
import express, { type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import { Redis } from "ioredis";
import { type Kysely, sql } from "kysely";
import { loginLimits } from "./auth/login-limits.ts";
import { authenticate, checkOrigin, requireCsrfToken } from "./auth/middleware.ts";
import type { DashboardEnv } from "./env.ts";
import { analyticsRouter } from "./http/analytics-routes.ts";
import { authRouter } from "./http/auth-routes.ts";
import { callbacksRouter } from "./http/callbacks-routes.ts";
import { callsRouter } from "./http/calls-routes.ts";
import { errorHandler, HttpError } from "./http/errors.ts";
import { menuRouter } from "./http/menu-routes.ts";
import { ordersRouter } from "./http/orders-routes.ts";
import { webApp } from "./http/static.ts";
import { startOrderFeed } from "./order-feed.ts";
import { pruneSessions } from "./repositories/users.ts";

export const SERVICE_NAME = "dashboard";

export type DashboardConfig = Pick<
  DashboardEnv,
  | "REDIS_URL"
  | "REDIS_KEY_PREFIX"
  | "NATS_SUBJECT_PREFIX"
  | "PORT"
  | "ALLOWED_ORIGINS"
  | "COOKIE_SECURE"
  | "TRUST_PROXY_HOPS"
  | "SESSION_TTL_MS"
  | "SESSION_IDLE_MS"
  | "LOGIN_MAX_FAILURES_PER_ACCOUNT"
  | "LOGIN_MAX_ATTEMPTS_PER_IP"
  | "LOGIN_WINDOW_MS"
  | "WEB_DIST_DIR"
  | "REQUEST_TIMEOUT_MS"
>;

export interface DashboardDeps {
  env: DashboardConfig;
  db: Kysely<Database>;
  nc: NatsConnection;
  logger: Logger;
  metrics: Metrics;
  /** Injected time source (tests pin "today"). Default `() => new Date()`. */
  clock?: () => Date;
  /** Interval of the live board's keep-alive comments (default 15 s). */
  heartbeatMs?: number;
}

/**
 * The dashboard: JSON API under /api (login, KPIs and charts, calls, order board with its live stream and mark
 * ready, callback requests), /healthz /readyz (/metrics only on the ops port), and the web page. Returns its port, readiness and `stop()`.
 */
export async function startDashboard(deps: DashboardDeps) {
  const { env, db, logger, metrics } = deps;
  const clock = deps.clock ?? (() => new Date());
  const redis = new Redis(env.REDIS_URL, { connectionName: SERVICE_NAME, maxRetriesPerRequest: 2 });
  const streams = metrics.gauge({ name: "dashboard_live_board_streams", help: "Open live order board streams" });
  const feed = startOrderFeed({ nc: deps.nc, prefix: env.NATS_SUBJECT_PREFIX, db, logger, onListeners: (n) => streams.set(n) });
  const limits = loginLimits(redis, redisKeys(env.REDIS_KEY_PREFIX), {
    maxFailuresPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    maxAttemptsPerIp: env.LOGIN_MAX_ATTEMPTS_PER_IP,
    windowMs: env.LOGIN_WINDOW_MS,
  });
  const requests = metrics.counter({ name: "dashboard_http_requests_total", help: "API requests by route group and status class", labelNames: ["group", "status"] });
  const isReady = async () => {
    if (redis.status !== "ready" || deps.nc.isClosed() || deps.nc.isDraining()) return false;
    await sql`SELECT 1`.execute(db);
    return true;
  };
  const ops = createOpsHandler({ metrics, ready: isReady });
  const common = { db, clock };
  const cookies = { secure: env.COOKIE_SECURE };

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", env.TRUST_PROXY_HOPS);
  // /healthz and /readyz answer here too; /metrics only on OPS_PORT (runToolService's ops server), so a public
  // dashboard host never exposes it.
  app.all("/metrics", (_req: Request, res: Response) => {
    res.status(404).type("text/plain").send("metrics are served on the ops port (OPS_PORT) only\n");
  });
  app.use((req: Request, res: Response, next: NextFunction) => void ops(req, res).then((done) => done || next(), next));
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { "default-src": ["'self'"], "img-src": ["'self'", "data:"], "style-src": ["'self'", "'unsafe-inline'"] } },
      hsts: env.COOKIE_SECURE !== "never",
    }),
  );
  app.use("/api", (req: Request, res: Response, next: NextFunction) => {
    res.setHeader("cache-control", "no-store");
    // Read the group now: by the time the response finishes, express has put the "/api" mount back on req.path.
    const group = req.path.split("/")[1] ?? "";
    res.on("finish", () => requests.inc({ group, status: `${Math.floor(res.statusCode / 100)}xx` }));
    next();
  });
  app.use("/api", checkOrigin(env.ALLOWED_ORIGINS), express.json({ limit: "16kb" }));
  app.use("/api/auth", authRouter({ ...common, limits, cookies, sessionTtlMs: env.SESSION_TTL_MS, idleMs: env.SESSION_IDLE_MS, logger }));
  app.use("/api", authenticate({ ...common, idleMs: env.SESSION_IDLE_MS }), requireCsrfToken);
  app.use("/api", analyticsRouter(common));
  app.use("/api", callsRouter(common));
  const nats = { nc: deps.nc, subjectPrefix: env.NATS_SUBJECT_PREFIX, requestTimeoutMs: env.REQUEST_TIMEOUT_MS };
  app.use("/api", ordersRouter({ ...common, ...nats, feed, ...(deps.heartbeatMs ? { heartbeatMs: deps.heartbeatMs } : {}) }));
  app.use("/api", callbacksRouter({ ...common, ...nats }));
  app.use("/api", menuRouter({ ...common, ...nats }));
  app.use("/api", (req: Request) => {
    throw new HttpError(404, "not_found", `no API route ${req.method} ${req.path}`);
  });
  app.use(webApp(env.WEB_DIST_DIR));
  app.use(errorHandler(logger));

  // Express 5 hands a listen error (e.g. the port in use) to this callback instead of throwing it.
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(env.PORT, (err?: Error) => (err ? reject(new Error(`dashboard: cannot listen on port ${env.PORT}: ${err.message}`)) : resolve(s)));
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port }, "dashboard listening");

  const prune = setInterval(() => {
    pruneSessions(db, clock(), env.SESSION_IDLE_MS).catch((err: unknown) => logger.warn({ reason: err instanceof Error ? err.message : String(err) }, "could not prune sessions"));
  }, 600_000);
  prune.unref();

  return {
    port,
    isReady,
    /** Stop taking requests (live streams are closed), stop the event feed, close Redis. */
    async stop() {
      clearInterval(prune);
      feed.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await redis.quit().catch(() => {});
    },
  };
}
export type Dashboard = Awaited<ReturnType<typeof startDashboard>>;
