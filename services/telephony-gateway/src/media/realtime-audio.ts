import {
  createRealtimeToTwilioState,
  createTwilioToRealtimeState,
  type RealtimeToTwilioState,
  realtimePcmToTwilio,
  type TwilioToRealtimeState,
  twilioToRealtimePcm,
} from "@orderline/audio";
import WebSocket from "ws";
import type { GatewayConfig } from "../env.ts";
import type { FrameCounters, MediaStreamTransport } from "./media-stream.ts";
import { base64StringDecodedLength } from "./wire.ts";

const EMPTY = Buffer.alloc(0);
const SEND_TEXT = { binary: false } as const;
/** While the Realtime socket is backed up, how often to look whether it drained. */
const DRAIN_CHECK_MS = 5;

const APPEND_PREFIX = '{"type":"input_audio_buffer.append","audio":"';
const APPEND_PREFIX_BUF = Buffer.from(APPEND_PREFIX);
const JSON_STRING_END = Buffer.from('"}');

/**
 * Audio between Twilio and a Realtime session: caller audio up as `input_audio_buffer.append` (G.711 μ-law
 * passed through, or converted to PCM16 24 kHz in pcm24k mode) and assistant audio down to the Media Stream
 * transport (converted back to μ-law 8 kHz in pcm24k mode).
 *
 * No fixed hold on the uplink: a caller frame goes to the model as soon as the read that brought it is handled
 * (a microtask later), as its own append — in pcmu mode its base64 text as is. Frames are coalesced only when
 * something is backed up: several frames of the call in one read (the process fell behind its input), or the
 * Realtime socket still holding bytes of earlier sends (`bufferedAmount`: the kernel would not take them), in
 * which case the batch goes once the socket has drained (checked every DRAIN_CHECK_MS while it is backed up).
 * Appends never exceed AUDIO_BATCH_MS. Low load costs no delay; high load still saves messages.
 */
export class RealtimeAudio {
  readonly pcm: boolean;
  private readonly counters: FrameCounters;
  /** The socket appends go to right now (it changes on rotation; null when closed). */
  private readonly socket: () => WebSocket | null;
  private readonly batchBytes: number;
  /** pcmu: a frame alone so far in this read (base64 text), sent as is when the read is done. */
  private lone: Buffer | null = null;
  private upBuf: Buffer = EMPTY;
  private upLen = 0;
  private releaseQueued = false;
  private drainCheck: NodeJS.Timeout | null = null;
  private upState: TwilioToRealtimeState | null = null;
  private downState: RealtimeToTwilioState | null = null;
  /** The read is handled: send what came in it, unless the socket is backed up. */
  private readonly release = (): void => {
    this.releaseQueued = false;
    const rt = this.socket();
    if (rt === null || rt.readyState !== WebSocket.OPEN) {
      this.lone = null;
      this.upLen = 0;
      return;
    }
    if (rt.bufferedAmount > 0) {
      if (this.lone !== null) this.coalesceLone(); // waits with the rest until the socket drains
      if (this.drainCheck === null) {
        this.drainCheck = setTimeout(this.drained, DRAIN_CHECK_MS);
        this.drainCheck.unref();
      }
      return;
    }
    const lone = this.lone;
    if (lone !== null) {
      this.lone = null;
      rt.send(Buffer.concat([APPEND_PREFIX_BUF, lone, JSON_STRING_END]), SEND_TEXT);
      this.counters.appendsOut++;
    } else this.flush();
  };
  private readonly drained = (): void => {
    this.drainCheck = null;
    if (!this.releaseQueued) this.release();
  };

  constructor(config: GatewayConfig, counters: FrameCounters, socket: () => WebSocket | null) {
    this.counters = counters;
    this.socket = socket;
    this.pcm = config.AUDIO_MODE === "pcm24k";
    this.batchBytes = config.AUDIO_BATCH_MS * (this.pcm ? 48 : 8);
    if (this.pcm) {
      this.upState = createTwilioToRealtimeState();
      this.downState = createRealtimeToTwilioState();
    }
  }

  /** One Twilio media payload (base64 text at `src[start, end)`; the buffer is not reused by the socket). */
  append(src: Buffer, start: number, end: number): void {
    const rt = this.socket();
    if (rt === null || rt.readyState !== WebSocket.OPEN) return;
    if (!this.releaseQueued) {
      this.releaseQueued = true;
      queueMicrotask(this.release);
    }
    if (!this.pcm && this.lone === null && this.upLen === 0) {
      this.lone = src.subarray(start, end);
      return;
    }
    if (this.lone !== null) this.coalesceLone();
    if (!this.pcm) {
      const b64 = src.toString("latin1", start, end);
      this.reserve(base64StringDecodedLength(b64));
      this.upLen += this.upBuf.write(b64, this.upLen, "base64");
    } else {
      const mulaw = Buffer.from(src.toString("latin1", start, end), "base64");
      const need = mulaw.length * 6;
      this.reserve(need);
      twilioToRealtimePcm(mulaw, this.upState!, this.upBuf.subarray(this.upLen, this.upLen + need));
      this.upLen += need;
    }
    if (this.upLen >= this.batchBytes) this.flush();
  }

  /** The lone frame gets company: it opens a batch (decoded, so frames can be joined). */
  private coalesceLone(): void {
    const b64 = this.lone!.toString("latin1");
    this.lone = null;
    this.reserve(base64StringDecodedLength(b64));
    this.upLen += this.upBuf.write(b64, this.upLen, "base64");
  }

  private reserve(need: number): void {
    if (this.upLen + need <= this.upBuf.length) return;
    if (this.upLen > 0) this.flush();
    // Sized on first use: a call that never coalesces holds no batch buffer.
    // Outside Buffer's shared pool: a long-lived slice of a pool slab would keep all 64 KB of it alive.
    if (need > this.upBuf.length) this.upBuf = Buffer.allocUnsafeSlow(Math.max(need, this.batchBytes) + 4096);
  }

  /** Sends what is batched (dropped when the socket is not open). */
  flush(): void {
    if (this.lone !== null) this.coalesceLone();
    if (this.upLen === 0) return;
    const rt = this.socket();
    if (rt !== null && rt.readyState === WebSocket.OPEN) {
      rt.send(`${APPEND_PREFIX}${this.upBuf.toString("base64", 0, this.upLen)}"}`, SEND_TEXT);
      this.counters.appendsOut++;
    }
    this.upLen = 0;
  }

  /** Assistant audio (base64 text at `buf[start, end)`) of `itemId` to the caller. */
  play(transport: MediaStreamTransport, buf: Buffer, start: number, end: number, itemId: string): void {
    if (!this.pcm) {
      transport.playBase64(itemId, buf, start, end);
      return;
    }
    const pcm = Buffer.from(buf.toString("latin1", start, end), "base64");
    transport.playMulaw(itemId, realtimePcmToTwilio(pcm, this.downState!));
  }
}
