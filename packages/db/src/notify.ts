import pg from "pg";
import { assertPostgresUrl } from "./db.ts";

/** Channel the catalog triggers notify on. Payload: a location id, or ALL_LOCATIONS for chain-wide changes. */
export const CATALOG_CHANGED_CHANNEL = "catalog_changed";
/** Payload meaning "anything may have changed": drop every cached location. */
export const ALL_LOCATIONS = "*";

export interface CatalogListenerOptions {
  /** Connection errors (the listener reconnects by itself). Default: process warning. */
  onError?: (err: Error) => void;
  /** First reconnect delay in ms, doubled up to 5 s (default 200). */
  retryDelayMs?: number;
}

export interface CatalogListener {
  /** Resolves once the first LISTEN is active (changes committed after this are reported). */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Calls `onChange(locationId | "*")` for every committed catalog change (menu, prices, stock, overrides,
 * specials, hours, location settings). Holds one dedicated connection and reconnects after failures; since
 * notifications sent while disconnected are lost, every reconnect reports "*" so caches start over.
 */
export const listenCatalogChanges = (url: string, onChange: (locationId: string) => void, opts: CatalogListenerOptions = {}): CatalogListener => {
  assertPostgresUrl(url);
  const onError = opts.onError ?? ((err: Error) => process.emitWarning(`catalog listener: ${err.message}`, "CatalogListenerWarning"));
  const baseDelay = opts.retryDelayMs ?? 200;
  let closed = false;
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let delay = baseDelay;
  let connectedOnce = false;
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });

  const scheduleReconnect = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, delay);
    delay = Math.min(delay * 2, 5_000);
  };

  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ connectionString: url, application_name: "orderline-catalog-listener" });
    client = c;
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      if (!closed) onError(err);
      c.removeAllListeners("notification");
      c.end().catch(() => {});
      if (client === c) client = undefined;
      scheduleReconnect();
    };
    c.on("error", fail);
    c.on("end", () => fail(new Error("connection ended")));
    c.on("notification", (msg) => {
      if (msg.channel === CATALOG_CHANGED_CHANNEL) onChange(msg.payload ?? ALL_LOCATIONS);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CATALOG_CHANGED_CHANNEL}`);
    } catch (err) {
      fail(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (closed) {
      await c.end().catch(() => {});
      return;
    }
    delay = baseDelay;
    if (connectedOnce) onChange(ALL_LOCATIONS);
    connectedOnce = true;
    resolveReady();
  };

  void connect();
  return {
    ready,
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = undefined;
      if (c) {
        c.removeAllListeners("end");
        c.removeAllListeners("error");
        c.on("error", () => {});
        await c.end().catch(() => {});
      }
      resolveReady();
    },
  };
};
