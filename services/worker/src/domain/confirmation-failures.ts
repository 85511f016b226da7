import type { NotificationState } from "@orderline/db";

/** Why a confirmation call that ended while the order was still CALLED failed. */
const FAILURE_REASON: Partial<Record<NotificationState, string>> = {
  voicemail: "voicemail: a short message was left",
  busy: "busy",
  no_answer: "no answer",
  failed: "the call failed",
  canceled: "the call was canceled",
  answered: "the call ended before the customer confirmed or changed the order",
};

export function failureReason(state: NotificationState): string {
  return FAILURE_REASON[state] ?? state;
}
