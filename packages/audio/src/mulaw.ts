/**
 * ITU-T G.711 mu-law codec (the "Sun" reference algorithm: bias 0x84, clip 32635), table-driven.
 *
 * Both directions are a single typed-array lookup per sample: a 256-entry decode table and a
 * 65,536-entry encode table indexed by the sample's 16-bit two's-complement pattern (64 KiB,
 * built once at module load, a few hundred microseconds).
 */

const BIAS = 0x84;
const CLIP = 32635;

/** Reference encoder for one int16 sample; used only to build the lookup table. */
function encodeReference(sample: number): number {
  let s = sample;
  const sign = s < 0 ? 0x80 : 0;
  if (sign !== 0) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  // Segment (exponent) = position of the highest set bit above bit 7, 0..7.
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

function decodeReference(code: number): number {
  const u = ~code & 0xff;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + BIAS) << exponent) - BIAS;
  return (u & 0x80) !== 0 ? -magnitude : magnitude;
}

/** code (0..255) -> linear int16. */
const DECODE_TABLE = new Int16Array(256);
for (let c = 0; c < 256; c++) DECODE_TABLE[c] = decodeReference(c);

/** (sample & 0xffff) -> code. */
const ENCODE_TABLE = new Uint8Array(65536);
for (let i = 0; i < 65536; i++) ENCODE_TABLE[i] = encodeReference(i >= 32768 ? i - 65536 : i);

/** Decodes one mu-law byte (integer 0..255) to a linear PCM16 sample. */
export function decodeMuLawSample(code: number): number {
  if (!Number.isInteger(code) || code < 0 || code > 255) {
    throw new RangeError(`mu-law code must be an integer 0..255, got ${String(code)}`);
  }
  return DECODE_TABLE[code]!;
}

/**
 * Encodes one linear sample to a mu-law byte. Non-integers are rounded and values outside the
 * int16 range are clamped (G.711 clips at ±32635 anyway).
 */
export function encodeMuLawSample(sample: number): number {
  if (!Number.isFinite(sample)) {
    throw new RangeError(`PCM16 sample must be a finite number, got ${String(sample)}`);
  }
  const s = sample >= 32767 ? 32767 : sample <= -32768 ? -32768 : Math.round(sample);
  return ENCODE_TABLE[s & 0xffff]!;
}

function checkDst(kind: string, dst: { length: number }, needed: number): void {
  if (dst.length < needed) {
    throw new RangeError(`${kind}: destination holds ${dst.length} samples but ${needed} are needed`);
  }
}

/**
 * Decodes mu-law bytes to PCM16. Writes into `dst` when given (it must hold at least
 * `src.length` samples) and returns the written part; otherwise allocates.
 */
export function decodeMuLaw(src: Uint8Array, dst?: Int16Array): Int16Array {
  if (!(src instanceof Uint8Array)) throw new TypeError("decodeMuLaw: src must be a Uint8Array (or Buffer)");
  const n = src.length;
  let out: Int16Array;
  if (dst === undefined) {
    out = new Int16Array(n);
  } else {
    checkDst("decodeMuLaw", dst, n);
    out = dst.length === n ? dst : dst.subarray(0, n);
  }
  const table = DECODE_TABLE;
  for (let i = 0; i < n; i++) out[i] = table[src[i]!]!;
  return out;
}

/**
 * Encodes PCM16 to mu-law bytes. Writes into `dst` when given (it must hold at least
 * `src.length` bytes) and returns the written part; otherwise allocates.
 */
export function encodeMuLaw(src: Int16Array, dst?: Uint8Array): Uint8Array {
  if (!(src instanceof Int16Array)) throw new TypeError("encodeMuLaw: src must be an Int16Array");
  const n = src.length;
  let out: Uint8Array;
  if (dst === undefined) {
    out = new Uint8Array(n);
  } else {
    checkDst("encodeMuLaw", dst, n);
    out = dst.length === n ? dst : dst.subarray(0, n);
  }
  const table = ENCODE_TABLE;
  for (let i = 0; i < n; i++) out[i] = table[src[i]! & 0xffff]!;
  return out;
}

/** The mu-law byte for digital silence (linear 0). Fill a buffer with it to send silence. */
export const MULAW_SILENCE = 0xff;
