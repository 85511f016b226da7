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

const APPEND_PREFIX = '{"type":"input_audio_buffer.append","audio":"';
const APPEND_PREFIX_BUF = Buffer.from(APPEND_PREFIX);
const JSON_STRING_END = Buffer.from('"}');

/**
 * Audio between Twilio and a Realtime session: caller audio up as `input_audio_buffer.append` (G.711 μ-law
 * passed through, or converted to PCM16 24 kHz in pcm24k mode) and assistant audio down to the Media Stream
 * transport (converted back to μ-law 8 kHz in pcm24k mode).
 *
 * No fixed hold on the uplink: every caller frame goes to the model the moment it arrives, as its own append
 * (in pcmu mode the base64 text goes through as is). Only while the Realtime socket is backed up — bytes of
 * earlier sends still queued in the process (`bufferedAmount`), i.e. the kernel would not take them — are
 * frames coalesced, into appends of at most AUDIO_BATCH_MS; the send callback of the queued write sends the
 * batch once the socket has drained. Low load costs no delay and a congested socket still saves messages.
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
  /** One callback for every append (no allocation per send): the socket took a write; send what waited. */
  private readonly sent = (err?: Error | null): void => {
    if (!err && this.upLen > 0 && this.socket()?.bufferedAmount === 0) this.flush();
  };

  constructor(config: GatewayConfig, counters: FrameCounters, socket: () => WebSocket | null) {
    this.counters = counters;
    this.socket = socket;
    this.pcm = config.AUDIO_MODE === "pcm24k";
    this.batchBytes = config.AUDIO_BATCH_MS * (this.pcm ? 48 : 8);
    // Sized on first use: a call whose socket never backs up holds no batch buffer.
    this.upBuf = EMPTY;
    if (this.pcm) {
      this.upState = createTwilioToRealtimeState();
      this.downState = createRealtimeToTwilioState();
    }
  }

  /** One Twilio media payload (base64 text at `src[start, end)`). */
  append(src: Buffer, start: number, end: number): void {
    const rt = this.socket();
    if (rt === null || rt.readyState !== WebSocket.OPEN) return;
    const idle = this.upLen === 0 && rt.bufferedAmount === 0;
    if (!this.pcm) {
      if (idle) {
        // The frame goes up now, its base64 text as is: no decode, one write.
        rt.send(Buffer.concat([APPEND_PREFIX_BUF, src.subarray(start, end), JSON_STRING_END]), SEND_TEXT, this.sent);
        this.counters.appendsOut++;
        return;
      }
      const b64 = src.toString("latin1", start, end);
      this.reserve(base64StringDecodedLength(b64));
      this.upLen += this.upBuf.write(b64, this.upLen, "base64");
    } else {
      const mulaw = Buffer.from(src.toString("latin1", start, end), "base64");
      const need = mulaw.length * 6;
      if (idle) {
        const pcm = Buffer.allocUnsafe(need);
        twilioToRealtimePcm(mulaw, this.upState!, pcm);
        this.sendAppend(rt, pcm, need);
        return;
      }
      this.reserve(need);
      twilioToRealtimePcm(mulaw, this.upState!, this.upBuf.subarray(this.upLen, this.upLen + need));
      this.upLen += need;
    }
    // Backed up: the batch waits for the send callback, but never grows past AUDIO_BATCH_MS.
    if (this.upLen >= this.batchBytes) this.flush();
  }

  private reserve(need: number): void {
    if (this.upLen + need <= this.upBuf.length) return;
    if (this.upLen > 0) this.flush();
    if (need > this.upBuf.length) this.upBuf = Buffer.allocUnsafe(Math.max(need, this.batchBytes) + 4096);
  }

  private sendAppend(rt: WebSocket, audio: Buffer, len: number): void {
    rt.send(`${APPEND_PREFIX}${audio.toString("base64", 0, len)}"}`, SEND_TEXT, this.sent);
    this.counters.appendsOut++;
  }

  /** Sends what is batched (dropped when the socket is not open). */
  flush(): void {
    if (this.upLen === 0) return;
    const rt = this.socket();
    if (rt !== null && rt.readyState === WebSocket.OPEN) this.sendAppend(rt, this.upBuf, this.upLen);
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
