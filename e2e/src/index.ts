export { type CallRecord, formatCallRecord, readCallRecord, type StoredCall, storedCall } from "./call-record.ts";
export { type LocalStack, PUBLIC_BASE_URL, startLocalStack } from "./local-stack.ts";
export * from "./standard-order.ts";
