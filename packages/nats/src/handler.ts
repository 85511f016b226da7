import type { Span } from "@opentelemetry/api";
import type { RequestEnvelope } from "@orderline/contracts";
import type { Logger } from "@orderline/telemetry";
import type { z } from "zod";

/** What a handler gets besides its arguments and envelope. */
export type HandlerContext = {
  /** Tool name (metrics label), e.g. "get_menu". */
  tool: string;
  subject: string;
  /** Child logger carrying the tool and, for tool requests, callSid and locationId. */
  logger: Logger;
  /** The server span the handler runs in (already active). */
  span: Span;
};

/**
 * A tool implementation: `args` validates the model's arguments, `handle` computes the result. Throw a
 * `ToolFailure` for a domain error; anything else thrown becomes `internal`. With `result`, the handler's
 * return value is validated (and transformed) before it is sent; a mismatch is an `internal` error.
 * Services implementing registry tools use `toolHandlers` (tool-handlers.ts), which builds these.
 */
export type HandlerDef<A extends z.ZodType = z.ZodType, R = unknown> = {
  args: A;
  result?: z.ZodType<R> | undefined;
  // Method syntax on purpose: handlers with specific argument types fit a list of general ones.
  handle(args: z.output<A>, envelope: RequestEnvelope, ctx: HandlerContext): Promise<R> | R;
};

/** A handler bound to the NATS subject it serves (computed by the caller, e.g. `toolSubject(name, prefix)`). */
export type ToolHandler<A extends z.ZodType = z.ZodType, R = unknown> = HandlerDef<A, R> & {
  subject: string;
  /** Metrics/span label; defaults to the subject's last token. */
  tool?: string;
};

/**
 * A request that is not a tool call (no envelope), e.g. a staff-side order state change: `request` validates
 * the whole body. Served by `serveTools({ requests })` with the same replies, errors, metrics and drain.
 */
export type RequestHandler<S extends z.ZodType = z.ZodType, R = unknown> = {
  subject: string;
  /** Metrics/span label. */
  tool: string;
  request: S;
  result?: z.ZodType<R> | undefined;
  handle(request: z.output<S>, ctx: HandlerContext): Promise<R> | R;
};

/** Defines a typed handler for a schema outside the registry: `defineHandler(Args, async (args, envelope, ctx) => result)`. */
export function defineHandler<A extends z.ZodType, R>(
  args: A,
  handle: (args: z.output<A>, envelope: RequestEnvelope, ctx: HandlerContext) => Promise<R> | R,
  opts: { result?: z.ZodType<R> } = {},
): HandlerDef<A, R> {
  return { args, handle, result: opts.result };
}

/** Defines a typed request handler: `defineRequest(subject, "set_order_state", Schema, async (request, ctx) => result)`. */
export function defineRequest<S extends z.ZodType, R>(
  subject: string,
  tool: string,
  request: S,
  handle: (request: z.output<S>, ctx: HandlerContext) => Promise<R> | R,
  opts: { result?: z.ZodType<R> } = {},
): RequestHandler<S, R> {
  return { subject, tool, request, handle, result: opts.result };
}
