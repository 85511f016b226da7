import { createHash } from "node:crypto";

/**
 * Deterministic UUID (version 5 layout, SHA-1 of a fixed namespace + key) so the seed produces the same
 * ids on every run and tests can name rows by key: `seedUuid("location:tonys-midtown")`.
 */
export const seedUuid = (key: string): string => {
  const h = createHash("sha1").update("orderline-demo-seed\u0000").update(key).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

/** Deterministic Twilio-looking call SID (CA + 32 hex). */
export const seedCallSid = (key: string): string =>
  `CA${createHash("sha1").update("orderline-demo-call\u0000").update(key).digest("hex").slice(0, 32)}`;
