import { randomUUID } from "node:crypto";
import { type EscalationReason, type RequestEnvelopeInput, TOOLS, type ToolName, toolSubject } from "@orderline/contracts";
import { type NatsConnection, NatsRequestError, requestTool } from "@orderline/nats";
import type { AgentTools } from "../src/index.ts";

export interface RecordedTransfer {
  reason: EscalationReason;
  summary: string;
}

/**
 * A small `AgentTools` over NATS for tests and benchmarks, shaped like the gateway's shared dispatch: arguments
 * are validated against the contracts registry, then sent with the call's envelope (a fresh requestId per call)
 * to the owning service's subject.
 *
 * transfer_to_human: the escalation service does not exist yet, so nothing serves its subject. These test tools
 * answer it HERE, locally, by recording the transfer request (reason, summary) in `transfers` and replying as a
 * transfer would. This is a stand-in for the missing service, not a test of it.
 */
export function natsAgentTools(nc: NatsConnection, subjectPrefix: string, envelope: RequestEnvelopeInput, transfers: RecordedTransfer[] = []): AgentTools & { transfers: RecordedTransfer[]; calls: ToolName[] } {
  const calls: ToolName[] = [];
  return {
    transfers,
    calls,
    async call(name, args) {
      calls.push(name);
      const parsed = TOOLS[name].args.safeParse(args);
      if (!parsed.success) {
        const where = parsed.error.issues.map((i) => `${i.path.join(".") || "(args)"}: ${i.message}`).join("; ");
        return { ok: false, error: { code: "invalid_arguments", message: `${name}: ${where}` } };
      }
      if (name === "transfer_to_human") {
        const a = parsed.data as { reason: EscalationReason; summary: string };
        transfers.push({ reason: a.reason, summary: a.summary });
        return { ok: true, result: { transferred: true, to: null, callbackRequested: false, speech: "I'm connecting you with a member of our staff now." } };
      }
      try {
        return await requestTool(nc, toolSubject(name, subjectPrefix), { envelope: { ...envelope, requestId: randomUUID() }, args: parsed.data }, { timeoutMs: 5000 });
      } catch (err) {
        if (err instanceof NatsRequestError) return { ok: false, error: { code: err.kind === "no_responders" ? "no_responders" : "timeout", message: err.message } };
        throw err;
      }
    },
  };
}
