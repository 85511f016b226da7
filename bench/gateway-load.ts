/**
 * Gateway load: N concurrent calls through a telephony-gateway process.
 *
 *   node bench/gateway-load.ts [N ...]            default: 1 50 100 250
 *   BENCH_SECONDS=10 BENCH_WARMUP_SECONDS=3 AUDIO_MODE=pcmu node bench/gateway-load.ts 100
 *   BENCH_MAX_LOAD=1.5 node bench/gateway-load.ts 100 250   (each size waits for a 1-min load average < 1.5, ≤ 15 min)
 *
 * Each call is set up the way Twilio does it (signed /voice/incoming webhook, signed stream upgrade, `start` with
 * the single-use token), then the caller streams a 20 ms mu-law frame every 20 ms, and the model side answers
 * 2 s of real-time-paced 20 ms audio deltas after every 2 s of caller audio it received (listen 2 s, speak 2 s).
 * The caller plays what it gets and echoes marks when their audio has played.
 *
 * The two far ends are lean load drivers in this process (a Twilio media-stream client and a minimal Realtime
 * server), not the testing kit's emulators: those record every event for assertions, which at 250 calls would
 * cost more CPU than the gateway under test. Every frame carries (call, sequence) in its first bytes, so
 * forwarding latency is measured end to end on one clock:
 * - uplink: the caller sends a frame → the append carrying it reaches the model side, for every frame (any time a
 *   frame waits to be coalesced with later ones counts; "frames per append" says how much coalescing happened);
 * - downlink: the model side sends a delta → the caller receives it.
 * The gateway runs as `pnpm start` starts it (bench/gateway-start.ts: the start script's V8 settings included).
 * Gateway CPU comes from /proc/<pid>/stat over the measurement window; RSS per call is (RSS with N calls −
 * RSS idle) / N.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { DEMO_LOCATIONS } from "@orderline/db";
import { createTestDatabase } from "@orderline/db/testing";
import { encodeForm, freePort, startProcess, twilioSignature } from "@orderline/testing";
import WebSocket, { WebSocketServer } from "ws";
import { benchGatewayEnv, GATEWAY_DIR, gatewayStartCommand } from "./gateway-start.ts";
import { awaitQuietMachine, loadAverage, Samples, procStat } from "./measure.ts";

const PUBLIC = "https://voice.bench.test";
const FRAME_MS = 20;
const FRAME_BYTES = 160;
const LISTEN_MS = 2000;
const SPEAK_MS = 2000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const SIZES = process.argv.slice(2).map(Number).filter((n) => n > 0);

const out = (s = "") => process.stdout.write(`${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Frame tagging: bytes 0-1 call index, 2-5 sequence. The rest is a quiet mu-law signal (0xff = silence-ish).
function taggedFrame(call: number, seq: number): Buffer {
  const b = Buffer.alloc(FRAME_BYTES, 0xfe);
  b.writeUInt16BE(call, 0);
  b.writeUInt32BE(seq, 2);
  return b;
}

// ── state per call ─────────────────────────────────────────────────────────────────────────────────────────
interface BenchCall {
  index: number;
  callSid: string;
  twilio: WebSocket | undefined;
  model: WebSocket | undefined;
  streamSid: string;
  upSeq: number;
  upSent: Map<number, number>;
  upReceived: number;
  nextUpAt: number;
  downSeq: number;
  downSent: Map<number, number>;
  downReceived: number;
  heardCallerMs: number;
  speakingUntilSeq: number;
  nextDownAt: number;
  itemNo: number;
  playbackEnd: number;
}

const calls: BenchCall[] = [];
let measuring = false;
const upLatency = new Samples();
const downLatency = new Samples();
let appendsSeen = 0;
let framesSeen = 0;
let counted = { upSent: 0, upRecv: 0, downSent: 0, downRecv: 0 };
/** Frames sent during the measurement window and not yet received (a frame is lost if it never arrives). */
const inWindowUp = new Set<number>();
const inWindowDown = new Set<number>();
const key = (call: number, seq: number) => call * 1e7 + seq;

