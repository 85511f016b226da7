import { formatIssues } from "@orderline/contracts";
import { NatsRequestError } from "@orderline/nats";
import type { Logger } from "@orderline/telemetry";
import type { NextFunction, Request, Response } from "express";
import type { z } from "zod";
import { RangeProblem } from "../domain/periods.ts";
import { ForbiddenLocationError } from "../domain/viewer.ts";

/** An answer other than 200 with a code the web page can act on and a message a person can read. */
export class HttpError extends Error {
  override readonly name = "HttpError";
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

export const notFound = (what: string) => new HttpError(404, "not_found", `no ${what} of yours has that id`);

/** The request's query (or body) checked against a schema; a 400 names every problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where: "query" | "body"): z.output<S> {
  const r = schema.safeParse(input ?? {});
  if (!r.success) throw new HttpError(400, "invalid_request", formatIssues(r.error.issues, where));
  return r.data;
}

/** Every failure as `{ error: { code, message } }`: known ones with their status, the rest 500 without detail. */
export function errorHandler(logger: Logger) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    if (res.headersSent) return void res.end();
    if (err instanceof HttpError) {
      res.set(err.headers).status(err.status).json({ error: { code: err.code, message: err.message } });
      return;
    }
    if (err instanceof ForbiddenLocationError) return void res.status(403).json({ error: { code: "forbidden", message: err.message } });
    if (err instanceof RangeProblem) return void res.status(400).json({ error: { code: "invalid_range", message: err.message } });
    if (err instanceof NatsRequestError) {
      logger.warn({ kind: err.kind, subject: err.subject }, "a service did not answer");
      const message = err.kind === "timeout" ? "the service did not answer in time; it may still have done it — reload to see" : "the service is not answering; try again shortly";
      return void res.status(503).json({ error: { code: "service_unavailable", message } });
    }
    // express.json's own errors (malformed JSON, too large) carry a status.
    const status = typeof (err as { status?: unknown })?.status === "number" ? (err as { status: number }).status : 500;
    if (status >= 400 && status < 500) return void res.status(status).json({ error: { code: "invalid_request", message: (err as Error).message } });
    logger.error({ err: err instanceof Error ? err.message : String(err) }, "request failed");
    res.status(500).json({ error: { code: "internal", message: "internal error" } });
  };
}
