import { randomBytes } from "node:crypto";
import { type CallEvent, type RealtimeUsage, type RedisKeys, redisKeys, type TextEngineUsage, type TranscriptEntry } from "@orderline/contracts";
import type { Redis } from "ioredis";
import { type CallPhase, type CallSession, sessionFromHash, sessionToHash, USAGE_FIELDS } from "./session.ts";

/** Longest call we expect: active-call entries older than this are considered leaked (a pod died) and dropped. */
const ACTIVE_ENTRY_STALE_MS = 3 * 3600_000;
const TRANSCRIPT_MAX = 400;
const EVENTS_MAX = 1000;
const TOKEN_TTL_SECONDS = 120;

export type AdmitResult = "ok" | "caller_concurrent" | "caller_hourly" | "location_busy";

export interface AdmitLimits {
  callerMaxConcurrent: number;
  callerMaxPerHour: number;
  /** Callers with no valid caller ID share one bucket per location, with these (larger) limits. */
  anonymousMaxConcurrent: number;
  anonymousMaxPerHour: number;
  locationMaxConcurrent: number;
}

/** The caller-limit bucket: the caller ID, or one shared bucket per location for withheld / invalid numbers. */
export function callerBucket(callerPhone: string | null, locationId: string): string {
  return callerPhone ?? `anonymous:${locationId}`;
}

// Caller limits first (a caller over their limit is told so even when the store is busy), then location capacity.
// A webhook retry for an already admitted call is admitted again without counting twice.
const ADMIT_LUA = `
local sid = ARGV[1]
local now = tonumber(ARGV[2])
local stale = now - tonumber(ARGV[3])
local activeTtl = tonumber(ARGV[8])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', stale)
if redis.call('ZSCORE', KEYS[3], sid) then return 'ok' end
local withCaller = ARGV[9] == '1'
if withCaller then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', stale)
  if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 'caller_concurrent' end
  local n = tonumber(redis.call('GET', KEYS[2]) or '0')
  if n >= tonumber(ARGV[5]) then return 'caller_hourly' end
end
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[6]) then return 'location_busy' end
if withCaller then
  redis.call('INCR', KEYS[2])
  redis.call('EXPIRE', KEYS[2], ARGV[7])
  redis.call('ZADD', KEYS[1], now, sid)
  redis.call('EXPIRE', KEYS[1], activeTtl)
end
redis.call('ZADD', KEYS[3], now, sid)
redis.call('EXPIRE', KEYS[3], activeTtl)
return 'ok'
`;

/** Only the first writer of the session creates it (a Twilio retry of /voice/incoming reuses it). */
const CREATE_SESSION_LUA = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1
`;

/** Patch only if the session still exists (never resurrect an expired call as a partial hash). */
const PATCH_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
`;

function hourBucket(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 13).replace(/[-T]/g, "");
}

type SessionPatch = Partial<Omit<CallSession, "callSid" | "usage">>;

/**
 * Redis-backed call state: the session hash, single-use stream tokens, transcript and event lists, and the
 * admission limits. No call state lives in process memory beyond what one live stream is doing right now.
 */
export class CallStore {
  readonly keys: RedisKeys;
  readonly redis: Redis;
  readonly ttlSeconds: number;

  constructor(redis: Redis, opts: { prefix: string; ttlSeconds: number }) {
    this.redis = redis;
    this.keys = redisKeys(opts.prefix);
    this.ttlSeconds = opts.ttlSeconds;
  }

