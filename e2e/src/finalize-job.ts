import { type CallFinalizeJob, QUEUES, redisKeys } from "@orderline/contracts";
import { waitFor } from "@orderline/testing";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";

/** The finalization job the gateway enqueued for a call (BullMQ, under the stack's key prefix); bounded wait. */
export async function finalizeJob(redis: Redis, redisPrefix: string, callSid: string, timeoutMs = 10_000): Promise<CallFinalizeJob> {
  const queue = new Queue(QUEUES.callFinalize, { connection: redis, prefix: redisKeys(redisPrefix).bullPrefix() });
  try {
    const job = await waitFor(() => queue.getJob(callSid), { timeoutMs, message: `the finalization job of ${callSid}` });
    return job.data as CallFinalizeJob;
  } finally {
    await queue.close();
  }
}
