export { type ConnectNatsOptions, connectNats, drainNats, type NatsConnection } from "./connection.ts";
export { consumeEvent, publishEvent } from "./events.ts";
export { NatsRequestError, type NatsRequestErrorKind } from "./errors.ts";
export { defineHandler, defineRequest, type HandlerContext, type HandlerDef, type RequestHandler, type ToolHandler } from "./handler.ts";
export { INTERNAL_ERROR_MESSAGE } from "./reply.ts";
export { parseReply, type RequestToolOptions, requestReply, requestTool, toRequestError } from "./request-tool.ts";
export { type ServeToolsOptions, serveTools, type ToolServer } from "./serve-tools.ts";
export { type ToolImpl, type ToolImpls, toolHandlers } from "./tool-handlers.ts";
export { extractTraceContext, injectTraceHeaders } from "./trace-headers.ts";
