export { finalizeJob } from "./finalize-job.ts";
export { type LocalStack, PUBLIC_BASE_URL, startLocalStack } from "./local-stack.ts";
export * from "./standard-order.ts";
