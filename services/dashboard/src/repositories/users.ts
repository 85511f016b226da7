import { createHash, randomBytes } from "node:crypto";
import type { Database, DashboardRole } from "@orderline/db";
import type { Kysely } from "kysely";
import type { Viewer, ViewerLocation } from "../domain/viewer.ts";

/** SHA-256 (hex) of a session token: what the table keys sessions by, so a database leak yields no cookie. */
export const tokenHash = (token: string): string => createHash("sha256").update(token).digest("hex");

export async function findUserByEmail(db: Kysely<Database>, email: string) {
  return db
    .selectFrom("dashboard_users")
    .select(["id", "password_hash", "active"])
    .where("email", "=", email.trim().toLowerCase())
    .executeTakeFirst();
}

/** The locations a user may see: a manager every active location of the brand, staff their linked ones. */
export async function userLocations(db: Kysely<Database>, user: { id: string; brand_id: string; role: DashboardRole }): Promise<ViewerLocation[]> {
  let q = db.selectFrom("locations as l").select(["l.id", "l.slug", "l.name", "l.timezone"]).where("l.brand_id", "=", user.brand_id).where("l.active", "=", true);
  if (user.role === "staff") q = q.where("l.id", "in", db.selectFrom("dashboard_user_locations").select("location_id").where("user_id", "=", user.id));
  return q.orderBy("l.name").execute();
}

/** A new session for the user; returns the cookie token (only its hash is stored) and the CSRF token. */
export async function createSession(db: Kysely<Database>, userId: string, now: Date, ttlMs: number): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const csrfToken = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + ttlMs);
  await db.insertInto("dashboard_sessions").values({ token_hash: tokenHash(token), user_id: userId, csrf_token: csrfToken, created_at: now, last_seen_at: now, expires_at: expiresAt }).execute();
  return { token, csrfToken, expiresAt };
}

/**
 * The viewer behind a session token, or null when the session is unknown, expired (absolute or idle) or its user
 * is inactive. A live session's last use is moved forward (at most once a minute, to spare writes).
 */
export async function sessionViewer(db: Kysely<Database>, token: string, now: Date, idleMs: number): Promise<Viewer | null> {
  const row = await db
    .selectFrom("dashboard_sessions as s")
    .innerJoin("dashboard_users as u", "u.id", "s.user_id")
    .select(["s.token_hash", "s.csrf_token", "s.expires_at", "s.last_seen_at", "u.id", "u.email", "u.display_name", "u.role", "u.brand_id", "u.active"])
    .where("s.token_hash", "=", tokenHash(token))
    .executeTakeFirst();
  if (!row?.active || row.expires_at <= now || now.getTime() - row.last_seen_at.getTime() > idleMs) return null;
  if (now.getTime() - row.last_seen_at.getTime() > 60_000) {
    await db.updateTable("dashboard_sessions").set({ last_seen_at: now }).where("token_hash", "=", row.token_hash).execute();
  }
  const locations = await userLocations(db, { id: row.id, brand_id: row.brand_id, role: row.role });
  return { userId: row.id, email: row.email, displayName: row.display_name, role: row.role, brandId: row.brand_id, locations, csrfToken: row.csrf_token };
}

export async function deleteSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom("dashboard_sessions").where("token_hash", "=", tokenHash(token)).execute();
}

/** Sessions past their absolute expiry or idle too long. */
export async function pruneSessions(db: Kysely<Database>, now: Date, idleMs: number): Promise<number> {
  const r = await db
    .deleteFrom("dashboard_sessions")
    .where((eb) => eb.or([eb("expires_at", "<=", now), eb("last_seen_at", "<", new Date(now.getTime() - idleMs))]))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
