import type { Database } from "@orderline/db";
import type { Kysely } from "kysely";
import pg from "pg";
import { assertLocationId, loadLocationMenu } from "./load.ts";
import type { LocationMenu } from "./types.ts";

/** Postgres channel the catalog triggers notify on (payload: location id or "*"). */
export const CATALOG_CHANNEL = "catalog_changed";

export interface CatalogCacheOptions {
  db: Kysely<Database>;
  /** When given, a dedicated connection LISTENs on `catalog_changed` and drops changed snapshots at once. */
  databaseUrl?: string;
  /** Safety-net lifetime of a snapshot (default 5 min). While the LISTEN connection is down it is 1 s. */
  ttlMs?: number;
  /** Loader (default loadLocationMenu). */
  load?: (db: Kysely<Database>, locationId: string) => Promise<LocationMenu>;
  /** Listener connection problems (default: process warning). Never throws. */
  onError?: (err: Error) => void;
  /** Called for every invalidation (for logs/metrics). */
  onInvalidate?: (locationId: string, source: "notify" | "manual" | "reconnect") => void;
  /** Reconnect delay bounds for the listener (ms). */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

export interface CatalogCache {
  /** The location's snapshot, from memory when fresh. Concurrent misses share one load. Throws unknown_location. */
  get(locationId: string): Promise<LocationMenu>;
  /** Drops one location's snapshot, or every one with "*". Loads in flight are not cached. */
  invalidate(locationId: string): void;
  /** Resolves when the LISTEN connection is up (immediately without databaseUrl); rejects after timeoutMs. */
  ready(timeoutMs?: number): Promise<void>;
  /** Whether the LISTEN connection is up. */
  readonly listening: boolean;
  readonly stats: { hits: number; misses: number; invalidations: number };
  close(): Promise<void>;
}

interface Entry {
  promise: Promise<LocationMenu>;
  at: number;
}

const LISTEN_DOWN_TTL_MS = 1_000;

/** Per-location snapshot cache kept fresh by Postgres LISTEN/NOTIFY (and `invalidate` for NATS events). */
export function createCatalogCache(options: CatalogCacheOptions): CatalogCache {
  const { db } = options;
  const ttlMs = options.ttlMs ?? 300_000;
  const load = options.load ?? ((d: Kysely<Database>, id: string) => loadLocationMenu(d, id));
  const onError = options.onError ?? ((err: Error) => process.emitWarning(`catalog cache listener: ${err.message}`));
  const entries = new Map<string, Entry>();
  /** Bumped on every invalidation of a location ("*" bumps `epoch`): a load started before is not kept. */
  const generations = new Map<string, number>();
  let epoch = 0;
  const stats = { hits: 0, misses: 0, invalidations: 0 };

  let closed = false;
  let listening = false;
  let client: pg.Client | null = null;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let backoff = options.reconnectMinMs ?? 100;
  let readyWaiters: (() => void)[] = [];

  const generationOf = (id: string) => `${epoch}:${generations.get(id) ?? 0}`;

  function invalidate(locationId: string, source: "notify" | "manual" | "reconnect" = "manual"): void {
    stats.invalidations++;
    if (locationId === "*") {
      epoch++;
      entries.clear();
    } else {
      generations.set(locationId, (generations.get(locationId) ?? 0) + 1);
      entries.delete(locationId);
    }
    options.onInvalidate?.(locationId, source);
  }

  async function get(locationId: string): Promise<LocationMenu> {
    assertLocationId(locationId);
    const effectiveTtl = options.databaseUrl && !listening ? Math.min(ttlMs, LISTEN_DOWN_TTL_MS) : ttlMs;
    const entry = entries.get(locationId);
    if (entry && Date.now() - entry.at < effectiveTtl) {
      stats.hits++;
      return entry.promise;
    }
    stats.misses++;
    const generation = generationOf(locationId);
    const promise = load(db, locationId);
    const fresh: Entry = { promise, at: Date.now() };
    entries.set(locationId, fresh);
    try {
      const menu = await promise;
      // Invalidated while loading: the snapshot may predate the change; serve it to this caller, don't keep it.
      if (generationOf(locationId) !== generation && entries.get(locationId) === fresh) entries.delete(locationId);
      return menu;
    } catch (err) {
      if (entries.get(locationId) === fresh) entries.delete(locationId);
      throw err;
    }
  }

  function scheduleReconnect(): void {
    if (closed || reconnectTimer) return;
    const delay = backoff;
    backoff = Math.min(backoff * 2, options.reconnectMaxMs ?? 5_000);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      void connect();
    }, delay);
    reconnectTimer.unref();
  }

  async function connect(): Promise<void> {
    if (closed || !options.databaseUrl) return;
    const c = new pg.Client({ connectionString: options.databaseUrl, application_name: "orderline-catalog-listener", keepAlive: true });
    client = c;
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      listening = false;
      if (!closed) onError(err);
      c.removeAllListeners("notification");
      c.end().catch(() => {});
      if (client === c) client = null;
      scheduleReconnect();
    };
    c.on("error", fail);
    c.on("end", () => fail(new Error("listener connection ended")));
    c.on("notification", (msg) => {
      if (msg.channel === CATALOG_CHANNEL) invalidate(msg.payload || "*", "notify");
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CATALOG_CHANNEL}`);
    } catch (err) {
      fail(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (closed) {
      await c.end().catch(() => {});
      return;
    }
    // Changes may have been missed while not listening.
    invalidate("*", "reconnect");
    listening = true;
    backoff = options.reconnectMinMs ?? 100;
    const waiters = readyWaiters;
    readyWaiters = [];
    for (const w of waiters) w();
  }

  if (options.databaseUrl) void connect();

  return {
    get,
    invalidate: (id) => invalidate(id, "manual"),
    ready(timeoutMs = 5_000) {
      if (!options.databaseUrl || listening) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`catalog cache: LISTEN not established within ${timeoutMs} ms`)), timeoutMs);
        readyWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    get listening() {
      return listening;
    },
    stats,
    async close() {
      closed = true;
      listening = false;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      const c = client;
      client = null;
      if (c) {
        c.removeAllListeners();
        c.on("error", () => {});
        await c.end().catch(() => {});
      }
      entries.clear();
    },
  };
}
