import {
  type AssessTurnArgsInput,
  AssessTurnResult,
  type DialOutcomeArgsInput,
  DialOutcomeResult,
  ESCALATION_SUBJECTS,
  type RequestEnvelopeInput,
  TOOLS,
  type ToolArgsInput,
  type ToolReply,
  type ToolResult,
  type TransferDecision,
  toolSubject,
} from "@orderline/contracts";
import { type NatsConnection, requestTool } from "@orderline/nats";

export interface EscalationClientOptions {
  /** NATS subject prefix ("" in production). */
  prefix?: string;
  /**
   * Per request (default 5,000 ms: a decision may text staff first). Every request here is safe to repeat:
   * a repeated transfer or dial outcome gets the stored decision back.
   */
  timeoutMs?: number;
}

/**
 * Typed requests to the escalation service: replies are checked against the contract's schemas (no casts).
 * Throws `NatsRequestError` when there is no usable reply (no_responders, timeout, bad_reply, connection).
 */
export interface EscalationClient {
  transfer(envelope: RequestEnvelopeInput, args: ToolArgsInput<"transfer_to_human">): Promise<ToolReply<ToolResult<"transfer_to_human">>>;
  dialOutcome(envelope: RequestEnvelopeInput, args: DialOutcomeArgsInput): Promise<ToolReply<TransferDecision>>;
  assessTurn(envelope: RequestEnvelopeInput, args: AssessTurnArgsInput): Promise<ToolReply<AssessTurnResult>>;
}

export function escalationClient(nc: NatsConnection, opts: EscalationClientOptions = {}): EscalationClient {
  const prefix = opts.prefix ?? "";
  const timeoutMs = opts.timeoutMs ?? 5000;
  return {
    transfer: (envelope, args) => requestTool(nc, toolSubject("transfer_to_human", prefix), { envelope, args }, { timeoutMs, result: TOOLS.transfer_to_human.result }),
    dialOutcome: (envelope, args) => requestTool(nc, ESCALATION_SUBJECTS.dialOutcome(prefix), { envelope, args }, { timeoutMs, result: DialOutcomeResult }),
    assessTurn: (envelope, args) => requestTool(nc, ESCALATION_SUBJECTS.assessTurn(prefix), { envelope, args }, { timeoutMs, result: AssessTurnResult }),
  };
}
