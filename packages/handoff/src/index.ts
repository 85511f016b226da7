export * from "./twiml.ts";
