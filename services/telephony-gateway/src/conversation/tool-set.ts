import { CONFIRMATION_TOOLS, ORDERING_TOOLS, type ToolName } from "@orderline/contracts";
import type { CallSession } from "../state/session.ts";

/** The tools a call may use: an inbound call orders; a confirmation call reviews, changes, confirms or cancels one order. */
export function toolSetOf(session: Pick<CallSession, "confirmation">): readonly ToolName[] {
  return session.confirmation ? CONFIRMATION_TOOLS : ORDERING_TOOLS;
}
