import { CONFIRMATION_SUBJECTS } from "@orderline/contracts";
import { type ConfirmationRow, confirmationEventOf } from "@orderline/db";
import type { NatsConnection } from "@orderline/nats";
import type { Logger } from "@orderline/telemetry";

/** Publishes a committed confirmation state change (contracts `ConfirmationStateEvent`) for mirrors such as a sheet. */
export type PublishConfirmation = (row: ConfirmationRow | null) => void;

export function confirmationPublisher(nc: NatsConnection, prefix: string, logger: Logger): PublishConfirmation {
  return (row) => {
    if (!row) return;
    const event = confirmationEventOf(row);
    try {
      nc.publish(CONFIRMATION_SUBJECTS.stateChanged(event.locationId, event.state, prefix), JSON.stringify(event));
    } catch (err) {
      // Postgres is the record; a mirror catches up from confirmation_updated_at.
      logger.error({ err, orderId: event.orderId, state: event.state }, "could not publish confirmation state event");
    }
  };
}