  async admit(callSid: string, callerPhone: string | null, locationId: string, limits: AdmitLimits, nowMs = Date.now()): Promise<AdmitResult> {
    const k = this.keys;
    const caller = callerBucket(callerPhone, locationId);
    const res = await this.redis.eval(
      ADMIT_LUA,
      3,
      k.callerActiveCalls(caller),
      k.callerHourlyCalls(caller, hourBucket(nowMs)),
      k.locationActiveCalls(locationId),
      callSid,
      String(nowMs),
      String(ACTIVE_ENTRY_STALE_MS),
      String(callerPhone ? limits.callerMaxConcurrent : limits.anonymousMaxConcurrent),
      String(callerPhone ? limits.callerMaxPerHour : limits.anonymousMaxPerHour),
      String(limits.locationMaxConcurrent),
      "3700",
      String(Math.ceil(ACTIVE_ENTRY_STALE_MS / 1000)),
      "1",
    );
    return res as AdmitResult;
  }

  /** Removes the call from the live-call sets (call ended). Idempotent. */
  async release(callSid: string, callerPhone: string | null, locationId: string): Promise<void> {
    const m = this.redis.multi();
    m.zrem(this.keys.callerActiveCalls(callerBucket(callerPhone, locationId)), callSid);
    m.zrem(this.keys.locationActiveCalls(locationId), callSid);
    await m.exec();
  }

  /** Creates the session unless it exists; returns the stored session either way. */
  async createSession(session: CallSession): Promise<{ created: boolean; session: CallSession }> {
    const fields = Object.entries(sessionToHash(session)).flat();
    const created = (await this.redis.eval(CREATE_SESSION_LUA, 1, this.keys.callSession(session.callSid), String(this.ttlSeconds), ...fields)) === 1;
    if (created) return { created, session };
    const existing = await this.getSession(session.callSid);
    return { created: false, session: existing ?? session };
  }

  async getSession(callSid: string): Promise<CallSession | null> {
    return sessionFromHash(await this.redis.hgetall(this.keys.callSession(callSid)));
  }

  /** The call's W3C traceparent (its incoming webhook's span), or null: parents the spans of its later webhooks. */
  async traceparent(callSid: string): Promise<string | null> {
    const field: keyof CallSession = "traceparent";
    return this.redis.hget(this.keys.callSession(callSid), field);
  }

  /** Sets fields of a live session; false when the session no longer exists. */
  async patch(callSid: string, patch: SessionPatch): Promise<boolean> {
    const args: string[] = [];
    for (const [f, v] of Object.entries(patch)) {
      if (v === undefined) continue;
      if (v === null) continue; // nulls are never written back; absent = null
      args.push(f, typeof v === "object" ? JSON.stringify(v) : typeof v === "boolean" ? (v ? "1" : "0") : String(v));
    }
    const nulls = Object.entries(patch)
      .filter(([, v]) => v === null)
      .map(([f]) => f);
    const key = this.keys.callSession(callSid);
    if (nulls.length > 0) await this.redis.hdel(key, ...nulls);
    if (args.length === 0) return true;
    return (await this.redis.eval(PATCH_LUA, 1, key, ...args)) === 1;
  }

  /** Moves the phase forward only along live → transferring → transferred → ended (first writer of "ended" wins). */
  async setPhase(callSid: string, phase: CallPhase): Promise<boolean> {
    return this.patch(callSid, { phase });
  }

  async incr(
    callSid: string,
    field: "failedTools" | "consecutiveToolFailures" | "unansweredQuestions" | "streams" | "resumes" | "emptyTurns",
    by = 1,
  ): Promise<number> {
    const key = this.keys.callSession(callSid);
    const [[, n] = []] = (await this.redis.multi().hincrby(key, field, by).expire(key, this.ttlSeconds).exec()) ?? [];
    return Number(n);
  }

  async addUsage(callSid: string, usage: Partial<RealtimeUsage>): Promise<void> {
    const key = this.keys.callSession(callSid);
    const m = this.redis.multi();
    for (const f of USAGE_FIELDS) {
      const v = usage[f];
      if (v) m.hincrby(key, `usage.${f}`, v);
    }
    await m.exec();
  }

