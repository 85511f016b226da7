import WebSocket from "ws";
import { base64DecodedLength, markName, ownedBuffer, parseMarkName, sliceTwilioMedia } from "./wire.ts";

/** Shared plain counters the per-frame path bumps; the service moves them into Prometheus once a second. */
export interface FrameCounters {
  framesIn: number;
  framesOut: number;
  appendsOut: number;
}

/** The `start` message's fields the call needs (docs/PROTOCOLS.md §1). */
export interface StreamStart {
  callSid: string | undefined;
  streamSid: string | undefined;
  token: string | undefined;
}

/** What the transport tells its call about. */
export interface MediaStreamEvents {
  start(start: StreamStart): void;
  /** Caller audio: base64 mu-law at `src[start..end)` (a slice of the raw frame; no copy made). */
  media(src: Buffer, start: number, end: number): void;
  stop(): void;
  /** The socket closed without a `stop` (a dropped connection, or our own close). */
  closed(): void;
  dtmf(digit: string): void;
}

/** Assistant audio of the item being played: what was sent, what Twilio says was played. */
interface PlayingItem {
  itemId: string;
  sentMs: number;
  lastMarkMs: number;
  firstSentAt: number;
  echoMs: number;
  echoAt: number;
  /** No more audio will come for this item. */
  done: boolean;
}

export interface BargeIn {
  itemId: string;
  /** How much of the item the caller heard (ms): where the model's item is truncated. */
  audioEndMs: number;
  sentMs: number;
}

const TWILIO_MEDIA_END = Buffer.from('"}}');

interface TwilioMessage {
  event?: string;
  streamSid?: string;
  start?: { streamSid?: string; callSid?: string; customParameters?: Record<string, string> };
  media?: { payload?: string };
  mark?: { name?: string };
  dtmf?: { digit?: string };
}

/**
 * Twilio Media Streams, bidirectional (docs/PROTOCOLS.md §1, §6): framing both ways, marks and the played
 * position of the assistant's audio, barge-in (`clear` + a new mark generation), playback waiters.
 * Knows nothing about the model: caller audio goes to `events.media`, assistant audio comes in as mu-law.
 */
export class MediaStreamTransport {
  readonly ws: WebSocket;
  streamSid: string | null = null;
  private readonly events: MediaStreamEvents;
  private readonly counters: FrameCounters;
  private readonly markIntervalMs: number;
  /** Set once `start` passed the token check: media frames take the fast path. */
  private live = false;
  private prefix: Buffer = Buffer.alloc(0);
  private generation = 0;
  private playing: PlayingItem | null = null;
  private readonly discardItems = new Set<string>();
  private playbackWaiters: Array<() => void> = [];

  constructor(ws: WebSocket, events: MediaStreamEvents, opts: { counters: FrameCounters; markIntervalMs: number }) {
    this.ws = ws;
    this.events = events;
    this.counters = opts.counters;
    this.markIntervalMs = opts.markIntervalMs;
    ws.on("message", (data: Buffer, isBinary: boolean) => this.onMessage(data, isBinary));
    ws.on("close", () => {
      this.releaseWaiters();
      this.events.closed();
    });
  }

  /** The call is live: caller audio flows and assistant audio may be sent on `streamSid`. */
  goLive(streamSid: string): void {
    this.streamSid = streamSid;
    this.prefix = ownedBuffer(`{"event":"media","streamSid":"${streamSid}","media":{"payload":"`);
    this.live = true;
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  close(code = 1000, reason?: string): void {
    this.live = false;
    this.releaseWaiters();
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
  }

  // ---- caller → us ------------------------------------------------------------------------------------------

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (isBinary) return;
    if (this.live) {
      const media = sliceTwilioMedia(data);
      if (media !== null) {
        this.counters.framesIn++;
        this.events.media(data, media.start, media.end);
        return;
      }
    }
    let msg: TwilioMessage;
    try {
      msg = JSON.parse(data.toString("utf8")) as TwilioMessage;
    } catch {
      return; // not JSON: nothing Twilio would send; ignored
    }
    switch (msg.event) {
      case "start":
        this.events.start({ callSid: msg.start?.callSid, streamSid: msg.streamSid ?? msg.start?.streamSid, token: msg.start?.customParameters?.callToken });
        return;
      case "media":
        // Before the call is live (token check, model connecting) caller audio is dropped: the model speaks first.
        if (this.live && msg.media?.payload) {
          this.counters.framesIn++;
          const b = Buffer.from(`"${msg.media.payload}"`, "latin1");
          this.events.media(b, 1, b.length - 1);
        }
        return;
      case "mark":
        if (msg.mark?.name) this.onMarkEcho(msg.mark.name);
        return;
      case "stop":
        this.live = false;
        this.events.stop();
        return;
      case "dtmf":
        if (msg.dtmf?.digit) this.events.dtmf(msg.dtmf.digit);
        return;
      default:
        return; // "connected" and anything newer
    }
  }

