export { type ConnectNatsOptions, connectNats, drainNats, type NatsConnection } from "./connection.ts";
export { describeIssues, NatsRequestError, type NatsRequestErrorKind } from "./errors.ts";
export { defineHandler, type HandlerContext, type HandlerDef, type ToolHandler } from "./handler.ts";
export { type RequestToolOptions, requestTool } from "./request-tool.ts";
export { INTERNAL_ERROR_MESSAGE, type ServeToolsOptions, serveTools, type ToolServer } from "./serve-tools.ts";
export { extractTraceContext, injectTraceHeaders } from "./trace-headers.ts";
export { type ServeRequestOptions, serveRequest } from "./serve-request.ts";
