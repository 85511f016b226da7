/** PCM16 <-> little-endian bytes (the Realtime API's `audio/pcm` payload before base64). */

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * Serialises PCM16 samples as little-endian bytes (2 per sample). Writes into `dst` when given
 * (it must hold `2 * src.length` bytes) and returns the written part; otherwise allocates.
 */
export function pcm16ToBytesLE(src: Int16Array, dst?: Uint8Array): Uint8Array {
  if (!(src instanceof Int16Array)) throw new TypeError("pcm16ToBytesLE: src must be an Int16Array");
  const n = src.length * 2;
  let out: Uint8Array;
  if (dst === undefined) {
    out = new Uint8Array(n);
  } else {
    if (dst.length < n) throw new RangeError(`pcm16ToBytesLE: destination holds ${dst.length} bytes but ${n} are needed`);
    out = dst.length === n ? dst : dst.subarray(0, n);
  }
  if (HOST_IS_LITTLE_ENDIAN) {
    out.set(new Uint8Array(src.buffer, src.byteOffset, n));
  } else {
    for (let i = 0; i < src.length; i++) {
      const v = src[i]!;
      out[2 * i] = v & 0xff;
      out[2 * i + 1] = (v >> 8) & 0xff;
    }
  }
  return out;
}

/**
 * Parses little-endian PCM16 bytes into samples. The byte length must be even. The input may sit
 * at any byte offset (e.g. a pooled Buffer from base64 decoding). Writes into `dst` when given.
 */
export function bytesLEToPcm16(src: Uint8Array, dst?: Int16Array): Int16Array {
  if (!(src instanceof Uint8Array)) throw new TypeError("bytesLEToPcm16: src must be a Uint8Array (or Buffer)");
  if (src.length % 2 !== 0) {
    throw new RangeError(`bytesLEToPcm16: PCM16 needs an even number of bytes, got ${src.length}`);
  }
  const n = src.length / 2;
  let out: Int16Array;
  if (dst === undefined) {
    out = new Int16Array(n);
  } else {
    if (dst.length < n) throw new RangeError(`bytesLEToPcm16: destination holds ${dst.length} samples but ${n} are needed`);
    out = dst.length === n ? dst : dst.subarray(0, n);
  }
  if (HOST_IS_LITTLE_ENDIAN) {
    new Uint8Array(out.buffer, out.byteOffset, src.length).set(src);
  } else {
    for (let i = 0; i < n; i++) out[i] = (src[2 * i]! | (src[2 * i + 1]! << 8)) << 16 >> 16;
  }
  return out;
}
