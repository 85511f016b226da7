import type { Span } from "@opentelemetry/api";
import { describeIssues, issuesMessage, type ToolError, type ToolErrorCode, ToolFailure, type ToolReply } from "@orderline/contracts";
import { failSpan, type Logger } from "@orderline/telemetry";
import type { z } from "zod";

/** What the model (or a staff tool) hears when something broke on our side; the real error is only logged. */
export const INTERNAL_ERROR_MESSAGE = "Sorry, something went wrong on our side. Please try that again in a moment.";

export function failure(code: ToolErrorCode, message: string, details?: Record<string, unknown>): { ok: false; error: ToolError } {
  return { ok: false, error: details ? { code, message, details } : { code, message } };
}

/**
 * `invalid_arguments` for a request that failed its schema: "Invalid arguments: quantity: must be at least 1".
 * `strip` drops a leading path segment the caller does not know about (the model knows "quantity", not
 * "args.quantity").
 */
export function invalidRequest(issues: readonly z.core.$ZodIssue[], opts: { label: string; strip?: string }): { ok: false; error: ToolError } {
  const lines = describeIssues(issues).map((i) => {
    if (opts.strip === undefined) return i;
    const path = i.path === opts.strip ? "(arguments)" : i.path.startsWith(`${opts.strip}.`) ? i.path.slice(opts.strip.length + 1) : i.path;
    return { path, message: i.message };
  });
  return failure("invalid_arguments", `${opts.label}: ${issuesMessage(lines)}`, { issues: lines });
}

/** A thrown error as a reply: a `ToolFailure` is the domain answer; anything else is logged and becomes `internal`. */
export function errorReply(err: unknown, log: Logger, span?: Span): ToolReply<never> {
  if (err instanceof ToolFailure) {
    span?.setAttribute("orderline.error_code", err.code);
    return { ok: false, error: err.toJSON() };
  }
  log.error({ err }, "tool handler failed");
  if (span) failSpan(span, err, err instanceof Error ? err.name : "error");
  return failure("internal", INTERNAL_ERROR_MESSAGE);
}
