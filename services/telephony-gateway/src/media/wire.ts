/**
 * Cheap wire helpers for the per-frame path (100 messages a second per call each way): media frames are
 * recognised and sliced by substring search instead of a full JSON.parse. Base64 never contains a quote, so
 * the first `"` after a key's opening quote ends its value. Anything unexpected falls back to JSON.parse.
 */

const TWILIO_MEDIA = Buffer.from('"event":"media"');
const PAYLOAD_KEY = Buffer.from('"payload":"');
const DELTA_TYPE = Buffer.from('"type":"response.output_audio.delta"');
const DELTA_KEY = Buffer.from('"delta":"');
const ITEM_KEY = Buffer.from('"item_id":"');
const QUOTE = 0x22;

/** Where a Twilio `media` frame's payload sits in the raw message, or null when it is not a media frame. */
export interface MediaSlice {
  start: number;
  end: number;
}

export function sliceTwilioMedia(buf: Buffer): MediaSlice | null {
  const ev = buf.indexOf(TWILIO_MEDIA);
  if (ev === -1) return null;
  const p = buf.indexOf(PAYLOAD_KEY);
  if (p === -1) return null;
  const start = p + PAYLOAD_KEY.length;
  const end = buf.indexOf(QUOTE, start);
  if (end === -1) return null;
  return { start, end };
}

/** Where a Realtime `response.output_audio.delta`'s audio and item id sit, or null for any other event. */
export interface DeltaSlice {
  start: number;
  end: number;
  itemId: string;
}

export function sliceRealtimeDelta(buf: Buffer): DeltaSlice | null {
  // The type comes first in practice; bound the search so big non-delta events are not scanned for it twice.
  const t = buf.indexOf(DELTA_TYPE);
  if (t === -1 || t > 64) return null;
  const d = buf.indexOf(DELTA_KEY);
  const i = buf.indexOf(ITEM_KEY);
  if (d === -1 || i === -1) return null;
  const start = d + DELTA_KEY.length;
  const end = buf.indexOf(QUOTE, start);
  const is = i + ITEM_KEY.length;
  const ie = buf.indexOf(QUOTE, is);
  if (end === -1 || ie === -1) return null;
  return { start, end, itemId: buf.toString("latin1", is, ie) };
}

/**
 * A Buffer of `text` with memory of its own. `Buffer.from` of a short string is a slice of a shared pool slab
 * (64 KB on Node 24): a per-call buffer kept for the call's life would keep its whole slab alive — 64 KB per call.
 */
export function ownedBuffer(text: string): Buffer {
  const b = Buffer.allocUnsafeSlow(Buffer.byteLength(text, "latin1"));
  b.write(text, 0, "latin1");
  return b;
}

/** Decoded byte length of a base64 text of `len` characters ending at `end` in `buf`. */
export function base64DecodedLength(buf: Buffer, start: number, end: number): number {
  const len = end - start;
  if (len <= 0) return 0;
  let pad = 0;
  if (buf[end - 1] === 0x3d) pad++;
  if (len > 1 && buf[end - 2] === 0x3d) pad++;
  return ((len * 3) >> 2) - pad;
}

export function base64StringDecodedLength(s: string): number {
  const len = s.length;
  if (len === 0) return 0;
  let pad = 0;
  if (s.charCodeAt(len - 1) === 0x3d) pad++;
  if (len > 1 && s.charCodeAt(len - 2) === 0x3d) pad++;
  return ((len * 3) >> 2) - pad;
}

/** Mark names carry item, sent position and barge-in generation: `item:sentMs:generation`. */
export function markName(itemId: string, sentMs: number, generation: number): string {
  return `${itemId}:${Math.round(sentMs)}:${generation}`;
}

export function parseMarkName(name: string): { itemId: string; sentMs: number; generation: number } | null {
  const b = name.lastIndexOf(":");
  const a = name.lastIndexOf(":", b - 1);
  if (a <= 0 || b <= a) return null;
  const sentMs = Number(name.slice(a + 1, b));
  const generation = Number(name.slice(b + 1));
  if (!Number.isFinite(sentMs) || !Number.isInteger(generation)) return null;
  return { itemId: name.slice(0, a), sentMs, generation };
}
