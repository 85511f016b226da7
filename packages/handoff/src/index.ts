export * from "./twiml.ts";
export * from "./client.ts";
