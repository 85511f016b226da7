import {
  type GatherAnswer,
  type RelayStep,
  type ResponsesTurn,
  relayHangsUp,
  relaySays,
  relayWaitsForReply,
  respondText,
  respondToolCall,
  type CallerStep,
  callerHangsUp,
  callerSays,
  callerWaitsForReply,
  callTool,
  type ScriptTurnInput,
  say,
} from "@orderline/testing";

/**
 * The seed's standard order flow: greeting → start_order pickup → get_item_details "pepperoni pizza" →
 * check_availability → add_item large → get_order_summary → submit_order "Mike", "555-123-4567".
 * What the emulated model does, turn by turn (the emulator plays it and validates what the gateway sends).
 */
export const STANDARD_ORDER_MODEL: ScriptTurnInput[] = [
  { greeting: say("Thanks for calling Tony's Pizzeria Midtown! I'm the restaurant's AI ordering assistant. How can I help?", 1600) },
  { onCallerSpeech: callTool("start_order", { order_type: "pickup" }), heard: "Hi, I'd like a large pepperoni pizza for pickup." },
  { onToolResult: callTool("get_item_details", { item_name: "pepperoni pizza" }) },
  { onToolResult: callTool("check_availability", { item_name: "pepperoni pizza" }) },
  { onToolResult: callTool("add_item", { item: "pepperoni pizza", size: "large", quantity: 1 }) },
  { onToolResult: say("One large pepperoni pizza. Would you like a drink or garlic knots with that?", 1400) },
  { onCallerSpeech: callTool("get_order_summary", {}), heard: "No thanks, that's all." },
  { onToolResult: say("That's one large pepperoni pizza for pickup. Shall I place the order? What name should I put it under?", 1600) },
  { onCallerSpeech: callTool("submit_order", { customer_name: "Mike", phone: "555-123-4567" }), heard: "Yes please, it's Mike, 555-123-4567." },
  { onToolResult: say("You're all set, Mike! It'll be ready for pickup soon. Thanks for calling!", 1400) },
];

/** What the caller does: listen, order, decline the upsell, confirm with name and phone, hang up. */
export const STANDARD_ORDER_CALLER: CallerStep[] = [
  callerWaitsForReply(),
  callerSays(1200, { text: "Hi, I'd like a large pepperoni pizza for pickup." }),
  callerWaitsForReply(),
  callerSays(800, { text: "No thanks, that's all." }),
  callerWaitsForReply(),
  callerSays(1200, { text: "Yes please, it's Mike, 555-123-4567." }),
  callerWaitsForReply(),
  callerHangsUp(),
];

export const STANDARD_ORDER_TOOLS = ["start_order", "get_item_details", "check_availability", "add_item", "get_order_summary", "submit_order"] as const;

/** The same flow as a text model plays it (OpenAI Responses API emulator): one request per caller turn or tool result. */
export const STANDARD_ORDER_TEXT_MODEL: ResponsesTurn[] = [
  { on: "user", match: "large pepperoni", actions: respondToolCall("start_order", { order_type: "pickup" }) },
  { on: "tool_result", actions: respondToolCall("get_item_details", { item_name: "pepperoni pizza" }) },
  { on: "tool_result", actions: respondToolCall("check_availability", { item_name: "pepperoni pizza" }) },
  { on: "tool_result", actions: respondToolCall("add_item", { item: "pepperoni pizza", size: "large", quantity: 1 }) },
  { on: "tool_result", actions: respondText("One large pepperoni pizza. Would you like a drink or garlic knots with that?") },
  { on: "user", match: "that's all", actions: respondToolCall("get_order_summary", {}) },
  { on: "tool_result", actions: respondText("That's one large pepperoni pizza for pickup. Shall I place the order? What name should I put it under?") },
  { on: "user", match: "Mike", actions: respondToolCall("submit_order", { customer_name: "Mike", phone: "555-123-4567" }) },
  { on: "tool_result", actions: respondText("You're all set, Mike! It'll be ready for pickup soon. Thanks for calling!") },
];

/** The caller's side of the flow over ConversationRelay (Twilio sends the recognised words as prompts). */
export const STANDARD_ORDER_RELAY_CALLER: RelayStep[] = [
  relaySays("Hi, I'd like a large pepperoni pizza for pickup."),
  relayWaitsForReply(),
  relaySays("No thanks, that's all."),
  relayWaitsForReply(),
  relaySays("Yes please, it's Mike, 555-123-4567."),
  relayWaitsForReply(),
  relayHangsUp(),
];

/** The caller's side of the flow over <Gather> turns (speech results posted to the action URL). */
export const STANDARD_ORDER_GATHER_ANSWERS: GatherAnswer[] = [
  { speech: "Hi, I'd like a large pepperoni pizza for pickup.", confidence: 0.93 },
  { speech: "No thanks, that's all.", confidence: 0.88 },
  { speech: "Yes please, it's Mike, 555-123-4567.", confidence: 0.9 },
  "hangup",
];

/** The standard order as a caller tells it to the local agent over <Gather> (it asks for the name, the phone, then confirms). */
export const STANDARD_ORDER_LOCAL_AGENT_ANSWERS: GatherAnswer[] = [
  { speech: "Hi, I'd like a large pepperoni pizza for pickup." },
  { speech: "No thanks, that's all." },
  { speech: "Mike" },
  { speech: "555 123 4567" },
  { speech: "yes" },
  "hangup",
];
