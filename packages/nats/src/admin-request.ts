import type { NatsConnection } from "@nats-io/transport-node";
import type { ToolReply } from "@orderline/contracts";
import type { z } from "zod";
import { parseReply, toRequestError } from "./request-tool.ts";
import { injectTraceHeaders } from "./trace-headers.ts";

/**
 * A request without a call envelope (staff screens, adapters) to a service's `defineRequest` subject: the body as
 * is, the reply a tool reply `{ ok, result | error }` checked against `result`. No usable reply throws
 * NatsRequestError (no_responders, timeout, bad_reply, connection).
 */
export async function adminRequest<R extends z.ZodType>(nc: NatsConnection, subject: string, body: unknown, result: R, timeoutMs: number): Promise<ToolReply<z.output<R>>> {
  let text: string;
  try {
    const msg = await nc.request(subject, JSON.stringify(body), { timeout: timeoutMs, headers: injectTraceHeaders() });
    text = msg.string();
  } catch (err) {
    throw toRequestError(err, subject, timeoutMs);
  }
  return parseReply(subject, text, result);
}
