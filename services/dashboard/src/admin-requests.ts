import { type NatsConnection, injectTraceHeaders, parseReply, toRequestError } from "@orderline/nats";
import type { ToolReply } from "@orderline/contracts";
import type { z } from "zod";

/**
 * A staff-side request (no call envelope) to a service's `defineRequest` subject: the body as is, the reply a tool
 * reply `{ ok, result | error }`. No usable reply throws NatsRequestError (the HTTP layer answers 503).
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
