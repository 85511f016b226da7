export { formatOrder } from "./format-order.ts";
export { type LineEvent, PhoneCall, type PhoneOptions } from "./phone-call.ts";
export { type PhoneRun, type RunPhoneOptions, runPhone } from "./run-phone.ts";
export { describeEvent, playScript, STANDARD_ORDER_LINES, talkInteractively } from "./terminal-call.ts";
