/**
 * The gateway against the anchor (twilio-samples `speech-assistant-openai-realtime-api-node`) under the shared
 * load harness (callbench), measured back to back: for each size, ours then the sample, `--rounds` times (ABAB).
 *
 *   node bench/anchor-ab.ts --callbench /work/scratch-callbench --sample /work/scratch-sample [--rounds 2]
 *        [--duration 20] [--only ours|sample|floor] [--floor] 100 250
 *
 * Neither the harness nor the sample is part of this repository: copy the harness into a scratch folder and
 * `npm install` there; fetch the sample into another scratch folder, `npm install`, and point its OpenAI URL at
 * the harness's emulator (its `new WebSocket('wss://api.openai.com/v1/realtime?…')` reads
 * `process.env.OPENAI_REALTIME_URL` instead; see BENCHMARKS.md for the exact edit). The harness starts a fresh
 * gateway for every step and measures the gateway's own pid from /proc.
 *
 * Ours runs exactly as `pnpm start` starts it (the package.json start script, V8 settings included), with a
 * seeded private database, the shared Redis and NATS under a private prefix, and every call set up through the
 * signed voice webhook (`--twilio-flow`). The sample is reached at its /media-stream URL directly.
 * Results: one JSON per run under BENCH_OUT (default /tmp/anchor-ab) and a markdown table on stdout. With
 * BENCH_MAX_LOAD=1.5 each run first waits for a 1-minute load average below it (bench/measure.ts).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DEMO_LOCATIONS } from "@orderline/db";
import { createTestDatabase } from "@orderline/db/testing";
import { freePort } from "@orderline/testing";
import { benchGatewayEnv, GATEWAY_DIR, gatewayStartCommand } from "./gateway-start.ts";
import { awaitQuietMachine, loadAverage } from "./measure.ts";

const args = process.argv.slice(2);
const opt = (name: string, fallback?: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const callbench = opt("callbench");
const sample = opt("sample");
const rounds = Number(opt("rounds", "2"));
const duration = opt("duration", "20")!;
const only = opt("only");
/** Also run bench/floor-relay.ts (the least a relay can do) as a third side. */
const floorIdx = args.indexOf("--floor");
const withFloor = floorIdx !== -1;
if (withFloor) args.splice(floorIdx, 1);
const sizes = args.map(Number).filter((n) => n > 0);
if (!callbench || (!sample && only !== "ours" && only !== "floor") || sizes.length === 0) {
  process.stderr.write("usage: node bench/anchor-ab.ts --callbench DIR --sample DIR [--rounds 2] [--duration 20] [--only ours|sample] SIZES...\n");
  process.exit(2);
}
const OUT = process.env.BENCH_OUT ?? "/tmp/anchor-ab";
mkdirSync(OUT, { recursive: true });
const PUBLIC = "https://voice.bench.test";

