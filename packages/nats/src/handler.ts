import type { Span } from "@opentelemetry/api";
import type { RequestEnvelope } from "@orderline/contracts";
import type { Logger } from "@orderline/telemetry";
import type { z } from "zod";

/** What a handler gets besides its arguments and envelope. */
export type HandlerContext = {
  /** Tool name (metrics label), e.g. "search_menu". */
  tool: string;
  subject: string;
  /** Child logger carrying tool, callSid and locationId. */
  logger: Logger;
  /** The server span the handler runs in (already active). */
  span: Span;
};

/**
 * A tool implementation: `args` validates the model's arguments, `handle` computes the result. Throw a
 * `ToolFailure` for a domain error; anything else thrown becomes `internal`. With `result`, the handler's
 * return value is validated (and transformed) before it is sent; a mismatch is an `internal` error.
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

/** Defines a typed handler: `defineHandler(TOOLS.search_menu.args, async (args, envelope, ctx) => result)`. */
export function defineHandler<A extends z.ZodType, R>(
  args: A,
  handle: (args: z.output<A>, envelope: RequestEnvelope, ctx: HandlerContext) => Promise<R> | R,
  opts: { result?: z.ZodType<R> } = {},
): HandlerDef<A, R> {
  return { args, handle, result: opts.result };
}
