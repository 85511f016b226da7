export { createLocalAgent } from "./agent.ts";
export { AgentState, initialState, ItemRequest, parseState } from "./state.ts";
export type { AgentCallContext, AgentReply, AgentTools, LocalAgent, LocalAgentOptions } from "./types.ts";
export { TechnicalFailureError } from "./tool-client.ts";
export { type ParsedItem, type ParsedOrder, parseOrder } from "./items.ts";
export { clean } from "./text.ts";
