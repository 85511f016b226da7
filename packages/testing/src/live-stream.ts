import { WebSocket } from "ws";
import { FRAME_BYTES, FRAME_MS, MULAW_BYTES_PER_MS, silenceMuLaw } from "./audio.ts";
import type { AssistantTurn, CallBehaviour, CloudContext, StreamOutcome, StreamRecord } from "./call-types.ts";
import { newSid } from "./call-util.ts";
import type { SimulatedCall } from "./simulated-call.ts";
import { twilioSignature } from "./signature.ts";
import { StreamCaller } from "./stream-caller.ts";

/** Twilio buffers at most 10 minutes of outbound audio (warning 31931 beyond). */
const MAX_BUFFER_BYTES = 10 * 60 * 1000 * MULAW_BYTES_PER_MS;

type PlaybackItem = { kind: "audio"; bytes: Buffer; offset: number } | { kind: "mark"; name: string };

/** One `<Connect><Stream>` session: handshake, media clock, caller script, playback of gateway audio. */
export class LiveStream {
  readonly record: StreamRecord;
  mediaMs = 0;
  readonly call: SimulatedCall;
  private readonly cloud: CloudContext;
  private readonly turnGapMs: number;
  private readonly maxCallMs: number;
  private ws: WebSocket | undefined;
  private seq = 0;
  private chunk = 0;
  private playback: PlaybackItem[] = [];
  private outAudio: Buffer = Buffer.alloc(0);
  private speaking = false;
  private speechEnd: { mediaMs: number; wall: number } | undefined;
  private turn: AssistantTurn | undefined;
  private turnChunks: Buffer[] = [];
  private lastPlayedMediaMs = 0;
  private readonly caller: StreamCaller;
  private readonly inboundFrameMs: number;
  private pendingFrames: Buffer[] = [];
  private sentMediaMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private finished = false;
  private resolve!: (o: StreamOutcome) => void;

  constructor(call: SimulatedCall, cloud: CloudContext, url: string, customParameters: Record<string, string>, behaviour: CallBehaviour) {
    this.call = call;
    this.cloud = cloud;
    this.caller = new StreamCaller(this, behaviour.caller ?? []);
    this.turnGapMs = behaviour.turnGapMs ?? 400;
    this.maxCallMs = behaviour.maxCallMs ?? 300_000;
    this.inboundFrameMs = behaviour.inboundFrameMs ?? FRAME_MS;
    if (!Number.isInteger(this.inboundFrameMs / FRAME_MS) || this.inboundFrameMs < FRAME_MS) {
      throw new RangeError(`inboundFrameMs must be a positive multiple of ${FRAME_MS}, got ${this.inboundFrameMs}`);
    }
    this.record = {
      url,
      connectedTo: cloud.transport(url),
      signature: twilioSignature(cloud.authToken, url, {}),
      streamSid: newSid("MZ"),
      customParameters,
      outcome: undefined,
      closeCode: undefined,
      handshakeStatus: undefined,
      framesSent: 0,
      framesReceived: 0,
      messagesReceived: 0,
      stopSent: false,
    };
  }

