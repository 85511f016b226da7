import type { NatsConnection, Subscription } from "@nats-io/transport-node";
import { formatIssues, ToolFailure, type ToolReply } from "@orderline/contracts";
import type { Logger } from "@orderline/telemetry";
import type { z } from "zod";
import { INTERNAL_ERROR_MESSAGE } from "./serve-tools.ts";

export type ServeRequestOptions<A extends z.ZodType, R> = {
  subject: string;
  /** Queue group shared by the service's replicas. */
  queue: string;
  /** Validates the request body (plain JSON, no call envelope). */
  args: A;
  /** Throw a `ToolFailure` for a domain error; anything else is logged and answered `internal`. */
  handle(args: z.output<A>): Promise<R>;
  logger: Logger;
  /** What the subject does, for the error log, e.g. "set order state". */
  what: string;
};

/**
 * Serves one plain request/reply subject — staff-side operations such as moving an order or a callback
 * request to another state — answered `{ ok: true, result }` or `{ ok: false, error }` like a tool reply.
 * Drain the returned subscription on shutdown.
 */
export function serveRequest<A extends z.ZodType, R>(nc: NatsConnection, opts: ServeRequestOptions<A, R>): Subscription {
  const answer = async (body: () => unknown): Promise<ToolReply<R>> => {
    try {
      const parsed = opts.args.safeParse(body());
      if (!parsed.success) return { ok: false, error: { code: "invalid_arguments", message: `Invalid request: ${formatIssues(parsed.error.issues, "request")}` } };
      return { ok: true, result: await opts.handle(parsed.data) };
    } catch (e) {
      if (e instanceof ToolFailure) return { ok: false, error: e.toJSON() };
      if (e instanceof SyntaxError) return { ok: false, error: { code: "invalid_arguments", message: "The request is not valid JSON." } };
      opts.logger.error({ err: e }, `${opts.what} failed`);
      return { ok: false, error: { code: "internal", message: INTERNAL_ERROR_MESSAGE } };
    }
  };
  return nc.subscribe(opts.subject, {
    queue: opts.queue,
    callback: (err, msg) => {
      if (err) {
        opts.logger.error({ err, subject: opts.subject }, `${opts.what} subscription error`);
        return;
      }
      void answer(() => msg.json()).then((reply) => {
        if (msg.reply) msg.respond(JSON.stringify(reply));
      });
    },
  });
}
