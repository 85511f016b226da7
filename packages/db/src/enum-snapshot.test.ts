import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as contracts from "@orderline/contracts";

/**
 * The enum values the CHECK constraints were created with (migrations 0003–0005 read them from
 * @orderline/contracts when they ran). A database migrated earlier keeps these values even if contracts
 * change later, so a change must come with a new migration that rewrites the CHECK — then update this list.
 */
const AS_MIGRATED: Record<string, { values: readonly string[]; constraints: string }> = {
  OrderType: { values: ["pickup", "delivery"], constraints: "orders_order_type_check" },
  OrderState: {
    values: ["draft", "submitted", "in_progress", "ready", "completed", "cancelled"],
    constraints: "orders_state_check, order_status_events_{from,to}_state_check",
  },
  OrderChannel: { values: ["voice", "voice_outbound", "web", "staff", "sheet"], constraints: "orders_channel_check (rewritten by 2026_12_05_0301)" },
  ModifierAction: { values: ["add", "no", "extra"], constraints: "order_item_modifiers_action_check" },
  ModifierKind: { values: ["addon", "removable"], constraints: "modifiers_kind_check" },
  CallDisposition: {
    values: ["in_progress", "completed", "transferred", "abandoned", "failed", "rejected"],
    constraints: "voice_calls_disposition_check",
  },
  CallDirection: { values: ["inbound", "outbound"], constraints: "voice_calls_direction_check" },
  CallEventType: {
    values: [
      "call_started",
      "stream_started",
      "stream_resumed",
      "tool_call",
      "tool_error",
      "barge_in",
      "transfer",
      "realtime_error",
      "error",
      "call_ended",
      "fallback",
      "engine_error",
      "reprompt",
      "escalation",
      "callback_requested",
    ],
    constraints: "voice_call_events_event_type_check",
  },
  EscalationReason: {
    values: ["caller_request", "complaint", "large_order", "unanswered_question", "payment_or_refund", "allergy_confirmation", "technical_failure", "other"],
    constraints: "voice_calls_escalation_reason_check",
  },
  ConfirmationState: {
    values: ["new", "called", "confirmed", "updated", "cancelled", "failed"],
    constraints: "orders_confirmation_state_check (rewritten by 2026_12_05_0301)",
  },
  MenuControlAction: {
    values: ["item_sold_out", "item_back", "ingredient_out", "ingredient_back", "ingredient_count_set", "ingredient_count_adjusted", "ingredient_counted_out"],
    constraints: "menu_control_events_action_check",
  },
};

const TRANSITIONS_AS_MIGRATED = {
  draft: ["submitted", "cancelled"],
  submitted: ["in_progress", "ready", "cancelled"],
  in_progress: ["ready", "cancelled"],
  ready: ["completed", "cancelled"],
  completed: [],
  cancelled: [],
};

describe("contract enums vs. the database's CHECK constraints", () => {
  for (const [name, { values, constraints }] of Object.entries(AS_MIGRATED)) {
    it(`${name} still has the values its CHECK was created with`, () => {
      const current = (contracts as unknown as Record<string, { options: readonly string[] }>)[name]?.options;
      assert.deepEqual(
        current,
        values,
        `contracts ${name} changed: add a migration in packages/db that rewrites ${constraints}, then update AS_MIGRATED`,
      );
    });
  }

  it("ORDER_TRANSITIONS still matches the order_state_transitions rows", () => {
    assert.deepEqual(
      contracts.ORDER_TRANSITIONS,
      TRANSITIONS_AS_MIGRATED,
      "contracts ORDER_TRANSITIONS changed: add a migration that rewrites order_state_transitions, then update this test",
    );
  });
});
