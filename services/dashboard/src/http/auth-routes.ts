import type { Database } from "@orderline/db";
import { UNMATCHABLE_HASH, verifyPassword } from "@orderline/db";
import type { Logger } from "@orderline/telemetry";
import express, { type Request, type Response } from "express";
import type { Kysely } from "kysely";
import { z } from "zod";
import type { LoginLimits } from "../auth/login-limits.ts";
import { authenticate, type CookiePolicy, clearSessionCookie, requireCsrfToken, sessionToken, setSessionCookie, viewerOf } from "../auth/middleware.ts";
import type { Viewer } from "../domain/viewer.ts";
import { createSession, deleteSession, findUserByEmail, sessionViewer } from "../repositories/users.ts";
import { HttpError, parseInput } from "./errors.ts";

const LoginBody = z.strictObject({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(1024) });

export interface AuthRouteDeps {
  db: Kysely<Database>;
  limits: LoginLimits;
  cookies: CookiePolicy;
  clock: () => Date;
  sessionTtlMs: number;
  idleMs: number;
  logger: Logger;
}

/** What the page needs about the signed-in user (never the password hash or the session token). */
export const sessionBody = (v: Viewer) => ({
  user: { id: v.userId, email: v.email, displayName: v.displayName, role: v.role, locations: v.locations },
  csrfToken: v.csrfToken,
});

const WRONG = "that e-mail and password do not match an account";

/** POST /login, POST /logout, GET /session. */
export function authRouter(deps: AuthRouteDeps): express.Router {
  const router = express.Router();
  const auth = authenticate(deps);

  router.post("/login", async (req: Request, res: Response) => {
    // A form from another site cannot send JSON without a CORS preflight (and the Origin check ran before this).
    if (!req.is("application/json")) throw new HttpError(415, "unsupported_media_type", "send the login as application/json");
    const body = parseInput(LoginBody, req.body, "body");
    const refused = await deps.limits.admit(body.email, req.ip ?? "unknown");
    if (refused) {
      throw new HttpError(429, "too_many_attempts", `too many login attempts; try again in ${refused.retryAfterSeconds} s`, { "retry-after": String(refused.retryAfterSeconds) });
    }
    const user = await findUserByEmail(deps.db, body.email);
    // An unknown user costs the same scrypt run as a known one: the answer and its timing say nothing about which part was wrong.
    const ok = await verifyPassword(body.password, user?.password_hash ?? UNMATCHABLE_HASH);
    if (!user || !ok || !user.active) {
      await deps.limits.failed(body.email);
      deps.logger.info({ known: Boolean(user) }, "dashboard login refused");
      throw new HttpError(401, "invalid_credentials", WRONG);
    }
    await deps.limits.succeeded(body.email);
    const now = deps.clock();
    const s = await createSession(deps.db, user.id, now, deps.sessionTtlMs);
    const viewer = await sessionViewer(deps.db, s.token, now, deps.idleMs);
    if (!viewer) throw new Error("a session just created could not be read back");
    setSessionCookie(req, res, deps.cookies, s.token, s.expiresAt);
    res.json(sessionBody(viewer));
  });

  router.post("/logout", auth, requireCsrfToken, async (req: Request, res: Response) => {
    const token = sessionToken(req);
    if (token) await deleteSession(deps.db, token);
    clearSessionCookie(req, res, deps.cookies);
    res.status(204).end();
  });

  router.get("/session", auth, (_req: Request, res: Response) => {
    res.json(sessionBody(viewerOf(res)));
  });
  return router;
}
