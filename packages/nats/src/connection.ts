import { connect, type NatsConnection, type NodeConnectionOptions } from "@nats-io/transport-node";
import type { Logger } from "@orderline/telemetry";

export type { NatsConnection } from "@nats-io/transport-node";

export type ConnectNatsOptions = {
  /** One URL or several separated by commas, e.g. "nats://127.0.0.1:4222". */
  url: string;
  /** Connection name shown by the server (use the service name). */
  name: string;
  /** Logs disconnects and reconnects when given. */
  logger?: Logger;
  /** Extra client options; by default the client reconnects forever. */
  options?: Partial<NodeConnectionOptions>;
};

/** Connects to NATS; reconnects forever (a service without NATS is not ready, not dead). */
export async function connectNats(opts: ConnectNatsOptions): Promise<NatsConnection> {
  const nc = await connect({
    servers: opts.url.split(",").map((s) => s.trim()),
    name: opts.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    ...opts.options,
  });
  const logger = opts.logger;
  if (logger) {
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === "disconnect" || s.type === "reconnect" || s.type === "error" || s.type === "slowConsumer") {
          logger.warn({ nats: s }, `nats ${s.type}`);
        }
      }
    })().catch(() => {});
  }
  return nc;
}

/**
 * Drains the connection: subscriptions stop taking messages, handlers already given messages finish, pending
 * publishes are flushed, then the connection closes. Safe to call on a closed or draining connection.
 */
export async function drainNats(nc: NatsConnection): Promise<void> {
  if (!nc.isClosed() && !nc.isDraining()) {
    try {
      await nc.drain();
    } catch (err) {
      if (!nc.isClosed()) throw err;
    }
  }
  await nc.closed();
}
