/** Minimal RIFF/WAVE reader and writer for mono PCM16 and mu-law (fixtures, recordings, tests). */

export type WavAudio =
  | { encoding: "pcm16"; sampleRate: number; samples: Int16Array }
  | { encoding: "mulaw"; sampleRate: number; samples: Uint8Array };

const FORMAT_PCM = 1;
const FORMAT_MULAW = 7;
const FORMAT_EXTENSIBLE = 0xfffe;

/** Error for input that is not a WAV file this module can read. */
export class WavFormatError extends Error {
  override name = "WavFormatError";
}

function fourcc(view: DataView, offset: number): string {
  return String.fromCharCode(
    view.getUint8(offset),
    view.getUint8(offset + 1),
    view.getUint8(offset + 2),
    view.getUint8(offset + 3),
  );
}

/**
 * Parses a WAV file holding mono 16-bit PCM or mono 8-bit mu-law (format tag 1 or 7, also inside
 * WAVE_FORMAT_EXTENSIBLE). Unknown chunks are skipped. A data size of 0 or 0xFFFFFFFF (written by
 * streaming encoders that could not seek back) means "to the end of the file". Samples are copied.
 */
export function readWav(buf: Uint8Array): WavAudio {
  if (!(buf instanceof Uint8Array)) throw new TypeError("readWav: input must be a Uint8Array (or Buffer)");
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 12 || fourcc(view, 0) !== "RIFF" || fourcc(view, 8) !== "WAVE") {
    throw new WavFormatError("readWav: not a RIFF/WAVE file (missing RIFF....WAVE header)");
  }
  let fmt: { tag: number; channels: number; rate: number; bits: number } | undefined;
  let offset = 12;
  while (offset + 8 <= buf.length) {
    const id = fourcc(view, offset);
    const declared = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === "fmt ") {
      if (declared < 16 || body + 16 > buf.length) throw new WavFormatError("readWav: fmt chunk shorter than 16 bytes");
      let tag = view.getUint16(body, true);
      if (tag === FORMAT_EXTENSIBLE) {
        if (declared < 40 || body + 40 > buf.length) {
          throw new WavFormatError("readWav: WAVE_FORMAT_EXTENSIBLE fmt chunk shorter than 40 bytes");
        }
        tag = view.getUint16(body + 24, true); // first two bytes of the SubFormat GUID
      }
      fmt = {
        tag,
        channels: view.getUint16(body + 2, true),
        rate: view.getUint32(body + 4, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === "data") {
      if (fmt === undefined) throw new WavFormatError("readWav: data chunk before fmt chunk");
      const available = buf.length - body;
      let size = declared;
      if (declared === 0 || declared === 0xffffffff) size = available;
      else if (declared > available) {
        throw new WavFormatError(`readWav: data chunk declares ${declared} bytes but only ${available} are present (truncated file)`);
      }
      return decodeData(fmt, buf.subarray(body, body + size));
    }
    offset = body + declared + (declared % 2); // chunks are word-aligned
  }
  throw new WavFormatError(fmt === undefined ? "readWav: no fmt chunk" : "readWav: no data chunk");
}

function decodeData(
  fmt: { tag: number; channels: number; rate: number; bits: number },
  data: Uint8Array,
): WavAudio {
  if (fmt.channels !== 1) throw new WavFormatError(`readWav: ${fmt.channels} channels; only mono is supported`);
  if (fmt.rate <= 0) throw new WavFormatError("readWav: sample rate is 0");
  if (fmt.tag === FORMAT_PCM) {
    if (fmt.bits !== 16) throw new WavFormatError(`readWav: ${fmt.bits}-bit PCM; only 16-bit PCM is supported`);
    const n = data.length >> 1;
    const samples = new Int16Array(n);
    const view = new DataView(data.buffer, data.byteOffset, n * 2);
    for (let i = 0; i < n; i++) samples[i] = view.getInt16(2 * i, true);
    return { encoding: "pcm16", sampleRate: fmt.rate, samples };
  }
  if (fmt.tag === FORMAT_MULAW) {
    if (fmt.bits !== 8) throw new WavFormatError(`readWav: ${fmt.bits}-bit mu-law; mu-law must be 8-bit`);
    return { encoding: "mulaw", sampleRate: fmt.rate, samples: new Uint8Array(data) }; // a copy, and a plain Uint8Array even for a Buffer
  }
  throw new WavFormatError(`readWav: format tag ${fmt.tag} is not supported (only 1 = PCM and 7 = mu-law)`);
}

/** Serialises mono PCM16 or mu-law as a WAV file (mu-law gets the 18-byte fmt and a fact chunk). */
export function writeWav(audio: WavAudio): Uint8Array {
  const { encoding, sampleRate, samples } = audio;
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) {
    throw new RangeError(`writeWav: sampleRate must be a positive integer, got ${String(sampleRate)}`);
  }
  let bytesPerSample: number;
  if (encoding === "pcm16") {
    if (!(samples instanceof Int16Array)) throw new TypeError("writeWav: pcm16 samples must be an Int16Array");
    bytesPerSample = 2;
  } else if (encoding === "mulaw") {
    if (!(samples instanceof Uint8Array)) throw new TypeError("writeWav: mulaw samples must be a Uint8Array");
    bytesPerSample = 1;
  } else {
    throw new RangeError(`writeWav: encoding must be "pcm16" or "mulaw", got ${JSON.stringify(encoding)}`);
  }
  const dataBytes = samples.length * bytesPerSample;
  const fmtBytes = encoding === "pcm16" ? 16 : 18;
  const factBytes = encoding === "pcm16" ? 0 : 12;
  const total = 12 + 8 + fmtBytes + factBytes + 8 + dataBytes + (dataBytes % 2);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  const writeId = (at: number, id: string): void => {
    for (let i = 0; i < 4; i++) view.setUint8(at + i, id.charCodeAt(i));
  };
  writeId(0, "RIFF");
  view.setUint32(4, total - 8, true);
  writeId(8, "WAVE");
  writeId(12, "fmt ");
  view.setUint32(16, fmtBytes, true);
  view.setUint16(20, encoding === "pcm16" ? FORMAT_PCM : FORMAT_MULAW, true);
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * bytesPerSample, true); // byte rate
  view.setUint16(32, bytesPerSample, true); // block align
  view.setUint16(34, bytesPerSample * 8, true);
  let at = 36;
  if (encoding === "mulaw") {
    view.setUint16(at, 0, true); // cbSize
    at += 2;
    writeId(at, "fact");
    view.setUint32(at + 4, 4, true);
    view.setUint32(at + 8, samples.length, true);
    at += 12;
  }
  writeId(at, "data");
  view.setUint32(at + 4, dataBytes, true);
  at += 8;
  if (encoding === "pcm16") {
    for (let i = 0; i < samples.length; i++) view.setInt16(at + 2 * i, samples[i]!, true);
  } else {
    out.set(samples, at);
  }
  return out;
}
