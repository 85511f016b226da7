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

const APPEND_PREFIX = '{"type":"input_audio_buffer.append","audio":"';
const APPEND_PREFIX_BUF = Buffer.from(APPEND_PREFIX);
const JSON_STRING_END = Buffer.from('"}');

/**
 * Audio between Twilio and a Realtime session: caller audio up as `input_audio_buffer.append` (G.711 μ-law
 * passed through, batched to AUDIO_BATCH_MS, or converted to PCM16 24 kHz in pcm24k mode) and assistant audio
 * down to the Media Stream transport (converted back to μ-law 8 kHz in pcm24k mode).
 */
export class RealtimeAudio {
  readonly pcm: boolean;
  private readonly counters: FrameCounters;
  /** The socket appends go to right now (it changes on rotation; null when closed). */
  private readonly socket: () => WebSocket | null;
  private readonly batchBytes: number;
  private upBuf: Buffer;
  private upLen = 0;
  private upState: TwilioToRealtimeState | null = null;
  private downState: RealtimeToTwilioState | null = null;

  constructor(config: GatewayConfig, counters: FrameCounters, socket: () => WebSocket | null) {
    this.counters = counters;
    this.socket = socket;
    this.pcm = config.AUDIO_MODE === "pcm24k";
    this.batchBytes = config.AUDIO_BATCH_MS * (this.pcm ? 48 : 8);
    this.upBuf = Buffer.allocUnsafe(this.batchBytes + 4096);
    if (this.pcm) {
      this.upState = createTwilioToRealtimeState();
      this.downState = createRealtimeToTwilioState();
    }
  }

  /** One Twilio media payload (base64 text at `src[start, end)`). */
  append(src: Buffer, start: number, end: number): void {
    const rt = this.socket();
    if (rt === null || rt.readyState !== WebSocket.OPEN) return;
    if (!this.pcm) {
      if (this.batchBytes <= 160 && this.upLen === 0) {
        // One frame per append: no decode at all, the base64 text goes through as is.
        rt.send(Buffer.concat([APPEND_PREFIX_BUF, src.subarray(start, end), JSON_STRING_END]), { binary: false });
        this.counters.appendsOut++;
        return;
      }
      const b64 = src.toString("latin1", start, end);
      const need = base64StringDecodedLength(b64);
      if (this.upLen + need > this.upBuf.length) this.growUp(need);
      this.upLen += this.upBuf.write(b64, this.upLen, "base64");
    } else {
      const mulaw = Buffer.from(src.toString("latin1", start, end), "base64");
      const need = mulaw.length * 6;
      if (this.upLen + need > this.upBuf.length) this.growUp(need);
      twilioToRealtimePcm(mulaw, this.upState!, this.upBuf.subarray(this.upLen, this.upLen + need));
      this.upLen += need;
    }
    if (this.upLen >= this.batchBytes) this.flush();
  }

  private growUp(need: number): void {
    this.flush();
    if (need > this.upBuf.length) this.upBuf = Buffer.allocUnsafe(need + this.batchBytes);
  }

  /** Sends what is batched (dropped when the socket is not open). */
  flush(): void {
    if (this.upLen === 0) return;
    const rt = this.socket();
    if (rt !== null && rt.readyState === WebSocket.OPEN) {
      rt.send(`${APPEND_PREFIX}${this.upBuf.toString("base64", 0, this.upLen)}"}`);
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