  // ---- us → caller ------------------------------------------------------------------------------------------

  /** Assistant audio as base64 mu-law at `buf[start..end)`, sent without decoding. */
  playBase64(itemId: string, buf: Buffer, start: number, end: number): void {
    if (this.discardItems.has(itemId) || !this.open) return;
    this.ws.send(Buffer.concat([this.prefix, buf.subarray(start, end), TWILIO_MEDIA_END]), { binary: false });
    this.played(itemId, base64DecodedLength(buf, start, end) / 8);
  }

  /** Assistant audio as raw mu-law bytes. */
  playMulaw(itemId: string, mulaw: Uint8Array): void {
    if (mulaw.length === 0 || this.discardItems.has(itemId) || !this.open) return;
    const b64 = Buffer.from(mulaw.buffer, mulaw.byteOffset, mulaw.length).toString("base64");
    this.ws.send(`{"event":"media","streamSid":"${this.streamSid}","media":{"payload":"${b64}"}}`);
    this.played(itemId, mulaw.length / 8);
  }

  /** No more audio for `itemId`: a final mark tells when the caller heard all of it. */
  itemDone(itemId: string): void {
    const p = this.playing;
    if (p && p.itemId === itemId && !this.discardItems.has(itemId)) {
      p.done = true;
      this.sendMark(p);
    }
  }

  private played(itemId: string, ms: number): void {
    this.counters.framesOut++;
    let p = this.playing;
    if (p === null || p.itemId !== itemId) {
      p = { itemId, sentMs: 0, lastMarkMs: 0, firstSentAt: Date.now(), echoMs: 0, echoAt: 0, done: false };
      this.playing = p;
    }
    p.sentMs += ms;
    if (p.sentMs - p.lastMarkMs >= this.markIntervalMs) this.sendMark(p);
  }

  private sendMark(p: PlayingItem): void {
    p.lastMarkMs = p.sentMs;
    this.ws.send(`{"event":"mark","streamSid":"${this.streamSid}","mark":{"name":"${markName(p.itemId, p.sentMs, this.generation)}"}}`);
  }

  private onMarkEcho(name: string): void {
    const m = parseMarkName(name);
    if (m === null || m.generation !== this.generation) return; // stale: flushed by a clear
    const p = this.playing;
    if (p === null || p.itemId !== m.itemId) return;
    if (m.sentMs >= p.echoMs) {
      p.echoMs = m.sentMs;
      p.echoAt = Date.now();
    }
    if (this.playbackIdle()) this.releaseWaiters();
  }

  /** Estimated ms of the current item the caller has heard: last echoed mark plus at most one mark interval. */
  playedMs(now = Date.now()): number {
    const p = this.playing;
    if (p === null) return 0;
    const interval = this.markIntervalMs;
    const since = p.echoAt > 0 ? p.echoMs + Math.min(now - p.echoAt, interval) : Math.min(now - p.firstSentAt, interval);
    return Math.max(0, Math.min(p.sentMs, Math.floor(since)));
  }

  playbackIdle(): boolean {
    const p = this.playing;
    return p === null || (p.done && p.echoMs >= Math.floor(p.sentMs));
  }

  /**
   * The caller talks over the assistant: empty Twilio's buffer, drop the rest of the item, and say where it
   * was cut (null when nothing is playing).
   */
  bargeIn(): BargeIn | null {
    const p = this.playing;
    if (p === null || this.playbackIdle()) return null;
    const audioEndMs = this.playedMs();
    this.ws.send(`{"event":"clear","streamSid":"${this.streamSid}"}`);
    this.generation++;
    this.discardItems.add(p.itemId);
    if (this.discardItems.size > 32) this.discardItems.delete(this.discardItems.values().next().value!);
    this.playing = null;
    this.releaseWaiters();
    return { itemId: p.itemId, audioEndMs, sentMs: Math.round(p.sentMs) };
  }

  /** Resolves once the caller heard everything sent (or after `maxMs`, or when the socket closes). */
  waitForPlayback(maxMs: number): Promise<void> {
    if (this.playbackIdle() || !this.open) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, maxMs);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.playbackWaiters.push(done);
    });
  }

  private releaseWaiters(): void {
    for (const w of this.playbackWaiters.splice(0)) w();
  }
}
