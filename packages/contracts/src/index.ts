export * from "./enums.ts";
export * from "./errors.ts";
export * from "./envelope.ts";
export * from "./events.ts";
export * from "./money.ts";
export * from "./queues.ts";
export * from "./redis-keys.ts";
export * from "./tools.ts";
