import { randomBytes } from "node:crypto";
import { DEMO_BRAND, DEMO_LOCATIONS, hashPassword } from "@orderline/db";
import { createTestDatabase, type TestDatabase } from "@orderline/db/testing";
import { connectNats, drainNats, type NatsConnection } from "@orderline/nats";
import { createLogger, createMetrics } from "@orderline/telemetry";
import { type Dashboard, type DashboardConfig, startDashboard } from "../../src/service.ts";
import { NOW, useSimpleHours, writeHistory } from "./history.ts";

/** API bodies as tests read them: as loosely as a browser reads JSON (each assertion checks what it needs). */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type Json = any;

export const PASSWORD = "test-password-123";
export const USERS = {
  manager: { email: "boss@tonys.test", role: "manager", locations: [] },
  newYorkStaff: { email: "ny@tonys.test", role: "staff", locations: [DEMO_LOCATIONS.newYork.id] },
  chicagoStaff: { email: "chi@tonys.test", role: "staff", locations: [DEMO_LOCATIONS.chicago.id] },
} as const;

export interface DashboardHarness {
  db: TestDatabase;
  nc: NatsConnection;
  natsPrefix: string;
  dashboard: Dashboard;
  url: string;
  sampleCallId: string;
  callCount: number;
  close(): Promise<void>;
}

/**
 * The dashboard in this process on a fresh seeded database holding the generated history (support/history.ts),
 * the shared Redis and NATS under their own prefixes, the clock pinned to the history's "now" (unless `clock`).
 */
export async function startHarness(opts: { env?: Partial<DashboardConfig>; clock?: () => Date; history?: boolean } = {}): Promise<DashboardHarness> {
  const db = await createTestDatabase({ seed: true });
  const tag = randomBytes(4).toString("hex");
  const natsPrefix = `t${tag}.`;
  const nc = await connectNats({ url: process.env["NATS_URL"] ?? "nats://127.0.0.1:4222", name: "dashboard-test" });
  await useSimpleHours(db.db);
  const history = opts.history === false ? { sampleCallId: "", callCount: 0 } : await writeHistory(db.db);
  for (const u of Object.values(USERS)) {
    const row = await db.db
      .insertInto("dashboard_users")
      .values({ brand_id: DEMO_BRAND.id, email: u.email, display_name: u.email, role: u.role, password_hash: await hashPassword(PASSWORD) })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (u.locations.length > 0) await db.db.insertInto("dashboard_user_locations").values(u.locations.map((l) => ({ user_id: row.id, location_id: l }))).execute();
  }
  const env: DashboardConfig = {
    REDIS_URL: process.env["REDIS_URL"] ?? "redis://127.0.0.1:6379",
    REDIS_KEY_PREFIX: `test-${tag}:`,
    NATS_SUBJECT_PREFIX: natsPrefix,
    PORT: 0,
    ALLOWED_ORIGINS: [],
    COOKIE_SECURE: "never",
    TRUST_PROXY_HOPS: 0,
    SESSION_TTL_MS: 3_600_000,
    SESSION_IDLE_MS: 3_600_000,
    LOGIN_MAX_FAILURES_PER_ACCOUNT: 5,
    LOGIN_MAX_ATTEMPTS_PER_IP: 1000,
    LOGIN_WINDOW_MS: 900_000,
    WEB_DIST_DIR: "/nonexistent/dist",
    REQUEST_TIMEOUT_MS: 5000,
    ...opts.env,
  };
  const logger = createLogger({ service: "dashboard", level: "silent" });
  const dashboard = await startDashboard({ env, db: db.db, nc, logger, metrics: createMetrics({ service: "dashboard" }), clock: opts.clock ?? (() => NOW), heartbeatMs: 500 });
  return {
    db,
    nc,
    natsPrefix,
    dashboard,
    url: `http://127.0.0.1:${dashboard.port}`,
    ...history,
    async close() {
      await dashboard.stop();
      await drainNats(nc);
      await db.close();
    },
  };
}

/** A browser-like client: keeps the session cookie, sends the CSRF token on state-changing requests. */
export class Client {
  cookie = "";
  csrf = "";
  readonly base: string;
  constructor(base: string) {
    this.base = base;
  }
  async request(method: string, path: string, opts: { body?: unknown; headers?: Record<string, string>; csrf?: boolean } = {}): Promise<{ status: number; body: Json; headers: Headers }> {
    const headers: Record<string, string> = { ...(this.cookie ? { cookie: this.cookie } : {}), ...(opts.body !== undefined ? { "content-type": "application/json" } : {}) };
    if (method !== "GET" && (opts.csrf ?? true) && this.csrf) headers["x-csrf-token"] = this.csrf;
    const res = await fetch(this.base + path, { method, headers: { ...headers, ...opts.headers }, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith("ol_session="));
    if (setCookie) this.cookie = setCookie.split(";")[0]!;
    const text = await res.text();
    let body: Json = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: res.status, body, headers: res.headers };
  }
  get = (path: string) => this.request("GET", path);
  post = (path: string, body?: unknown, opts: { headers?: Record<string, string>; csrf?: boolean } = {}) => this.request("POST", path, { body: body ?? {}, ...opts });
  async login(email: string, password = PASSWORD) {
    const r = await this.post("/api/auth/login", { email, password });
    if (r.status === 200) this.csrf = r.body.csrfToken;
    return r;
  }
}

export async function signedIn(base: string, email: string): Promise<Client> {
  const c = new Client(base);
  const r = await c.login(email);
  if (r.status !== 200) throw new Error(`login of ${email} failed: ${r.status} ${JSON.stringify(r.body)}`);
  return c;
}
