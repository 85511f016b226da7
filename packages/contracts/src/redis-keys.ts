/**
 * Redis key builders — the only place a key is spelled. Every key goes through one prefix so test stacks
 * (and environments) sharing a Redis never collide. Values and TTLs are owned by the gateway.
 */
export function redisKeys(prefix = "") {
  return {
    /** Hash of the call's session state (location, stream, order session, phase, counters, …). */
    callSession: (callSid: string) => `${prefix}call:${callSid}`,
    /** Single-use token handed to the media stream as a <Parameter> (string, short TTL). */
    callToken: (token: string) => `${prefix}call-token:${token}`,
    /** The call's transcript (list of JSON entries, oldest first; the gateway caps its length). */
    callTranscript: (callSid: string) => `${prefix}call:${callSid}:transcript`,
    /** A text engine's conversation state of a call (JSON string: model history or the local agent's state). */
    callEngineState: (callSid: string) => `${prefix}call:${callSid}:engine`,
    /** Prices (cents) the call's tools returned: a text reply may name only these (set). */
    callKnownPrices: (callSid: string) => `${prefix}call:${callSid}:prices`,
    /** Events of a call not yet finalized (list of JSON entries). */
    callEvents: (callSid: string) => `${prefix}call:${callSid}:events`,
    /** Set once (SET NX) by whichever report of a call's end finalizes it first. */
    callFinalized: (callSid: string) => `${prefix}call:${callSid}:finalized`,
    /** Live calls of a caller ID (sorted set: call SID scored by its admission time in ms). */
    callerActiveCalls: (phone: string) => `${prefix}rl:caller:${phone}:active`,
    /** Calls of a caller ID in the current hour bucket (counter). */
    callerHourlyCalls: (phone: string, hourBucket: string) => `${prefix}rl:caller:${phone}:h:${hourBucket}`,
    /** Live calls at a location (sorted set: call SID scored by its admission time in ms). */
    locationActiveCalls: (locationId: string) => `${prefix}rl:location:${locationId}:active`,
    /** Lock held by the one gateway replica sweeping calls whose end was never reported. */
    sweeperLock: () => `${prefix}call:sweeper-lock`,
    /** Dashboard: failed logins of one account (keyed by a SHA-256 of the lower-cased e-mail) in the current window (counter). */
    dashboardLoginFailures: (accountHash: string) => `${prefix}dashboard:login:account:${accountHash}`,
    /** Dashboard: login attempts from one client IP in the current window (counter). */
    dashboardLoginAttempts: (ip: string) => `${prefix}dashboard:login:ip:${ip}`,
    /** BullMQ prefix for queues. */
    bullPrefix: () => `${prefix}bull`,
  };
}
export type RedisKeys = ReturnType<typeof redisKeys>;
