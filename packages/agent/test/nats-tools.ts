import { randomUUID } from "node:crypto";
import { AGENT_MENU_SUBJECT, AgentMenu, type RequestEnvelopeInput, TOOLS, type ToolName, toolSubject } from "@orderline/contracts";
import { adminRequest, type NatsConnection, NatsRequestError, requestTool } from "@orderline/nats";
import type { AgentTools } from "../src/index.ts";

/**
 * A small `AgentTools` over NATS for tests and benchmarks, shaped like the gateway's shared dispatch: arguments
 * are validated against the contracts registry, then sent with the call's envelope (a fresh requestId per call)
 * to the owning service's subject — transfer_to_human included, which the escalation service answers; an error
 * reply comes back as its code and message only, as the contract says. `readMenu` is the menu service's
 * whole-menu request (AGENT_MENU_SUBJECT), as the gateway sends it: not a tool call, not in `calls`.
 */
export function natsAgentTools(nc: NatsConnection, subjectPrefix: string, envelope: RequestEnvelopeInput): AgentTools & { calls: ToolName[] } {
  const calls: ToolName[] = [];
  return {
    calls,
    async call(name, args) {
      calls.push(name);
      const parsed = TOOLS[name].args.safeParse(args);
      if (!parsed.success) {
        const where = parsed.error.issues.map((i) => `${i.path.join(".") || "(args)"}: ${i.message}`).join("; ");
        return { ok: false, error: { code: "invalid_arguments", message: `${name}: ${where}` } };
      }
      try {
        const reply = await requestTool(nc, toolSubject(name, subjectPrefix), { envelope: { ...envelope, requestId: randomUUID() }, args: parsed.data }, { timeoutMs: 5000 });
        // The AgentTools contract carries an error's code and message only (the gateway's dispatch passes no more).
        return reply.ok ? reply : { ok: false, error: { code: reply.error.code, message: reply.error.message } };
      } catch (err) {
        if (err instanceof NatsRequestError) return { ok: false, error: { code: err.kind === "no_responders" ? "no_responders" : "timeout", message: err.message } };
        throw err;
      }
    },
    async readMenu() {
      const reply = await adminRequest(nc, AGENT_MENU_SUBJECT(subjectPrefix), { locationId: envelope.locationId, language: envelope.language }, AgentMenu, 5000);
      if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
      return reply.result;
    },
  };
}
