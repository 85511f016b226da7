export { buildDemoChain } from "./build.ts";
export * from "./constants.ts";
export { seedCallSid, seedUuid } from "./ids.ts";
export { SeedError, type SeedOptions, type SeedSummary, seedDemoChain } from "./seed.ts";
