import type { Database } from "@orderline/db";
import type { Logger } from "@orderline/telemetry";
import type { Kysely } from "kysely";
import type { TriggerLimits } from "./domain/triggers.ts";
import type { StaffTexter } from "./staff-sms.ts";

export interface EscalationConfig {
  dialTimeoutSeconds: number;
  staffSmsOnTransfer: boolean;
  callbackWithinMinutes: number;
  triggers: TriggerLimits;
}

/** What every handler gets. */
export interface EscalationContext {
  db: Kysely<Database>;
  texter: StaffTexter;
  config: EscalationConfig;
  clock: () => Date;
  logger: Logger;
  /** Counts a decision handed to the gateway (metrics), by reason and action (dial, callback, end, none). */
  count(reason: string, action: string): void;
}
