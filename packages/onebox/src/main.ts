#!/usr/bin/env node
/**
 * `./scripts/start.sh [--demo | --chain <file>] [--env-file <path>]`: OrderLine on this machine for real calls.
 * Reads .env (every problem listed, exit 78), starts local Postgres/Redis/NATS if they are missing, migrates,
 * loads the demo chain or a chain file, starts every service as its own process (each after the previous one
 * is ready; a crashed one restarted with a bounded, doubling wait), prints the Twilio console URLs, and on
 * SIGTERM/SIGINT stops them in order — the gateway first so live calls drain — and exits 0.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, EX_CONFIG } from "@orderline/config";
import { ChainFileError } from "@orderline/db";
import { createSupervisor, ServiceStartError } from "@orderline/supervisor";
import { mergeDotenv, parseOneboxEnv } from "./env.ts";
import { ensureLocalInfra, type LoadChoice, prepareDatabase } from "./prepare.ts";
import { opsUrlOf, REPO_ROOT, STOP_ORDER, serviceSpecs } from "./services.ts";
import { consoleInstructions, dashboardInstructions, webhookUrls } from "./urls.ts";

const USAGE = "usage: start.sh [--demo | --chain <file.yaml>] [--env-file <path>]   (docs/OPERATIONS.md)";
const log = (line: string) => process.stdout.write(`onebox             | ${line}\n`);
const fail = (message: string, code: number): never => {
  process.stderr.write(`${message}\n`);
  process.exit(code);
};

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({ options: { demo: { type: "boolean", default: false }, chain: { type: "string" }, "env-file": { type: "string" }, help: { type: "boolean", default: false } } });
}
try {
  args = parse();
} catch (err) {
  fail(`${(err as Error).message}\n${USAGE}`, 2);
}
if (args!.values.help) fail(USAGE, 0);
const { demo, chain } = args!.values;
if (demo && chain) fail(`--demo and --chain exclude each other\n${USAGE}`, 2);
const load: LoadChoice = demo ? { kind: "demo" } : chain ? { kind: "chain", path: resolve(process.cwd(), chain) } : { kind: "none" };

const envFile = resolve(process.cwd(), args!.values["env-file"] ?? resolve(REPO_ROOT, ".env"));
const fileText = existsSync(envFile) ? readFileSync(envFile, "utf8") : "";
const vars = mergeDotenv(fileText);
let env: ReturnType<typeof parseOneboxEnv>;
try {
  env = parseOneboxEnv(vars);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  const where = existsSync(envFile) ? envFile : `${envFile} (missing: copy .env.example to .env and fill it in)`;
  fail(`${err.message.replace(/^Invalid configuration/, `Invalid configuration in ${where}`)}`, EX_CONFIG);
}

try {
  await ensureLocalInfra(env!, REPO_ROOT, log);
} catch (err) {
  fail((err as Error).message, 1);
}
let prepared: Awaited<ReturnType<typeof prepareDatabase>> = { numbers: [], demoLogins: false };
try {
  prepared = await prepareDatabase(env!, load, log);
} catch (err) {
  fail(err instanceof ChainFileError ? err.message : `preparing the database failed: ${(err as Error).message}`, 1);
}

const specs = serviceSpecs(env!, vars);
const names = specs.map((s) => s.name);
const supervisor = createSupervisor({
  services: specs,
  stopOrder: STOP_ORDER.filter((n) => names.includes(n)),
  log,
  output: (service, line) => process.stdout.write(`${service.padEnd(18)} | ${line}\n`),
});

let stopping: Promise<never> | undefined;
const shutdown = (why: string, code: number): Promise<never> => {
  stopping ??= (async () => {
    log(`${why}: stopping (gateway first, then worker and dashboard, then the tool services)`);
    await supervisor.stop();
    log("all services stopped");
    process.exit(code);
  })();
  return stopping;
};
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void shutdown(signal, 0));
void supervisor.fatal.then((err) => shutdown(err.message, 1));

try {
  await supervisor.start();
} catch (err) {
  if (stopping) await stopping;
  fail(err instanceof ServiceStartError ? `start failed: ${err.message}` : String(err), 1);
}

const urls = webhookUrls(env!);
const banner = [
  "",
  `OrderLine is running (${env!.OPENAI_API_KEY ? "OpenAI key set: locations use their configured engine" : "no OpenAI key: every call is <Gather> turns with the local agent"}).`,
  ...specs.map((s) => `  ${s.name.padEnd(20)} ${opsUrlOf(s)}/readyz${s.env["PORT"] ? `   port ${s.env["PORT"]}` : ""}`),
  "",
  `Your https proxy or tunnel: ${env!.PUBLIC_BASE_URL}/voice/* → http://127.0.0.1:${env!.GATEWAY_PORT}, ${urls.sms.replace(/\/sms\/inbound$/, "")}/* → http://127.0.0.1:${env!.WORKER_PORT}.`,
  ...consoleInstructions(urls, prepared.numbers),
  "",
  ...(names.includes("dashboard") ? [...dashboardInstructions(env!.DASHBOARD_PORT, prepared.demoLogins), ""] : []),
  "Ctrl-C or SIGTERM stops everything in order.",
  "",
];
for (const line of banner) log(line);
