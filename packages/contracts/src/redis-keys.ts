/**
 * Redis key builders. Every key goes through one prefix so test stacks (and environments) sharing a
 * Redis never collide. Values and TTLs are owned by the gateway.
 */
export function redisKeys(prefix = "") {
  return {
    /** Hash/JSON of the call's session state (location, stream, order session, phase, counters, …). */
    callSession: (callSid: string) => `${prefix}call:${callSid}`,
    /** Single-use token handed to the media stream as a <Parameter>. */
    callToken: (token: string) => `${prefix}call-token:${token}`,
    /** Short transcript tail of a call (list). */
    callTranscript: (callSid: string) => `${prefix}call:${callSid}:transcript`,
    /** A text engine's conversation state of a call (JSON string: model history or the local agent's state). */
    callEngineState: (callSid: string) => `${prefix}call:${callSid}:engine`,
    /** Prices (cents) the call's tools returned: a text reply may name only these (set). */
    callKnownPrices: (callSid: string) => `${prefix}call:${callSid}:prices`,
    /** Events of a call not yet finalized (list). */
    callEvents: (callSid: string) => `${prefix}call:${callSid}:events`,
    /** Live calls of a caller ID (set of call SIDs). */
    callerActiveCalls: (phone: string) => `${prefix}rl:caller:${phone}:active`,
    /** Calls of a caller ID in the current hour bucket (counter). */
    callerHourlyCalls: (phone: string, hourBucket: string) => `${prefix}rl:caller:${phone}:h:${hourBucket}`,
    /** Live calls at a location (set of call SIDs). */
    locationActiveCalls: (locationId: string) => `${prefix}rl:location:${locationId}:active`,
    /** BullMQ prefix for queues. */
    bullPrefix: () => `${prefix}bull`,
  };
}
export type RedisKeys = ReturnType<typeof redisKeys>;
