import { resolve } from "node:path";
import { durationMs, httpUrl, integer, oneOf, redisUrl, text } from "@orderline/config";
import { toolServiceEnv } from "@orderline/runtime";
import { z } from "zod";

/** Comma-separated http(s) origins ("https://dash.example.com,http://localhost:5173"), each without a path. */
const origins = () =>
  z
    .string()
    .optional()
    .transform((raw, ctx): string[] => {
      if (raw === undefined || raw.trim() === "") return [];
      const out: string[] = [];
      for (const part of raw.split(",").map((s) => s.trim())) {
        const parsed = httpUrl().safeParse(part);
        if (!parsed.success || new URL(part).origin !== part.replace(/\/$/, "")) {
          ctx.addIssue({ code: "custom", message: `"${part}" is not an origin (scheme://host[:port], no path)` });
          return z.NEVER;
        }
        out.push(new URL(part).origin);
      }
      return out;
    })
    .describe("comma-separated origins such as https://dash.example.com (empty: the request's own host only)");

export const DashboardEnv = z.object({
  ...toolServiceEnv({ opsPort: 9468, poolSize: 5 }),
  /** Login rate limits live here. */
  REDIS_URL: redisUrl(),
  REDIS_KEY_PREFIX: text("", 'a key prefix such as "test-1:" (may be empty)'),
  /** The API and the web page. */
  PORT: integer({ min: 0, max: 65_535, default: 8070 }),
  /** Browsers' Origin headers accepted on state-changing requests besides the request's own host. */
  ALLOWED_ORIGINS: origins(),
  /** Secure cookies: "auto" when the request came over https (directly or as X-Forwarded-Proto from a trusted proxy). */
  COOKIE_SECURE: oneOf(["auto", "always", "never"], "auto"),
  /** Proxy hops in front of the service whose X-Forwarded-For / -Proto are believed (0 = none). */
  TRUST_PROXY_HOPS: integer({ min: 0, max: 10, default: 0 }),
  /** A session ends this long after login, or after this long unused (whichever comes first). */
  SESSION_TTL_MS: durationMs(12 * 3_600_000, { min: 60_000, max: 30 * 86_400_000 }),
  SESSION_IDLE_MS: durationMs(2 * 3_600_000, { min: 60_000, max: 30 * 86_400_000 }),
  /** Failed logins of one account within LOGIN_WINDOW_MS before it is refused for the rest of the window. */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: integer({ min: 1, max: 1000, default: 5 }),
  /** Login attempts (right or wrong) from one IP within LOGIN_WINDOW_MS. */
  LOGIN_MAX_ATTEMPTS_PER_IP: integer({ min: 1, max: 100_000, default: 30 }),
  LOGIN_WINDOW_MS: durationMs(15 * 60_000, { min: 1000, max: 86_400_000 }),
  /** The web page's build (Vite `dist`); a minimal page is served when it does not exist. */
  WEB_DIST_DIR: text(resolve(import.meta.dirname, "../web/dist"), "a directory path"),
  /** How long a NATS request to the order or escalation service may take. */
  REQUEST_TIMEOUT_MS: durationMs(5000, { min: 100, max: 60_000 }),
});
export type DashboardEnv = z.output<typeof DashboardEnv>;
