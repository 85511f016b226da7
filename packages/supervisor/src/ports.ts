import { once } from "node:events";
import { createServer } from "node:net";

/** A TCP port that was free a moment ago on 127.0.0.1, picked at random below the ephemeral range. */
export async function freePort(): Promise<number> {
  // Below Linux's ephemeral range (32768–60999 by default): a port the OS hands out for port 0 can be taken
  // by an outgoing connection's local end (to Postgres, Redis, NATS…) before the service binds it.
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = LOW_PORT + Math.floor(Math.random() * (HIGH_PORT - LOW_PORT));
    if (await canListen(port)) return port;
  }
  throw new Error(`freePort: no free port between ${LOW_PORT} and ${HIGH_PORT} after 100 tries`);
}

const LOW_PORT = 20_000;
const HIGH_PORT = 32_000;

async function canListen(port: number): Promise<boolean> {
  const server = createServer();
  try {
    server.listen(port, "127.0.0.1");
    await once(server, "listening");
  } catch {
    return false;
  }
  await new Promise<void>((r) => server.close(() => r()));
  return true;
}
