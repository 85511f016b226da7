import { createHash, randomBytes } from "node:crypto";
import { CONFIRMATION_SUBJECTS, type CreateConfirmationOrderInput, type CreateConfirmationOrderResult, type ToolReply } from "@orderline/contracts";
import { DEMO_BRAND } from "@orderline/db";
import { connectNats, type NatsConnection } from "@orderline/nats";
import type { LocalStack } from "./local-stack.ts";

/** What a sheet adapter or a web shop does with the local stack: take an order in, trigger its confirmation call. */
export interface ConfirmationClient {
  /** `createConfirmationOrder` over NATS (answered by the order-service process). */
  intake(body: CreateConfirmationOrderInput): Promise<ToolReply<CreateConfirmationOrderResult>>;
  /** `POST /orders/call` (or `/orders/call/retry`) on the worker with this integration's API key. */
  trigger(body: Record<string, unknown>, opts?: { retry?: boolean; key?: string | null }): Promise<{ status: number; body: Record<string, unknown> }>;
  /** The integration's API key (stored only as its SHA-256). */
  key: string;
  close(): Promise<void>;
}

/** An integration of the demo brand for `sheetId` (null: none of its own), and a NATS connection under the stack's prefix. */
export async function confirmationClient(stack: LocalStack, sheetId: string | null): Promise<ConfirmationClient> {
  const key = `olk_${randomBytes(24).toString("hex")}`;
  await stack.db.db
    .insertInto("confirmation_integrations")
    .values({ brand_id: DEMO_BRAND.id, name: "demo sheet", key_sha256: createHash("sha256").update(key).digest("hex"), sheet_id: sheetId })
    .execute();
  const nc: NatsConnection = await connectNats({ url: process.env["NATS_URL"] ?? "nats://127.0.0.1:4222", name: "e2e-confirmation" });
  const workerUrl = `http://127.0.0.1:${stack.services.worker.env["PORT"]}`;
  return {
    key,
    async intake(body) {
      const msg = await nc.request(CONFIRMATION_SUBJECTS.createOrder(stack.natsPrefix), JSON.stringify(body), { timeout: 10_000 });
      return msg.json();
    },
    async trigger(body, opts = {}) {
      const auth = opts.key === null ? {} : { authorization: `Bearer ${opts.key ?? key}` };
      const res = await fetch(`${workerUrl}/orders/call${opts.retry ? "/retry" : ""}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...auth },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    async close() {
      await nc.drain();
    },
  };
}