// ── the model side: a minimal Realtime server ────────────────────────────────────────────────────────────
async function startModelServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_q, r) => r.writeHead(404).end());
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  wss.on("connection", (ws: WebSocket, _req: IncomingMessage) => {
    ws.on("message", (data: Buffer) => {
      const text = data.toString("latin1");
      if (!text.startsWith('{"type":"input_audio_buffer.append"')) return; // session.update, response.create, marks…
      const now = performance.now();
      const audio = Buffer.from(text.slice(text.indexOf('"audio":"') + 9, text.lastIndexOf('"')), "base64");
      for (let off = 0; off + FRAME_BYTES <= audio.length; off += FRAME_BYTES) {
        const idx = audio.readUInt16BE(off);
        const seq = audio.readUInt32BE(off + 2);
        const c = calls[idx];
        if (!c) continue;
        if (c.model === undefined) c.model = ws;
        const sent = c.upSent.get(seq);
        if (sent !== undefined) {
          c.upSent.delete(seq);
          if (measuring) {
            upLatency.add(now - sent);
            framesSeen++;
          }
        }
        c.upReceived++;
        if (inWindowUp.delete(key(idx, seq))) counted.upRecv++;
        if (c.speakingUntilSeq <= c.downSeq) {
          c.heardCallerMs += FRAME_MS;
          if (c.heardCallerMs >= LISTEN_MS) {
            c.heardCallerMs = 0;
            c.speakingUntilSeq = c.downSeq + SPEAK_MS / FRAME_MS;
            c.itemNo++;
            c.nextDownAt = performance.now();
          }
        }
      }
      if (measuring) appendsSeen++;
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/v1/realtime`,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

// ── one tick drives every call: caller frames up, model deltas down (phases spread over the 20 ms) ──────────
function tick(): void {
  const now = performance.now();
  for (const c of calls) {
    if (c === undefined) continue; // placed concurrently: the array fills out of order
    const tw = c.twilio;
    if (!tw || tw.readyState !== WebSocket.OPEN) continue;
    while (c.nextUpAt <= now) {
      c.nextUpAt += FRAME_MS;
      const seq = ++c.upSeq;
      const payload = taggedFrame(c.index, seq).toString("base64");
      c.upSent.set(seq, performance.now());
      if (measuring) {
        counted.upSent++;
        inWindowUp.add(key(c.index, seq));
      }
      tw.send(
        `{"event":"media","sequenceNumber":"${seq + 1}","media":{"track":"inbound","chunk":"${seq}","timestamp":"${(seq - 1) * FRAME_MS}","payload":"${payload}"},"streamSid":"${c.streamSid}"}`,
      );
    }
    const m = c.model;
    if (!m || m.readyState !== WebSocket.OPEN) continue;
    while (c.downSeq < c.speakingUntilSeq && c.nextDownAt <= now) {
      c.nextDownAt += FRAME_MS;
      const seq = ++c.downSeq;
      c.downSent.set(seq, performance.now());
      if (measuring) {
        counted.downSent++;
        inWindowDown.add(key(c.index, seq));
      }
      m.send(
        `{"type":"response.output_audio.delta","event_id":"ev_${seq}","response_id":"resp_${c.itemNo}","item_id":"item_${c.index}_${c.itemNo}","output_index":0,"content_index":0,"delta":"${taggedFrame(c.index, seq).toString("base64")}"}`,
      );
      if (c.downSeq === c.speakingUntilSeq) {
        m.send(`{"type":"response.output_audio.done","event_id":"evd_${seq}","response_id":"resp_${c.itemNo}","item_id":"item_${c.index}_${c.itemNo}","output_index":0,"content_index":0}`);
      }
    }
  }
}

// ── the Twilio side: webhook, signed upgrade, start, frames; plays audio and echoes marks ──────────────────
async function placeCall(index: number, gatewayPort: number, authToken: string, accountSid: string): Promise<BenchCall> {
  const callSid = `CA${randomBytes(16).toString("hex")}`;
  const params = { AccountSid: accountSid, CallSid: callSid, From: `+1415${String(5_000_000 + index).padStart(7, "0")}`, To: DEMO_LOCATIONS.newYork.phone, CallStatus: "ringing", Direction: "inbound" };
  const res = await fetch(`http://127.0.0.1:${gatewayPort}/voice/incoming`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilioSignature(authToken, `${PUBLIC}/voice/incoming`, params) },
    body: encodeForm(params),
  });
  const xml = await res.text();
  const token = /name="callToken" value="([^"]+)"/.exec(xml)?.[1];
  if (!token) throw new Error(`call ${index}: no stream in TwiML: ${xml}`);
  const c: BenchCall = {
    index,
    callSid,
    twilio: undefined,
    model: undefined,
    streamSid: `MZ${randomBytes(16).toString("hex")}`,
    upSeq: 0,
    upSent: new Map(),
    upReceived: 0,
    nextUpAt: 0,
    downSeq: 0,
    downSent: new Map(),
    downReceived: 0,
    heardCallerMs: 0,
    speakingUntilSeq: 0,
    nextDownAt: 0,
    itemNo: 0,
    playbackEnd: 0,
  };
  calls[index] = c;
  const wssUrl = `${PUBLIC.replace(/^https/, "wss")}/voice/stream`;
  const ws = new WebSocket(`ws://127.0.0.1:${gatewayPort}/voice/stream`, { headers: { "x-twilio-signature": twilioSignature(authToken, wssUrl, {}) }, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  ws.on("message", (data: Buffer) => {
    const text = data.toString("latin1");
    if (text.startsWith('{"event":"media"')) {
      const now = performance.now();
      const frame = Buffer.from(text.slice(text.indexOf('"payload":"') + 11, text.lastIndexOf('"}}')), "base64");
      const seq = frame.readUInt32BE(2);
      const sent = c.downSent.get(seq);
      if (sent !== undefined) {
        c.downSent.delete(seq);
        if (measuring) downLatency.add(now - sent);
      }
      c.downReceived++;
      if (inWindowDown.delete(key(c.index, seq))) counted.downRecv++;
      c.playbackEnd = Math.max(c.playbackEnd, now) + frame.length / 8;
    } else if (text.startsWith('{"event":"mark"')) {
      // Echo once the audio queued before the mark has played.
      const delay = Math.max(0, c.playbackEnd - performance.now());
      const echo = text.replace('{"event":"mark"', '{"event":"mark","sequenceNumber":"0"');
      setTimeout(() => {
        if (ws.readyState === WebSocket.OPEN) ws.send(echo);
      }, delay);
    }
  });
  ws.send(JSON.stringify({ event: "connected", protocol: "Call", version: "1.0.0" }));
  ws.send(
    JSON.stringify({
      event: "start",
      sequenceNumber: "1",
      streamSid: c.streamSid,
      start: { streamSid: c.streamSid, accountSid, callSid, tracks: ["inbound"], customParameters: { callToken: token }, mediaFormat: { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 } },
    }),
  );
  c.twilio = ws;
  // Spread the calls' 20 ms phases so frames do not all arrive in the same millisecond.
  c.nextUpAt = performance.now() + 100 + Math.random() * FRAME_MS;
  return c;
}

let setupRetries = 0;

/** A call whose webhook got the static fallback (the gateway missed its webhook deadline) is placed again, twice at most. */
async function placeCallRetrying(index: number, gatewayPort: number, authToken: string, accountSid: string): Promise<BenchCall> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await placeCall(index, gatewayPort, authToken, accountSid);
    } catch (err) {
      if (attempt >= 2) throw err;
      setupRetries++;
    }
  }
}

