/**
 * The CPU floor of a Media Streams ↔ Realtime relay in Node on this machine — not a product, a yardstick for
 * issue 15's CPU target. It does the least a relay can: RFC 6455 framing by hand on both sockets (no `ws`),
 * one socket write per message, caller media sliced out of the Twilio frame without JSON.parse and sent up as
 * an `input_audio_buffer.append` (masked with a random key, as a client must), audio deltas sliced out and sent
 * down as Twilio `media`. No signatures, no session state, no marks, no barge-in, no metrics, no fragmentation,
 * ping, close handshake or size limits. Whatever the gateway does, it costs at least this.
 *
 *   PORT=5060 UPSTREAM=ws://127.0.0.1:18765/v1/realtime?model=gpt-realtime node bench/floor-relay.ts
 *
 * `node bench/anchor-ab.ts … --floor` runs it beside ours and the sample under the shared harness.
 */
import { createHash, randomFillSync } from "node:crypto";
import http from "node:http";
import net from "node:net";

const PORT = Number(process.env.PORT ?? 5060);
const UP = new URL(process.env.UPSTREAM ?? "ws://127.0.0.1:18765/v1/realtime?model=gpt-realtime");
const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const PAYLOAD = Buffer.from('"payload":"');
const DELTA = Buffer.from('"delta":"');
const DELTA_TYPE = Buffer.from("output_audio.delta");
const APPEND = Buffer.from('{"type":"input_audio_buffer.append","audio":"');
const END2 = Buffer.from('"}');
const END3 = Buffer.from('"}}');
const SESSION = JSON.stringify({
  type: "session.update",
  session: { type: "realtime", audio: { input: { format: { type: "audio/pcmu" } }, output: { format: { type: "audio/pcmu" } } } },
});

let maskPool = Buffer.alloc(0);
let maskAt = 0;

/** One text frame from `parts`, masked with a fresh random key when `masked` (client → server). */
function frame(parts: Array<Buffer | string>, masked: boolean): Buffer {
  let len = 0;
  for (const p of parts) len += p.length;
  const hdr = len < 126 ? 2 : len < 65536 ? 4 : 10;
  const m = masked ? 4 : 0;
  const buf = Buffer.allocUnsafe(hdr + m + len);
  buf[0] = 0x81;
  const bit = masked ? 0x80 : 0;
  if (hdr === 2) buf[1] = len | bit;
  else if (hdr === 4) {
    buf[1] = 126 | bit;
    buf.writeUInt16BE(len, 2);
  } else {
    buf[1] = 127 | bit;
    buf.writeUInt32BE(0, 2);
    buf.writeUInt32BE(len, 6);
  }
  let o = hdr + m;
  for (const p of parts) o += typeof p === "string" ? buf.write(p, o, "latin1") : p.copy(buf, o);
  if (masked) {
    if (maskAt + 4 > maskPool.length) {
      maskPool = randomFillSync(Buffer.allocUnsafe(8192));
      maskAt = 0;
    }
    maskPool.copy(buf, hdr, maskAt, maskAt + 4);
    maskAt += 4;
    unmask(buf, hdr, hdr + 4, len);
  }
  return buf;
}

function unmask(buf: Buffer, key: number, start: number, len: number): void {
  const k = [buf[key]!, buf[key + 1]!, buf[key + 2]!, buf[key + 3]!];
  for (let i = 0; i < len; i++) buf[start + i]! ^= k[i & 3]!;
}

/** Reads frames from a byte stream; calls `onText(buf, start, end)` for each complete text frame. */
function frames(onText: (buf: Buffer, start: number, end: number) => void): (chunk: Buffer) => void {
  let rest: Buffer | null = null;
  return (chunk) => {
    const buf = rest ? Buffer.concat([rest, chunk]) : chunk;
    rest = null;
    let o = 0;
    while (buf.length - o >= 2) {
      const b1 = buf[o + 1]!;
      let len = b1 & 0x7f;
      let h = 2;
      if (len === 126) {
        if (buf.length - o < 4) break;
        len = buf.readUInt16BE(o + 2);
        h = 4;
      } else if (len === 127) {
        if (buf.length - o < 10) break;
        len = buf.readUInt32BE(o + 6);
        h = 10;
      }
      const key = o + h;
      if (b1 & 0x80) h += 4;
      if (buf.length - o < h + len) break;
      const s = o + h;
      if (b1 & 0x80) unmask(buf, key, s, len);
      if ((buf[o]! & 0x0f) === 1) onText(buf, s, s + len);
      o = s + len;
    }
    if (o < buf.length) rest = buf.subarray(o);
  };
}

const server = http.createServer((_req, res) => res.writeHead(404).end());
server.on("upgrade", (req, caller: net.Socket) => {
  const accept = createHash("sha1").update(`${req.headers["sec-websocket-key"]}${GUID}`).digest("base64");
  caller.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  caller.setNoDelay(true);
  let model: net.Socket | null = null;
  let open = false;
  let mediaPrefix: Buffer | null = null;
  const connectModel = () => {
    const m = net.connect(Number(UP.port), UP.hostname);
    model = m;
    m.setNoDelay(true);
    m.write(
      `GET ${UP.pathname}${UP.search} HTTP/1.1\r\nHost: ${UP.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomFillSync(Buffer.alloc(16)).toString("base64")}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer sk-floor\r\n\r\n`,
    );
    let head = "";
    const down = frames((buf, s) => {
      const t = buf.indexOf(DELTA_TYPE, s);
      if (t === -1 || t > s + 64 || mediaPrefix === null) return;
      const d = buf.indexOf(DELTA, s) + DELTA.length;
      caller.write(frame([mediaPrefix, buf.subarray(d, buf.indexOf(0x22, d)), END3], false));
    });
    m.on("data", (chunk: Buffer) => {
      if (open) return down(chunk);
      head += chunk.toString("latin1");
      const i = head.indexOf("\r\n\r\n");
      if (i === -1) return;
      open = true;
      m.write(frame([SESSION], true));
      const after = Buffer.from(head.slice(i + 4), "latin1");
      if (after.length > 0) down(after);
    });
    m.on("error", () => {});
    m.on("close", () => {
      open = false;
      caller.destroy();
    });
  };
  caller.on(
    "data",
    frames((buf, s, e) => {
      const p = buf.indexOf(PAYLOAD, s);
      if (p !== -1 && p < e) {
        if (open && model) {
          const ps = p + PAYLOAD.length;
          model.write(frame([APPEND, buf.subarray(ps, buf.indexOf(0x22, ps)), END2], true));
        }
        return;
      }
      const msg = JSON.parse(buf.toString("utf8", s, e)) as { event?: string; start?: { streamSid?: string } };
      if (msg.event === "start") {
        mediaPrefix = Buffer.from(`{"event":"media","streamSid":"${msg.start?.streamSid}","media":{"payload":"`);
        connectModel();
      } else if (msg.event === "stop") model?.destroy();
    }),
  );
  caller.on("error", () => {});
  caller.on("close", () => model?.destroy());
});
server.listen(PORT, "127.0.0.1", () => process.stdout.write(`floor relay on ${PORT} → ${UP.href}\n`));
