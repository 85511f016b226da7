/**
 * Per-frame cost of the gateway's audio path (@orderline/audio): ns per 20 ms frame.
 * Run: node bench/audio.ts [--rounds N] [--ms-per-round M] [--only SUBSTRING]
 * On a shared machine trust the min column more than the median.
 *
 * A call produces 50 frames a second in each direction, so "core % per call" = ns/frame * 50 / 1e9:
 * the share of one core one call's audio costs in that operation.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import {
  createDownsampleState,
  createRealtimeToTwilioState,
  createTwilioToRealtimeState,
  createUpsampleState,
  decodeMuLaw,
  downsample24kTo8k,
  encodeMuLaw,
  generateSpeechLike,
  realtimePcmToTwilio,
  twilioToRealtimePcm,
  upsample8kTo24k,
} from "../packages/audio/src/index.ts";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "7" },
    "ms-per-round": { type: "string", default: "150" },
    only: { type: "string" },
  },
});
const rounds = Number(values.rounds);
const msPerRound = Number(values["ms-per-round"]);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a positive integer, got ${values.rounds}`);
if (!(msPerRound > 0)) throw new Error(`--ms-per-round must be > 0, got ${values["ms-per-round"]}`);

// One second of speech-like audio in both formats, cut into 20 ms frames (cycled through, so the
// data varies like a real call's).
const FRAMES = 50;
const speech8k = generateSpeechLike({ ms: 1000, rate: 8000, seed: 1 });
const speech24k = generateSpeechLike({ ms: 1000, rate: 24000, seed: 2 });
const mulawFrames = Array.from({ length: FRAMES }, (_, i) => encodeMuLaw(speech8k.subarray(i * 160, i * 160 + 160)));
const pcm8kFrames = Array.from({ length: FRAMES }, (_, i) => speech8k.subarray(i * 160, i * 160 + 160));
const pcm24kFrames = Array.from({ length: FRAMES }, (_, i) => speech24k.subarray(i * 480, i * 480 + 480));
const pcm24kByteFrames = pcm24kFrames.map((f) => new Uint8Array(f.buffer.slice(f.byteOffset, f.byteOffset + f.byteLength)));
const mulawB64 = mulawFrames.map((f) => Buffer.from(f).toString("base64"));
const pcmB64 = pcm24kByteFrames.map((f) => Buffer.from(f).toString("base64"));

const i16_160 = new Int16Array(160);
const i16_480 = new Int16Array(480);
const u8_160 = new Uint8Array(160);
const u8_960 = new Uint8Array(960);
const up = createUpsampleState();
const down = createDownsampleState();
const toModel = createTwilioToRealtimeState();
const toCaller = createRealtimeToTwilioState();
const toModelAlloc = createTwilioToRealtimeState();
const toCallerAlloc = createRealtimeToTwilioState();
const toModelB64 = createTwilioToRealtimeState();
const toCallerB64 = createRealtimeToTwilioState();

let sink = 0; // consumed so the work cannot be optimised away

const cases: Array<[string, (i: number) => void]> = [
  ["decodeMuLaw 160 B -> 160 samples (dst)", (i) => { sink += decodeMuLaw(mulawFrames[i]!, i16_160)[7]!; }],
  ["encodeMuLaw 160 samples -> 160 B (dst)", (i) => { sink += encodeMuLaw(pcm8kFrames[i]!, u8_160)[7]!; }],
  ["upsample8kTo24k 160 -> 480 (state, dst)", (i) => { sink += upsample8kTo24k(pcm8kFrames[i]!, up, i16_480)[7]!; }],
  ["downsample24kTo8k 480 -> 160 (state, dst)", (i) => { sink += downsample24kTo8k(pcm24kFrames[i]!, down, i16_160)[7]!; }],
  ["twilioToRealtimePcm 160 B -> 960 B (dst)", (i) => { sink += twilioToRealtimePcm(mulawFrames[i]!, toModel, u8_960)[7]!; }],
  ["twilioToRealtimePcm (allocating)", (i) => { sink += twilioToRealtimePcm(mulawFrames[i]!, toModelAlloc)[7]!; }],
  ["realtimePcmToTwilio 960 B -> 160 B (dst)", (i) => { sink += realtimePcmToTwilio(pcm24kByteFrames[i]!, toCaller, u8_160)[7]!; }],
  ["realtimePcmToTwilio (allocating)", (i) => { sink += realtimePcmToTwilio(pcm24kByteFrames[i]!, toCallerAlloc)[7]!; }],
  [
    "inbound incl. base64 (Twilio b64 -> Realtime b64)",
    (i) => {
      const out = twilioToRealtimePcm(Buffer.from(mulawB64[i]!, "base64"), toModelB64, u8_960);
      sink += Buffer.from(out.buffer, out.byteOffset, out.byteLength).toString("base64").length;
    },
  ],
  [
    "outbound incl. base64 (Realtime b64 -> Twilio b64)",
    (i) => {
      const out = realtimePcmToTwilio(Buffer.from(pcmB64[i]!, "base64"), toCallerB64, u8_160);
      sink += Buffer.from(out.buffer, out.byteOffset, out.byteLength).toString("base64").length;
    },
  ],
];

function measure(fn: (i: number) => void): { min: number; median: number } {
  // Calibrate: how many frames fit in one round.
  let iterations = 1000;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < iterations; k++) fn(k % FRAMES);
    const ns = Number(process.hrtime.bigint() - t0);
    if (ns > 20e6) {
      iterations = Math.max(1000, Math.round((iterations * msPerRound * 1e6) / ns));
      break;
    }
    iterations *= 4;
  }
  const perFrame: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < iterations; k++) fn(k % FRAMES);
    perFrame.push(Number(process.hrtime.bigint() - t0) / iterations);
  }
  perFrame.sort((a, b) => a - b);
  return { min: perFrame[0]!, median: perFrame[Math.floor(perFrame.length / 2)]! };
}

const selected = values.only === undefined ? cases : cases.filter(([name]) => name.includes(values.only!));
const rows = selected.map(([name, fn]) => {
  const { min, median } = measure(fn);
  return { name, min, median, perSecond: 1e9 / median, corePct: (median * 50) / 1e7 };
});

const width = Math.max(...rows.map((r) => r.name.length));
console.log(
  `@orderline/audio, Node ${process.version}, ${rounds} rounds of ~${msPerRound} ms, 20 ms frames, load average ${os
    .loadavg()[0]!
    .toFixed(2)} on ${os.availableParallelism()} cores`,
);
console.log(
  `${"operation".padEnd(width)}  ${"min ns".padStart(8)}  ${"median ns".padStart(9)}  ${"frames/s".padStart(11)}  ${"core %/call".padStart(11)}`,
);
for (const r of rows) {
  console.log(
    `${r.name.padEnd(width)}  ${r.min.toFixed(0).padStart(8)}  ${r.median.toFixed(0).padStart(9)}  ${Math.round(r.perSecond).toLocaleString("en-US").padStart(11)}  ${r.corePct.toFixed(4).padStart(11)}`,
  );
}
console.log("frames/s and core %/call use the median; core %/call = median ns x 50 frames/s / 1e9 x 100.");
if (sink === Number.MIN_SAFE_INTEGER) console.log(sink);