async function run(n: number): Promise<Record<string, number | string>> {
  const accountSid = `AC${randomBytes(16).toString("hex")}`;
  const authToken = randomBytes(16).toString("hex");
  const db = await createTestDatabase({ seed: true });
  await db.db.updateTable("locations").set({ max_concurrent_calls: 1000 }).execute();
  const model = await startModelServer();
  const port = await freePort();
  const prefix = `bench-${randomBytes(3).toString("hex")}`;
  const gw = await startProcess({
    name: "telephony-gateway",
    cmd: "sh",
    args: ["-c", `exec ${gatewayStartCommand(process.env.BENCH_GATEWAY_NODE_ARGS)}`],
    cwd: GATEWAY_DIR,
    readyUrl: `http://127.0.0.1:${port}/readyz`,
    env: {
      ...benchGatewayEnv({ port, publicBaseUrl: PUBLIC, accountSid, authToken, realtimeUrl: model.url, databaseUrl: db.url, prefix }),
      LOG_LEVEL: "error",
      AUDIO_MODE: process.env.AUDIO_MODE ?? "pcmu",
      OPS_PORT: "",
      // Extra gateway settings for a comparison run, e.g. BENCH_GATEWAY_ENV="REALTIME_IDLE_TIMEOUT_MS=0".
      ...Object.fromEntries(
        (process.env.BENCH_GATEWAY_ENV ?? "")
          .split(/\s+/)
          .filter(Boolean)
          .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
      ),
    },
  });
  const pid = gw.pid;
  calls.length = 0;
  counted = { upSent: 0, upRecv: 0, downSent: 0, downRecv: 0 };
  inWindowUp.clear();
  inWindowDown.clear();
  upLatency.values = [];
  downLatency.values = [];
  appendsSeen = framesSeen = 0;
  setupRetries = 0;
  const ticker = setInterval(tick, 2);
  try {
    await sleep(500);
    if (process.env.BENCH_HEAP_SNAPSHOT) {
      process.kill(pid, "SIGUSR2");
      await sleep(5000);
    }
    const idle = procStat(pid);
    for (let i = 0; i < n; i += 10) {
      await Promise.all(Array.from({ length: Math.min(10, n - i) }, (_, k) => placeCallRetrying(i + k, port, authToken, accountSid)));
    }
    await sleep(WARMUP_SECONDS * 1000);
    if (process.env.BENCH_HEAP_SNAPSHOT) {
      process.kill(pid, "SIGUSR2");
      await sleep(8000);
    }
    const before = procStat(pid);
    const driverCpu0 = process.cpuUsage();
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const t0 = performance.now();
    measuring = true;
    await sleep(SECONDS * 1000);
    measuring = false;
    const elapsedS = (performance.now() - t0) / 1000;
    const after = procStat(pid);
    const prev = previous;
    previous = { calls: n, rssMb: after.rssMb };
    loop.disable();
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const metric = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)`, "m").exec(metrics)?.[1] ?? Number.NaN);
    const driverCpu = process.cpuUsage(driverCpu0);
    // Let in-flight frames land before counting losses.
    await sleep(500);
    const upLost = inWindowUp.size;
    const downLost = inWindowDown.size;
    return {
      calls: n,
      "cpu ms per call-second": ((after.cpuMs - before.cpuMs) / (n * elapsedS)).toFixed(2),
      "gateway cpu %": (((after.cpuMs - before.cpuMs) / (elapsedS * 1000)) * 100).toFixed(0),
      "rss MB per call": ((after.rssMb - idle.rssMb) / n).toFixed(3),
      "rss MB": after.rssMb.toFixed(0),
      // Marginal cost between two loads: excludes V8's one-off young/old generation growth once traffic starts.
      "rss MB per added call": prev && n > prev.calls ? ((after.rssMb - prev.rssMb) / (n - prev.calls)).toFixed(3) : "-",
      "up p50 ms": upLatency.pct(50).toFixed(2),
      "up p90 ms": upLatency.pct(90).toFixed(2),
      "up p99 ms": upLatency.pct(99).toFixed(2),
      "down p50 ms": downLatency.pct(50).toFixed(2),
      "down p90 ms": downLatency.pct(90).toFixed(2),
      "down p99 ms": downLatency.pct(99).toFixed(2),
      "down max ms": downLatency.pct(100).toFixed(1),
      "frames per append": (framesSeen / Math.max(1, appendsSeen)).toFixed(2),
      "frames up sent/lost": `${counted.upSent}/${upLost}`,
      "frames down sent/lost": `${counted.downSent}/${downLost}`,
      "call setups retried": setupRetries,
      "gw loop lag p99 ms": (metric("nodejs_eventloop_lag_p99_seconds") * 1000).toFixed(1),
      "gw loop lag max ms": (metric("nodejs_eventloop_lag_max_seconds") * 1000).toFixed(1),
      "driver cpu %": (((driverCpu.user + driverCpu.system) / 1000 / (elapsedS * 1000)) * 100).toFixed(0),
      "driver loop delay p99 ms": (loop.percentile(99) / 1e6).toFixed(1),
    };
  } finally {
    clearInterval(ticker);
    for (const c of calls) c?.twilio?.close();
    if (process.env.BENCH_GATEWAY_NODE_ARGS) out(gw.logs().split("\n").filter((l) => l.includes("ms: ") || l.includes("Mark")).slice(-40).join("\n"));
    await gw.stop();
    await model.close();
    await db.close();
  }
}

let previous: { calls: number; rssMb: number } | undefined;
const sizes = SIZES.length > 0 ? SIZES : [1, 50, 100, 250];
out(`gateway load: ${SECONDS} s window after ${WARMUP_SECONDS} s warm-up, AUDIO_MODE=${process.env.AUDIO_MODE ?? "pcmu"}`);
const rows: Record<string, number | string>[] = [];
for (const n of sizes) {
  const quiet = await awaitQuietMachine(out);
  const row = { ...(await run(n)), "load avg at start": quiet.gaveUp ? `${quiet.load} (gave up waiting)` : String(quiet.load), "load avg at end": String(loadAverage()) };
  rows.push(row);
  out(JSON.stringify(row));
}
console.table(rows);
process.exit(0);
