import { type CallSurveyJob, type OrderConfirmationCallJob, type OrderReadyCallJob, QUEUES, type SmsReceiptJob } from "@orderline/contracts";
import { addTracedJob } from "@orderline/runtime";
import type { Queue } from "bullmq";

/** Retries with backoff for infrastructure failures; nothing kept once done (payloads may hold personal data). */
const JOB_OPTIONS = { attempts: 6, backoff: { type: "exponential", delay: 2000 }, removeOnComplete: true, removeOnFail: { age: 7 * 86_400 } } as const;

/** The order-ready call; job id `ready-{orderId}`, so repeats while one exists add nothing (the database guards the rest). */
export async function enqueueReadyCall(queue: Queue, job: OrderReadyCallJob): Promise<string> {
  const jobId = `ready-${job.orderId}`;
  await addTracedJob(queue, QUEUES.orderReadyCall, job, { ...JOB_OPTIONS, jobId });
  return jobId;
}

/** The receipt SMS; job id `receipt-{orderId}`. */
export async function enqueueReceipt(queue: Queue, job: SmsReceiptJob): Promise<string> {
  const jobId = `receipt-${job.orderId}`;
  await addTracedJob(queue, QUEUES.smsReceipt, job, { ...JOB_OPTIONS, jobId });
  return jobId;
}

/** The survey after a call; job id `survey-{callId}`. */
export async function enqueueSurvey(queue: Queue, job: CallSurveyJob): Promise<string> {
  const jobId = `survey-${job.callId}`;
  await addTracedJob(queue, QUEUES.callSurvey, job, { ...JOB_OPTIONS, jobId });
  return jobId;
}

/**
 * The confirmation call; job id `confirm-{orderId}-{n}` for the n-th dial (a retry on request is a new job), so
 * repeated triggers add nothing. The order's state decides anyway: only NEW with no lock is ever dialled.
 */
export async function enqueueConfirmationCall(queue: Queue, job: OrderConfirmationCallJob, dial: number): Promise<string> {
  const jobId = `confirm-${job.orderId}-${dial}`;
  await addTracedJob(queue, QUEUES.orderConfirmationCall, job, { ...JOB_OPTIONS, jobId });
  return jobId;
}