  /** Refreshes TTLs and records that a stream owns the call right now. */
  async heartbeat(callSid: string, nowMs = Date.now()): Promise<void> {
    const k = this.keys;
    await this.redis
      .multi()
      .hset(k.callSession(callSid), "heartbeatAt", String(nowMs))
      .expire(k.callSession(callSid), this.ttlSeconds)
      .expire(k.callTranscript(callSid), this.ttlSeconds)
      .expire(k.callEvents(callSid), this.ttlSeconds)
      .exec();
  }

  // ---- single-use stream tokens -------------------------------------------------------------------------------

  async issueToken(callSid: string): Promise<string> {
    const token = randomBytes(24).toString("base64url");
    await this.redis.set(this.keys.callToken(token), callSid, "EX", TOKEN_TTL_SECONDS, "NX");
    return token;
  }

  /** Consumes a token: the call SID it was issued for, or null when unknown, expired or already used. */
  async consumeToken(token: string): Promise<string | null> {
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return null;
    return this.redis.getdel(this.keys.callToken(token));
  }

  // ---- transcript and events ------------------------------------------------------------------------------------

  async appendTranscript(callSid: string, entries: TranscriptEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const key = this.keys.callTranscript(callSid);
    await this.redis
      .multi()
      .rpush(key, ...entries.map((e) => JSON.stringify(e)))
      .ltrim(key, -TRANSCRIPT_MAX, -1)
      .expire(key, this.ttlSeconds)
      .exec();
  }

  async appendEvents(callSid: string, events: CallEvent[]): Promise<void> {
    if (events.length === 0) return;
    const key = this.keys.callEvents(callSid);
    await this.redis
      .multi()
      .rpush(key, ...events.map((e) => JSON.stringify(e)))
      .ltrim(key, -EVENTS_MAX, -1)
      .expire(key, this.ttlSeconds)
      .exec();
  }

  async transcript(callSid: string, last?: number): Promise<TranscriptEntry[]> {
    const raw = await this.redis.lrange(this.keys.callTranscript(callSid), last ? -last : 0, -1);
    return raw.map((r) => JSON.parse(r) as TranscriptEntry);
  }

  async events(callSid: string): Promise<CallEvent[]> {
    const raw = await this.redis.lrange(this.keys.callEvents(callSid), 0, -1);
    return raw.map((r) => JSON.parse(r) as CallEvent);
  }

  // ---- text engines -------------------------------------------------------------------------------------------

  async engineState(callSid: string): Promise<string | null> {
    return this.redis.get(this.keys.callEngineState(callSid));
  }

  async setEngineState(callSid: string, state: string): Promise<void> {
    await this.redis.set(this.keys.callEngineState(callSid), state, "EX", this.ttlSeconds);
  }

  async addKnownPrices(callSid: string, cents: readonly number[]): Promise<void> {
    if (cents.length === 0) return;
    const key = this.keys.callKnownPrices(callSid);
    await this.redis.multi().sadd(key, ...cents.map(String)).expire(key, this.ttlSeconds).exec();
  }

  async knownPrices(callSid: string): Promise<Set<number>> {
    return new Set((await this.redis.smembers(this.keys.callKnownPrices(callSid))).map(Number));
  }

  /** Adds one text-engine request's tokens to the call's per-model usage. */
  async addTextUsage(callSid: string, usage: TextEngineUsage): Promise<void> {
    const session = await this.getSession(callSid);
    if (!session) return;
    const list = [...session.textUsage];
    const mine = list.find((u) => u.model === usage.model);
    if (mine) {
      mine.inputTokens += usage.inputTokens;
      mine.cachedTokens += usage.cachedTokens;
      mine.outputTokens += usage.outputTokens;
      mine.requests += usage.requests;
    } else list.push({ ...usage });
    await this.patch(callSid, { textUsage: list });
  }

  /** Guard so a call is finalized once even when stop, status callback and after-stream all report its end. */
  async claimFinalization(callSid: string): Promise<boolean> {
    return (await this.redis.set(this.keys.callFinalized(callSid), "1", "EX", this.ttlSeconds, "NX")) === "OK";
  }
}
