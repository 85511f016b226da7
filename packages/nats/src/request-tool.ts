import { headers, type NatsConnection, NoRespondersError, RequestError, TimeoutError } from "@nats-io/transport-node";
import { context, SpanKind, trace } from "@opentelemetry/api";
import { formatIssues, type RequestEnvelopeInput, type ToolReply, toolReply } from "@orderline/contracts";
import { failSpan } from "@orderline/telemetry";
import { z } from "zod";
import { NatsRequestError } from "./errors.ts";
import { injectTraceHeaders, messagingAttributes } from "./trace-headers.ts";

export type RequestToolOptions<R extends z.ZodType> = {
  /** Default 2000 ms. */
  timeoutMs?: number;
  /** Validates (and transforms) `result` of an ok reply; a mismatch throws `NatsRequestError` kind "bad_reply". */
  result?: R;
};

const tracer = trace.getTracer("@orderline/nats");

/**
 * Sends a tool request with the active trace context in NATS headers and returns the parsed reply (a tool's
 * domain error is a reply with `ok: false`, not a throw). Throws `NatsRequestError` when there is no usable
 * reply: `no_responders` (nothing served the subject: not applied), `timeout` (may have been applied),
 * `bad_reply`, `connection`.
 */
export async function requestTool<R extends z.ZodType = z.ZodUnknown>(
  nc: NatsConnection,
  subject: string,
  request: { envelope: RequestEnvelopeInput; args: unknown },
  opts: RequestToolOptions<R> = {},
): Promise<ToolReply<z.output<R>>> {
  const timeoutMs = opts.timeoutMs ?? 2000;
  const tool = subject.slice(subject.lastIndexOf(".") + 1);
  const span = tracer.startSpan(`call ${tool}`, {
    kind: SpanKind.CLIENT,
    attributes: { ...messagingAttributes("request", subject), "orderline.tool": tool },
  });
  const ctx = trace.setSpan(context.active(), span);
  try {
    const hdrs = injectTraceHeaders(headers(), ctx);
    let payload: string;
    try {
      payload = JSON.stringify(request);
    } catch (err) {
      throw new TypeError(`requestTool: request for ${subject} is not serialisable to JSON`, { cause: err });
    }
    span.setAttribute("messaging.message.body.size", Buffer.byteLength(payload));
    let reply: ToolReply<z.output<R>>;
    try {
      const msg = await nc.request(subject, payload, { timeout: timeoutMs, headers: hdrs });
      reply = parseReply(subject, msg.string(), opts.result);
    } catch (err) {
      throw toRequestError(err, subject, timeoutMs);
    }
    span.setAttribute("orderline.outcome", reply.ok ? "ok" : reply.error.code);
    return reply;
  } catch (err) {
    if (err instanceof NatsRequestError) span.setAttribute("orderline.outcome", err.kind);
    failSpan(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/** A tool reply `{ ok, result | error }` read from a reply's text; anything else throws NatsRequestError "bad_reply". */
export function parseReply<R extends z.ZodType>(subject: string, text: string, result: R | undefined): ToolReply<z.output<R>> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new NatsRequestError("bad_reply", subject, `reply from ${subject} is not JSON`);
  }
  const parsed = toolReply(result ?? z.unknown()).safeParse(raw);
  if (!parsed.success) {
    const where = formatIssues(parsed.error.issues, "(reply)");
    throw new NatsRequestError("bad_reply", subject, `reply from ${subject} is not a valid tool reply: ${where}`);
  }
  return parsed.data as ToolReply<z.output<R>>;
}

/** A failed NATS request as a NatsRequestError: timeout, no responders or connection. */
export function toRequestError(err: unknown, subject: string, timeoutMs: number): NatsRequestError {
  if (err instanceof NatsRequestError) return err;
  if (err instanceof TimeoutError) {
    return new NatsRequestError("timeout", subject, `no reply from ${subject} within ${timeoutMs} ms`, { cause: err });
  }
  if (err instanceof NoRespondersError || (err instanceof RequestError && err.isNoResponders())) {
    return new NatsRequestError("no_responders", subject, `no service is answering ${subject}`, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new NatsRequestError("connection", subject, `request to ${subject} failed: ${message}`, { cause: err });
}