function run(cmd: string, argv: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, argv, { cwd: callbench, stdio: ["ignore", "inherit", "inherit"] });
    p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}`))));
  });
}

interface Step {
  N: number;
  ok: boolean;
  notes: string[];
  gwBaseRSSMB: number;
  gw: { cpuMsPerActiveCallSec: number; rssPeakMB: number };
  uplink: { latency: { p50: number; p99: number }; lost: number };
  downlink: { latency: { p50: number; p99: number }; lost: number };
  calls: { failed: number; earlyClose: number };
  system: { busyPctOfAllCores: number };
  webhook?: { latency: { p50: number; p99: number; n: number }; failures: Record<string, number> };
}

const rows: string[] = [];
const db = await createTestDatabase({ seed: true });
try {
  await db.db.updateTable("locations").set({ max_concurrent_calls: 1000 }).execute();
  const authToken = randomBytes(16).toString("hex");
  const accountSid = `AC${randomBytes(16).toString("hex")}`;
  const node = process.execPath;

  async function ours(n: number, round: number): Promise<string> {
    const port = await freePort();
    const prefix = `anchor-${randomBytes(3).toString("hex")}`;
    const env = benchGatewayEnv({ port, publicBaseUrl: PUBLIC, accountSid, authToken, realtimeUrl: "ws://127.0.0.1:18765/v1/realtime", databaseUrl: db.url, prefix });
    const out = join(OUT, `ours-N${n}-r${round}.json`);
    await run(node, [
      "bench.js", "--twilio-flow", "--label", "ours", "--local-base", `http://127.0.0.1:${port}`, "--public-base", PUBLIC,
      "--auth-token", authToken, "--account-sid", accountSid, "--to", DEMO_LOCATIONS.newYork.phone,
      "--gateway-cmd", gatewayStartCommand(process.env.BENCH_GATEWAY_NODE_ARGS), "--gateway-cwd", GATEWAY_DIR,
      "--gateway-env", Object.entries(env).map(([k, v]) => `${k}=${v}`).join(","),
      "--calls", String(n), "--duration", duration, "--keep-going", "--out", out,
    ]);
    return out;
  }

  /** A gateway reached at its media-stream URL directly (no webhook), started fresh by the harness for each step. */
  async function direct(label: string, port: number, cmd: string, cwd: string, env: string, n: number, round: number): Promise<string> {
    const out = join(OUT, `${label}-N${n}-r${round}.json`);
    await run(node, [
      "bench.js", "--label", label, "--url", `ws://127.0.0.1:${port}/media-stream`,
      "--gateway-cmd", cmd, "--gateway-cwd", cwd, "--gateway-env", `PORT=${port}${env}`,
      "--calls", String(n), "--duration", duration, "--keep-going", "--out", out,
    ]);
    return out;
  }
  const theSample = (n: number, round: number) =>
    direct("sample", 5050, `${node} index.js`, sample!, ",OPENAI_API_KEY=sk-bench,OPENAI_REALTIME_URL=ws://127.0.0.1:18765/v1/realtime", n, round);
  const theFloor = (n: number, round: number) => direct("floor", 5060, `${node} ${join(import.meta.dirname, "floor-relay.ts")}`, callbench!, "", n, round);

  const f = (x: number | null | undefined, d = 2) => (typeof x !== "number" || Number.isNaN(x) ? "–" : x.toFixed(d));
  for (let round = 1; round <= rounds; round++) {
    for (const n of sizes) {
      const sides = [["ours", ours], ["sample", theSample], ...(withFloor || only === "floor" ? ([["floor", theFloor]] as const) : [])] as const;
      for (const [side, go] of sides) {
        if (only && only !== side) continue;
        const load = (await awaitQuietMachine((l) => process.stdout.write(`${l}\n`))).load;
        const started = new Date().toISOString().slice(11, 16);
        const file = await go(n, round);
        const s = (JSON.parse(readFileSync(file, "utf8")) as { steps: Step[] }).steps[0]!;
        const perCall = (s.gw.rssPeakMB - s.gwBaseRSSMB) / n;
        const wh = s.webhook ? `${f(s.webhook.latency.p50, 1)} / ${f(s.webhook.latency.p99, 1)}` : "–";
        const row = `| ${side} | ${round} | ${started} | ${load} / ${loadAverage()} | ${n} | ${f(s.gw.cpuMsPerActiveCallSec)} | ${f(s.gwBaseRSSMB, 0)} | ${f(s.gw.rssPeakMB, 0)} | ${f(perCall, 3)} | ${f(s.uplink.latency.p50)} / ${f(s.uplink.latency.p99)} | ${f(s.downlink.latency.p50)} / ${f(s.downlink.latency.p99)} | ${wh} | ${s.uplink.lost} / ${s.downlink.lost} | ${s.calls.failed}/${s.calls.earlyClose} | ${f(s.system.busyPctOfAllCores, 0)} |`;
        rows.push(row);
        process.stdout.write(`${row}${s.notes.length ? `  notes: ${s.notes.join("; ")}` : ""}\n`);
      }
    }
  }
} finally {
  await db.close();
}
process.stdout.write(
  "\n| gateway | round | UTC | load 1-min start / end | calls | CPU ms / call-s | RSS idle MB | RSS peak MB | MB per added call | up p50 / p99 ms | down p50 / p99 ms | webhook p50 / p99 ms | lost up / down | failed/closed | machine busy % |\n|---|---:|---|---|---:|---:|---:|---:|---:|---|---|---|---|---|---:|\n",
);
process.stdout.write(`${rows.join("\n")}\n`);
process.exit(0);
