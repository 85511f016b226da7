import { createHash } from "node:crypto";
import type { RedisKeys } from "@orderline/contracts";
import type { Redis } from "ioredis";

export interface LoginLimitConfig {
  maxFailuresPerAccount: number;
  maxAttemptsPerIp: number;
  windowMs: number;
}

/** The account part of a key: a hash, so no e-mail address sits in Redis. */
const accountKey = (email: string) => createHash("sha256").update(email.trim().toLowerCase()).digest("hex").slice(0, 32);

/**
 * Fixed-window login limits in Redis: attempts per client IP (every attempt counts) and failures per account
 * (a success clears them). A refused attempt is answered before the password is looked at.
 */
export function loginLimits(redis: Redis, keys: RedisKeys, cfg: LoginLimitConfig) {
  const bump = async (key: string): Promise<{ count: number; ttlMs: number }> => {
    const r = await redis.multi().incr(key).pexpire(key, cfg.windowMs, "NX").pttl(key).exec();
    if (!r) throw new Error("login limit: Redis transaction aborted");
    return { count: Number(r[0]![1]), ttlMs: Math.max(0, Number(r[2]![1])) };
  };
  return {
    /** Counts the attempt; null when it may go ahead, else the seconds until the caller may try again. */
    async admit(email: string, ip: string): Promise<{ retryAfterSeconds: number } | null> {
      const byIp = await bump(keys.dashboardLoginAttempts(ip));
      if (byIp.count > cfg.maxAttemptsPerIp) return { retryAfterSeconds: Math.ceil(byIp.ttlMs / 1000) };
      const accKey = keys.dashboardLoginFailures(accountKey(email));
      const [failures, ttl] = await Promise.all([redis.get(accKey), redis.pttl(accKey)]);
      if (Number(failures ?? 0) >= cfg.maxFailuresPerAccount) return { retryAfterSeconds: Math.ceil(Math.max(ttl, 0) / 1000) };
      return null;
    },
    async failed(email: string): Promise<void> {
      await bump(keys.dashboardLoginFailures(accountKey(email)));
    },
    async succeeded(email: string): Promise<void> {
      await redis.del(keys.dashboardLoginFailures(accountKey(email)));
    },
  };
}
export type LoginLimits = ReturnType<typeof loginLimits>;