  run(onStarted: () => void): Promise<StreamOutcome> {
    const done = new Promise<StreamOutcome>((r) => {
      this.resolve = r;
    });
    const ws = new WebSocket(this.record.connectedTo, {
      headers: { "x-twilio-signature": this.record.signature, "user-agent": "Twilio.TmeWs/1.0" },
      handshakeTimeout: this.cloud.webhookTimeoutMs,
    });
    this.ws = ws;
    ws.on("unexpected-response", (_req, res) => {
      this.record.handshakeStatus = res.statusCode;
      this.call.error(`stream handshake to ${this.record.url} refused with HTTP ${res.statusCode}`, 31920);
      res.resume();
      ws.terminate();
      this.finish("handshake-failed");
    });
    ws.on("error", (err) => {
      if (this.record.handshakeStatus !== undefined) return;
      if (ws.readyState === WebSocket.CONNECTING || !this.record.framesSent) {
        this.call.error(`stream ${this.record.url}: ${err.message}`, 31920);
        this.finish("handshake-failed");
      } else this.call.record("stream-socket-error", { message: err.message });
    });
    ws.on("open", () => {
      this.record.handshakeStatus = 101;
      this.call.record("stream-open", { url: this.record.url, streamSid: this.record.streamSid });
      this.send({ event: "connected", protocol: "Call", version: "1.0.0" });
      this.send({
        event: "start",
        sequenceNumber: this.nextSeq(),
        streamSid: this.record.streamSid,
        start: {
          streamSid: this.record.streamSid,
          accountSid: this.cloud.accountSid,
          callSid: this.call.sid,
          tracks: ["inbound"],
          customParameters: this.record.customParameters,
          mediaFormat: { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 },
        },
      });
      onStarted();
      this.startClock();
    });
    ws.on("message", (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on("close", (code) => {
      this.record.closeCode ??= code;
      if (!this.finished) {
        this.call.record("stream-closed-by-server", { code });
        this.finish("closed-by-server");
      }
    });
    return done;
  }

  /** Ends the stream from Twilio's side: `stop`, then close (caller hung up / REST redirect / time limit). */
  end(outcome: StreamOutcome): void {
    if (this.finished) return;
    if (this.ws?.readyState === WebSocket.OPEN) {
      this.send({
        event: "stop",
        sequenceNumber: this.nextSeq(),
        streamSid: this.record.streamSid,
        stop: { accountSid: this.cloud.accountSid, callSid: this.call.sid },
      });
      this.record.stopSent = true;
      this.ws.close(1000);
    } else this.ws?.terminate();
    this.finish(outcome);
  }

  private finish(outcome: StreamOutcome): void {
    if (this.finished) return;
    this.finished = true;
    this.record.outcome = outcome;
    if (this.timer) clearTimeout(this.timer);
    this.endTurn(false);
    this.call.record("stream-ended", { outcome, closeCode: this.record.closeCode });
    this.resolve(outcome);
  }

  private nextSeq(): string {
    this.seq += 1;
    return String(this.seq);
  }

  private send(msg: Record<string, unknown>): void {
    if (this.ws?.readyState !== WebSocket.OPEN) return;
    this.ws.send(JSON.stringify(msg));
    if (msg["event"] !== "media") this.call.record("stream-sent", { event: msg["event"], message: msg });
  }

  private startClock(): void {
    const start = performance.now();
    let n = 0;
    const tick = () => {
      if (this.finished) return;
      this.onTick();
      n += 1;
      if (this.finished) return;
      const due = start + n * FRAME_MS * this.cloud.timeScale;
      this.timer = setTimeout(tick, Math.max(0, due - performance.now()));
    };
    this.timer = setTimeout(tick, FRAME_MS * this.cloud.timeScale);
  }

  // ── gateway → Twilio ──────────────────────────────────────────────────────────────────────────────

  private violation(message: string): void {
    this.call.error(`stream protocol: ${message}`, 31951);
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    this.record.messagesReceived += 1;
    if (isBinary) {
      this.violation("binary frame received; Twilio expects JSON text frames");
      return;
    }
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(data.toString("utf8"));
    } catch {
      this.violation(`message is not JSON: ${data.toString("utf8").slice(0, 80)}`);
      return;
    }
    if (msg["streamSid"] !== this.record.streamSid) {
      this.violation(`"${String(msg["event"])}" carries streamSid ${JSON.stringify(msg["streamSid"])}, expected ${this.record.streamSid}`);
      return;
    }
    switch (msg["event"]) {
      case "media": {
        const media = msg["media"] as { payload?: unknown } | undefined;
        if (typeof media?.payload !== "string") {
          this.violation("media without media.payload string");
          return;
        }
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(media.payload)) {
          this.violation("media.payload is not base64");
          return;
        }
        const bytes = Buffer.from(media.payload, "base64");
        this.record.framesReceived += 1;
        if (bytes.length === 0) return;
        if (!this.turn) this.startTurn();
        this.turn!.bytesReceived += bytes.length;
        if (this.speechEnd) {
          this.call.latencies.push({
            speechEndMediaMs: this.speechEnd.mediaMs,
            mediaMs: this.mediaMs - this.speechEnd.mediaMs,
            wallMs: Math.round(this.call.wallNow - this.speechEnd.wall),
          });
          this.call.record("latency", { ...this.call.latencies.at(-1) });
          this.speechEnd = undefined;
        }
        const buffered = this.playback.reduce((n, p) => n + (p.kind === "audio" ? p.bytes.length - p.offset : 0), 0);
        if (buffered + bytes.length > MAX_BUFFER_BYTES) {
          this.call.error("more than 10 minutes of audio buffered for playback; Twilio drops the excess (warning 31931)", 31931);
          return;
        }
        this.playback.push({ kind: "audio", bytes, offset: 0 });
        return;
      }
      case "mark": {
        const name = (msg["mark"] as { name?: unknown } | undefined)?.name;
        if (typeof name !== "string") {
          this.violation("mark without mark.name string");
          return;
        }
        this.call.marksReceived.push(name);
        this.call.record("mark", { name });
        if (!this.playback.some((p) => p.kind === "audio")) this.echoMark(name);
        else this.playback.push({ kind: "mark", name });
        return;
      }
      case "clear": {
        let dropped = 0;
        const flushed: string[] = [];
        for (const p of this.playback) {
          if (p.kind === "audio") dropped += p.bytes.length - p.offset;
          else flushed.push(p.name);
        }
        this.playback = [];
        this.call.clears.push({ mediaMs: this.mediaMs, droppedBytes: dropped, marksFlushed: flushed });
        this.call.record("clear", { droppedBytes: dropped, marksFlushed: flushed });
        if (this.turn) this.endTurn(true);
        for (const name of flushed) this.echoMark(name);
        return;
      }
      default:
        this.violation(`unknown event ${JSON.stringify(msg["event"])} (Twilio accepts media, mark, clear)`);
        return;
    }
  }

