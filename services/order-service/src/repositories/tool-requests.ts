import { ToolFailure } from "@orderline/contracts";
import type { JsonValue } from "@orderline/db";
import type { Db } from "./orders.ts";

/**
 * Applied mutating requests, keyed by (call, Realtime call_id): a retry of the same requestId gets the reply
 * stored in the same transaction as the change, so a timeout followed by a retry never adds a second pizza.
 */
export async function findAppliedReply(db: Db, callSid: string, requestId: string, tool: string): Promise<unknown | undefined> {
  const row = await db
    .selectFrom("tool_requests")
    .select(["tool", "reply"])
    .where("call_sid", "=", callSid)
    .where("request_id", "=", requestId)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.tool !== tool) {
    throw new ToolFailure("invalid_arguments", "Sorry, something went wrong with that request. Could you say it again?", {
      problem: `requestId ${requestId} was already used for ${row.tool}`,
    });
  }
  return row.reply;
}

export async function storeAppliedReply(
  db: Db,
  r: { callSid: string; requestId: string; tool: string; orderId: string; reply: unknown; now: Date },
): Promise<void> {
  await db
    .insertInto("tool_requests")
    .values({
      call_sid: r.callSid,
      request_id: r.requestId,
      tool: r.tool,
      order_id: r.orderId,
      reply: JSON.stringify(r.reply as JsonValue),
      created_at: r.now,
    })
    .execute();
}
