import { ToolFailure } from "@orderline/contracts";
import { ALL_LOCATIONS, type CatalogListener, type Database, listenCatalogChanges } from "@orderline/db";
import type { Kysely } from "kysely";
import type { SpeechLanguage } from "./i18n/language.ts";
import { assertLocationId, loadLocationMenu, unknownLocation } from "./load.ts";
import type { LocationMenu } from "./types.ts";

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
  onInvalidate?: (locationId: string, source: "notify" | "manual") => void;
  /** Called for every `get` (for metrics): whether it was served from memory. */
  onLookup?: (hit: boolean) => void;
  /** First reconnect delay of the listener (ms; doubles up to 5 s). */
  reconnectMinMs?: number;
}

export interface CatalogCache {
  /**
   * The location's snapshot, from memory when fresh. Concurrent misses share one load. Throws unknown_location,
   * said in `language` (the caller's, when known: an unknown location has no language of its own).
   */
  get(locationId: string, language?: SpeechLanguage): Promise<LocationMenu>;
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

/**
 * Per-location snapshot cache kept fresh by Postgres LISTEN/NOTIFY (`listenCatalogChanges` of
 * @orderline/db) and by `invalidate` (for NATS catalogChanged events).
 */
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

  let listening = false;
  let readyWaiters: (() => void)[] = [];
  const markListening = () => {
    listening = true;
    const waiters = readyWaiters;
    readyWaiters = [];
    for (const w of waiters) w();
  };

  const generationOf = (id: string) => `${epoch}:${generations.get(id) ?? 0}`;

  function invalidate(locationId: string, source: "notify" | "manual"): void {
    stats.invalidations++;
    if (locationId === ALL_LOCATIONS) {
      epoch++;
      entries.clear();
    } else {
      generations.set(locationId, (generations.get(locationId) ?? 0) + 1);
      entries.delete(locationId);
    }
    options.onInvalidate?.(locationId, source);
  }

  async function get(locationId: string, language: SpeechLanguage = "en"): Promise<LocationMenu> {
    try {
      return await getSnapshot(locationId);
    } catch (err) {
      throw err instanceof ToolFailure && err.code === "unknown_location" && language !== "en" ? unknownLocation(locationId, language) : err;
    }
  }

  async function getSnapshot(locationId: string): Promise<LocationMenu> {
    assertLocationId(locationId);
    const effectiveTtl = listener && !listening ? Math.min(ttlMs, LISTEN_DOWN_TTL_MS) : ttlMs;
    const entry = entries.get(locationId);
    if (entry && Date.now() - entry.at < effectiveTtl) {
      stats.hits++;
      options.onLookup?.(true);
      return entry.promise;
    }
    stats.misses++;
    options.onLookup?.(false);
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

  // The shared listener reports "*" after every reconnect (notifications sent meanwhile are lost), and a
  // notification can only arrive over a live connection: either way the connection is up again.
  const listener: CatalogListener | null = options.databaseUrl
    ? listenCatalogChanges(
        options.databaseUrl,
        (locationId) => {
          markListening();
          invalidate(locationId || ALL_LOCATIONS, "notify");
        },
        {
          onError: (err) => {
            listening = false;
            onError(err);
          },
          ...(options.reconnectMinMs !== undefined ? { retryDelayMs: options.reconnectMinMs } : {}),
        },
      )
    : null;
  listener?.ready.then(markListening, () => {});

  return {
    get,
    invalidate: (id) => invalidate(id, "manual"),
    ready(timeoutMs = 5_000) {
      if (!listener || listening) return Promise.resolve();
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
      listening = false;
      await listener?.close();
      entries.clear();
    },
  };
}
