import { ESCALATION_SUBJECTS, SetCallbackStateArgs, SetCallbackStateResult, serviceQueue } from "@orderline/contracts";
import type { Database } from "@orderline/db";
import { defineRequest, type NatsConnection, serveTools, type ToolHandler, toolHandlers } from "@orderline/nats";
import { createLogger, type Logger, type Metrics } from "@orderline/telemetry";
import type { Kysely } from "kysely";
import type { EscalationConfig, EscalationContext } from "./context.ts";
import { DEFAULT_TRIGGER_LIMITS } from "./domain/triggers.ts";
import { assessTurnHandler } from "./handlers/assess-turn.ts";
import { dialOutcomeHandler } from "./handlers/dial-outcome.ts";
import { setCallbackStateHandler } from "./handlers/set-callback-state.ts";
import { transferToHuman } from "./handlers/transfer-to-human.ts";
import { NO_TEXTER, type StaffTexter } from "./staff-sms.ts";

export const SERVICE_NAME = "escalation-service";

export const DEFAULT_CONFIG: EscalationConfig = {
  dialTimeoutSeconds: 20,
  staffSmsOnTransfer: false,
  callbackWithinMinutes: 30,
  triggers: DEFAULT_TRIGGER_LIMITS,
};

export interface StartEscalationServiceOptions {
  db: Kysely<Database>;
  nc: NatsConnection;
  /** Prefix of every subject served ("" in production; a random one per test stack). */
  subjectPrefix?: string;
  /** Staff SMS (callback requests, optional transfer summaries). Default: none configured (stored, not texted). */
  texter?: StaffTexter;
  config?: Partial<EscalationConfig>;
  logger?: Logger;
  metrics?: Metrics;
  /** The current instant (default: the real clock). */
  clock?: () => Date;
  /** Most requests handled at once (default 8). */
  concurrency?: number;
}

export interface EscalationService {
  /** Stops taking requests and finishes those in flight. Safe to call twice. */
  stop(): Promise<void>;
  /** Requests answered so far by this replica, per subject. */
  served: Map<string, number>;
}

/** Serves transfer_to_human, dial outcomes, turn assessment (queue group `escalation-service`) and callback state. */
export function startEscalationService(opts: StartEscalationServiceOptions): EscalationService {
  const prefix = opts.subjectPrefix ?? "";
  const logger = opts.logger ?? createLogger({ service: SERVICE_NAME });
  const decisions = opts.metrics?.counter({
    name: "orderline_escalation_decisions_total",
    help: "Transfer decisions handed to the gateway, by reason and action (dial, callback, end, none).",
    labelNames: ["reason", "action"] as const,
  });
  const ctx: EscalationContext = {
    db: opts.db,
    texter: opts.texter ?? NO_TEXTER,
    config: { ...DEFAULT_CONFIG, ...opts.config },
    clock: opts.clock ?? (() => new Date()),
    logger,
    count: (reason, action) => decisions?.inc({ reason, action }),
  };
  const server = serveTools(opts.nc, {
    service: SERVICE_NAME,
    queue: serviceQueue("escalation"),
    handlers: [
      ...toolHandlers("escalation", { transfer_to_human: transferToHuman(ctx) }, { subjectPrefix: prefix }),
      { subject: ESCALATION_SUBJECTS.dialOutcome(prefix), tool: "dial_outcome", ...dialOutcomeHandler(ctx) },
      { subject: ESCALATION_SUBJECTS.assessTurn(prefix), tool: "assess_turn", ...assessTurnHandler(ctx) },
    ] as ToolHandler[],
    // Staff side (dashboard): no call envelope, the same reply and error path.
    requests: [
      defineRequest(ESCALATION_SUBJECTS.setCallbackState(prefix), "set_callback_state", SetCallbackStateArgs, (args) => setCallbackStateHandler(ctx, args), {
        result: SetCallbackStateResult,
      }),
    ],
    logger,
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
    concurrency: opts.concurrency ?? 8,
  });

  let stopping: Promise<void> | undefined;
  return {
    served: server.served,
    stop() {
      stopping ??= (async () => {
        await server.stop();
      })();
      return stopping;
    },
  };
}
