import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { createTestDatabase, type TestDatabase } from "@orderline/db/testing";
import { Redis } from "ioredis";
import { type PrivateServer, startPrivateNats, startPrivateRedis } from "./private-infra.ts";
import { freePort, type ManagedProcess, startProcess } from "./process.ts";

/** The repository root (this file is packages/testing/src/harness/local-stack.ts). */
export const REPO_ROOT = resolve(import.meta.dirname, "../../../..");

export type StackServiceSpec = {
  /** Name in `stack.services`; also the default directory `services/<name>`. */
  name: string;
  /** Working directory (absolute, or relative to the repo root). Default `services/<name>`. */
  dir?: string;
  /** Default: this Node binary. */
  cmd?: string;
  /** Default ["src/index.ts"]. */
  args?: string[];
  /** Extra environment for this service (wins over the stack's). */
  env?: Record<string, string>;
  /** Give it a PORT too (an HTTP server besides its ops port, e.g. the gateway). */
  http?: boolean;
  /** Readiness path on the ops port (default "/readyz"). */
  readyPath?: string;
  readyTimeoutMs?: number;
};

export type LocalStackOptions = {
  /** Started in order, each once ready; stopped in reverse. */
  services: StackServiceSpec[];
  /** Fresh per-stack database via createTestDatabase (default true); `seed` loads the demo chain. */
  database?: boolean | { seed?: boolean };
  /** "shared" (default): the machine's Redis/NATS with a per-stack key/subject prefix; "private": a private server. */
  redis?: "shared" | "private";
  nats?: "shared" | "private";
  /** Environment for every service. */
  env?: Record<string, string>;
};

export type StackService = ManagedProcess & {
  /** http://127.0.0.1:OPS_PORT (healthz, readyz, metrics). */
  readonly opsUrl: string;
  /** http://127.0.0.1:PORT when `http` was asked for. */
  readonly url: string | undefined;
  readonly port: number | undefined;
  readonly env: Record<string, string>;
};

export type LocalStack = {
  readonly database: TestDatabase | undefined;
  readonly databaseUrl: string | undefined;
  readonly redisUrl: string;
  readonly redisKeyPrefix: string;
  readonly natsUrl: string;
  readonly natsSubjectPrefix: string;
  readonly services: Record<string, StackService>;
  /** The private servers, when asked for (to kill/restart them in failure tests). */
  readonly privateRedis: PrivateServer | undefined;
  readonly privateNats: PrivateServer | undefined;
  /** Stops and starts one service again (same ports and environment). */
  restartService(name: string): Promise<StackService>;
  /** Stops services (reverse order), drops the database, deletes the Redis keys under the prefix, stops private servers. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
};

async function startService(spec: StackServiceSpec, base: Record<string, string>, ports: { ops: number; http: number | undefined }): Promise<StackService> {
  const env: Record<string, string> = { ...base, OPS_PORT: String(ports.ops), ...(ports.http ? { PORT: String(ports.http) } : {}), ...spec.env };
  const opsUrl = `http://127.0.0.1:${ports.ops}`;
  const proc = await startProcess({
    name: spec.name,
    cmd: spec.cmd,
    args: spec.args ?? ["src/index.ts"],
    cwd: spec.dir ? resolve(REPO_ROOT, spec.dir) : join(REPO_ROOT, "services", spec.name),
    env,
    readyUrl: `${opsUrl}${spec.readyPath ?? "/readyz"}`,
    readyTimeoutMs: spec.readyTimeoutMs,
  });
  return Object.assign(proc, { opsUrl, url: ports.http ? `http://127.0.0.1:${ports.http}` : undefined, port: ports.http, env });
}

/**
 * Starts the services as their own processes around a per-stack database, Redis key prefix and NATS
 * subject prefix, so stacks (and suites) run side by side. Always `await stack.stop()` (or `await using`).
 */
export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const names = new Set<string>();
  for (const s of opts.services) {
    if (names.has(s.name)) throw new Error(`startLocalStack: service "${s.name}" is listed twice`);
    names.add(s.name);
  }
  const tag = randomBytes(4).toString("hex");
  const redisKeyPrefix = `test-${tag}:`;
  const natsSubjectPrefix = `t${tag}.`;
  const services: Record<string, StackService> = {};
  const cleanups: (() => Promise<unknown>)[] = [];
  const portsByName = new Map<string, { ops: number; http: number | undefined }>();
  let database: TestDatabase | undefined;
  let privateRedis: PrivateServer | undefined;
  let privateNats: PrivateServer | undefined;
  let redisUrl = process.env["REDIS_URL"] ?? "redis://127.0.0.1:6379";
  let natsUrl = process.env["NATS_URL"] ?? "nats://127.0.0.1:4222";
  const stop = async () => {
    const errors: unknown[] = [];
    for (const c of cleanups.splice(0).reverse()) await c().catch((e) => errors.push(e));
    if (errors.length > 0) throw new AggregateError(errors, `local stack teardown: ${errors.length} step(s) failed`);
  };
  try {
    if (opts.database ?? true) {
      database = await createTestDatabase({ seed: typeof opts.database === "object" ? opts.database.seed : false });
      const db = database;
      cleanups.push(() => db.close());
    }
    if (opts.redis === "private") {
      privateRedis = await startPrivateRedis();
      redisUrl = privateRedis.url;
      const r = privateRedis;
      cleanups.push(() => r.stop());
    } else {
      const url = redisUrl;
      cleanups.push(() => deleteRedisPrefix(url, redisKeyPrefix));
    }
    if (opts.nats === "private") {
      privateNats = await startPrivateNats();
      natsUrl = privateNats.url;
      const n = privateNats;
      cleanups.push(() => n.stop());
    }
    const base: Record<string, string> = {
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: redisKeyPrefix,
      NATS_URL: natsUrl,
      NATS_SUBJECT_PREFIX: natsSubjectPrefix,
      ...(database ? { DATABASE_URL: database.url } : {}),
      ...opts.env,
    };
    for (const spec of opts.services) {
      const ports = { ops: await freePort(), http: spec.http ? await freePort() : undefined };
      portsByName.set(spec.name, ports);
      const svc = await startService(spec, base, ports);
      services[spec.name] = svc;
      cleanups.push(() => services[spec.name]!.stop());
    }
    const stack: LocalStack = {
      database,
      databaseUrl: database?.url,
      redisUrl,
      redisKeyPrefix,
      natsUrl,
      natsSubjectPrefix,
      services,
      privateRedis,
      privateNats,
      async restartService(name) {
        const spec = opts.services.find((s) => s.name === name);
        const current = services[name];
        if (!spec || !current) throw new Error(`restartService: no service "${name}" in this stack (${Object.keys(services).join(", ")})`);
        await current.stop();
        services[name] = await startService(spec, base, portsByName.get(name)!);
        return services[name]!;
      },
      stop,
      [Symbol.asyncDispose]: stop,
    };
    return stack;
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
}

/** Deletes every key under `prefix` (SCAN + UNLINK), leaving other tests' keys alone. */
export async function deleteRedisPrefix(url: string, prefix: string): Promise<number> {
  if (!prefix) throw new Error("deleteRedisPrefix: refusing an empty prefix (it would delete every key)");
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  let deleted = 0;
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix.replace(/[*?[\]\\]/g, "\\$&")}*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
  return deleted;
}