  private echoMark(name: string): void {
    this.call.marksEchoed.push(name);
    this.turn?.marks.push(name);
    this.send({ event: "mark", sequenceNumber: this.nextSeq(), streamSid: this.record.streamSid, mark: { name } });
  }

  private startTurn(): void {
    this.turn = {
      index: this.call.heard.length,
      startMediaMs: this.mediaMs,
      endMediaMs: undefined,
      bytesReceived: 0,
      bytesPlayed: 0,
      playedMs: 0,
      cleared: false,
      marks: [],
      audio: Buffer.alloc(0),
    };
    this.turnChunks = [];
    this.call.heard.push(this.turn);
    this.call.record("turn-start", { index: this.turn.index });
  }

  private endTurn(cleared: boolean): void {
    const t = this.turn;
    if (!t) return;
    t.cleared = cleared;
    t.endMediaMs = this.mediaMs;
    t.audio = Buffer.concat(this.turnChunks);
    this.turn = undefined;
    this.call.record("turn-end", { index: t.index, playedMs: t.playedMs, bytesReceived: t.bytesReceived, cleared });
  }

  /** Plays up to one frame of queued gateway audio; echoes marks reached. */
  private play(): void {
    let budget = FRAME_BYTES;
    while (this.playback.length > 0) {
      const head = this.playback[0]!;
      if (head.kind === "mark") {
        this.playback.shift();
        this.echoMark(head.name);
        continue;
      }
      if (budget === 0) break;
      const take = Math.min(budget, head.bytes.length - head.offset);
      const chunk = head.bytes.subarray(head.offset, head.offset + take);
      head.offset += take;
      budget -= take;
      if (this.turn) {
        this.turn.bytesPlayed += take;
        this.turn.playedMs = this.turn.bytesPlayed / MULAW_BYTES_PER_MS;
        this.turnChunks.push(chunk);
      }
      this.lastPlayedMediaMs = this.mediaMs;
      if (head.offset >= head.bytes.length) this.playback.shift();
    }
    if (this.turn && this.playback.length === 0 && this.mediaMs - this.lastPlayedMediaMs >= this.turnGapMs) this.endTurn(false);
  }

  // ── Twilio → gateway: the media clock ─────────────────────────────────────────────────────────────

  private onTick(): void {
    this.mediaMs += FRAME_MS;
    this.call.notify();
    this.play();
    this.caller.step();
    if (this.finished) return;
    let frame: Buffer;
    if (this.outAudio.length > 0) {
      frame = this.outAudio.subarray(0, FRAME_BYTES);
      this.outAudio = this.outAudio.subarray(frame.length);
      if (frame.length < FRAME_BYTES) frame = Buffer.concat([frame, silenceMuLaw((FRAME_BYTES - frame.length) / MULAW_BYTES_PER_MS)]);
      if (this.outAudio.length === 0 && this.speaking) {
        this.speaking = false;
        this.speechEnd = { mediaMs: this.mediaMs, wall: this.call.wallNow };
        this.call.record("caller-speech-end", { mediaMs: this.mediaMs });
      }
    } else frame = silenceMuLaw(FRAME_MS);
    this.pendingFrames.push(frame);
    if (this.pendingFrames.length * FRAME_MS >= this.inboundFrameMs) {
      const payload = Buffer.concat(this.pendingFrames);
      this.pendingFrames = [];
      this.chunk += 1;
      this.record.framesSent += 1;
      this.send({
        event: "media",
        sequenceNumber: this.nextSeq(),
        streamSid: this.record.streamSid,
        media: { track: "inbound", chunk: String(this.chunk), timestamp: String(this.sentMediaMs), payload: payload.toString("base64") },
      });
      this.sentMediaMs += payload.length / MULAW_BYTES_PER_MS;
    }
    if (this.call.elapsedMs >= this.maxCallMs) {
      this.call.error(`call exceeded maxCallMs (${this.maxCallMs} ms); hanging up`);
      this.end("max-call-time");
    }
  }

  speak(audio: Buffer, text: string | undefined): void {
    this.outAudio = Buffer.concat([this.outAudio, audio]);
    this.speaking = true;
    this.speechEnd = undefined;
    this.call.record("caller-speech-start", { mediaMs: this.mediaMs, ms: audio.length / MULAW_BYTES_PER_MS, text });
  }

  // ── what the scripted caller may do (StreamCallerHost) ────────────────────────────────────────────
  get ended(): boolean {
    return this.finished;
  }

  get currentTurn(): AssistantTurn | undefined {
    return this.turn;
  }

  /** Caller audio still queued to send. */
  get callerSpeaking(): boolean {
    return this.outAudio.length > 0;
  }

  sendDtmf(digit: string): void {
    this.send({ event: "dtmf", streamSid: this.record.streamSid, sequenceNumber: this.nextSeq(), dtmf: { track: "inbound_track", digit } });
  }
}
