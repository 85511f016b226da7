import { CONFIRMATION_SUBJECTS, CreateConfirmationOrderResult } from "@orderline/contracts";
import { adminRequest, type NatsConnection } from "@orderline/nats";
import { type ConfirmationIntake, confirmationOrderRequestOf, IntakeRefusedError } from "@orderline/sheets";

/** Refusals a person must fix on the row (a note); any other failure is tried again on the next run. */
const REFUSALS = new Set(["invalid_arguments", "invalid_phone", "empty_order", "unknown_location", "wrong_location"]);

/**
 * The sheet adapter's `ConfirmationIntake`: `createConfirmationOrder` over NATS, answered by the order service
 * (idempotent on the row's external reference, so a row handed over on every run is created once).
 */
export function natsConfirmationIntake(deps: { nc: NatsConnection; prefix: string; timeoutMs?: number }): ConfirmationIntake {
  return {
    async create(request) {
      const reply = await adminRequest(
        deps.nc,
        CONFIRMATION_SUBJECTS.createOrder(deps.prefix),
        confirmationOrderRequestOf(request),
        CreateConfirmationOrderResult,
        deps.timeoutMs ?? 10_000,
      );
      if (!reply.ok) {
        if (REFUSALS.has(reply.error.code)) throw new IntakeRefusedError(reply.error.message);
        throw new Error(`createConfirmationOrder failed: ${reply.error.code}: ${reply.error.message}`);
      }
      return { confirmationId: reply.result.orderId, created: reply.result.created };
    },
  };
}
