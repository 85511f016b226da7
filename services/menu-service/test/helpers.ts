import { randomUUID } from "node:crypto";
import { type RequestEnvelopeInput, TOOLS, type ToolName, type ToolReply, toolSubject } from "@orderline/contracts";
import { type NatsConnection, requestTool } from "@orderline/nats";
import { DateTime } from "luxon";
import type { z } from "zod";

export const NATS_URL = process.env["NATS_URL"] ?? "nats://127.0.0.1:4222";

export const envelopeFor = (locationId: string, extra: Partial<RequestEnvelopeInput> = {}): RequestEnvelopeInput => ({
  callSid: `CA${randomUUID().replaceAll("-", "")}`,
  locationId,
  orderSessionId: randomUUID(),
  ...extra,
});

/** A local wall-clock time in a zone as a Date. */
export const localAt = (zone: string, iso: string): Date => {
  const dt = DateTime.fromISO(iso, { zone });
  if (!dt.isValid) throw new Error(`bad time ${iso}`);
  return dt.toJSDate();
};

/** Sends a menu tool request through NATS; ok results are validated against TOOLS[tool].result by requestTool. */
export function caller(nc: NatsConnection, prefix: string) {
  return async function call<N extends ToolName>(
    tool: N,
    args: unknown,
    envelope: RequestEnvelopeInput,
  ): Promise<ToolReply<z.output<(typeof TOOLS)[N]["result"]>>> {
    return requestTool(nc, toolSubject(tool, prefix), { envelope, args }, { timeoutMs: 5000, result: TOOLS[tool].result }) as Promise<
      ToolReply<z.output<(typeof TOOLS)[N]["result"]>>
    >;
  };
}

/** The result of an ok reply, or a failed assertion showing the error. */
export function ok<T>(reply: ToolReply<T>): T {
  if (!reply.ok) throw new Error(`expected ok, got ${reply.error.code}: ${reply.error.message}`);
  return reply.result;
}

/** The error of a failed reply. */
export function err<T>(reply: ToolReply<T>) {
  if (reply.ok) throw new Error(`expected an error, got ok: ${JSON.stringify(reply.result).slice(0, 300)}`);
  return reply.error;
}
