import { timingSafeEqual } from "node:crypto";
import type { Database } from "@orderline/db";
import { parseCookie, stringifySetCookie } from "cookie";
import type { NextFunction, Request, Response } from "express";
import type { Kysely } from "kysely";
import type { Viewer } from "../domain/viewer.ts";
import { HttpError } from "../http/errors.ts";
import { sessionViewer } from "../repositories/users.ts";

export const SESSION_COOKIE = "ol_session";
export const CSRF_HEADER = "x-csrf-token";

export interface CookiePolicy {
  secure: "auto" | "always" | "never";
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const sessionToken = (req: Request): string | undefined => parseCookie(req.header("cookie") ?? "")[SESSION_COOKIE];

/** The session cookie: HttpOnly, SameSite=Strict, Path=/, Secure over https (or always/never as configured). */
export function setSessionCookie(req: Request, res: Response, policy: CookiePolicy, value: string, expires: Date): void {
  const secure = policy.secure === "always" || (policy.secure === "auto" && req.secure);
  res.append("set-cookie", stringifySetCookie({ name: SESSION_COOKIE, value, httpOnly: true, sameSite: "strict", path: "/", secure, expires }));
}

export const clearSessionCookie = (req: Request, res: Response, policy: CookiePolicy) => setSessionCookie(req, res, policy, "", new Date(0));

/** The signed-in viewer of this request (set by `authenticate`). */
export const viewerOf = (res: Response): Viewer => {
  const v = res.locals["viewer"] as Viewer | undefined;
  if (!v) throw new HttpError(401, "unauthenticated", "sign in first");
  return v;
};

/** Loads the session behind the cookie; 401 without a live one. */
export function authenticate(deps: { db: Kysely<Database>; clock: () => Date; idleMs: number }) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const token = sessionToken(req);
    const viewer = token ? await sessionViewer(deps.db, token, deps.clock(), deps.idleMs) : null;
    if (!viewer) throw new HttpError(401, "unauthenticated", "sign in first (no session, or it expired)");
    res.locals["viewer"] = viewer;
    next();
  };
}

/**
 * Cross-site request forgery, for every state-changing request: a browser's Origin (or, without one, Referer)
 * must be this service's own origin or an allowed one — checked before anything else, login included.
 */
export function checkOrigin(allowedOrigins: readonly string[]) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (SAFE_METHODS.has(req.method)) {
      next();
      return;
    }
    const own = `${req.protocol}://${req.get("host")}`;
    const stated = req.header("origin") ?? originOf(req.header("referer"));
    if (stated !== undefined && stated !== own && !allowedOrigins.includes(stated)) {
      throw new HttpError(403, "csrf_origin", `requests from ${stated.slice(0, 100)} are not accepted`);
    }
    next();
  };
}

const originOf = (url: string | undefined): string | undefined => {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return "null";
  }
};

/** Synchronizer token: a signed-in state-changing request must echo its session's CSRF token in X-CSRF-Token. */
export function requireCsrfToken(req: Request, res: Response, next: NextFunction): void {
  if (SAFE_METHODS.has(req.method)) {
    next();
    return;
  }
  const expected = Buffer.from(viewerOf(res).csrfToken);
  const got = Buffer.from(req.header(CSRF_HEADER) ?? "");
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
    throw new HttpError(403, "csrf_token", got.length === 0 ? "the X-CSRF-Token header is missing" : "the X-CSRF-Token header does not match this session");
  }
  next();
}
