import { TOOLS, type ToolName, type ToolResult } from "@orderline/contracts";
import type { AgentTools } from "./types.ts";

/** Error codes that mean the system, not the caller's request, failed: the call goes to staff with an apology. */
const TECHNICAL_CODES = new Set(["timeout", "no_responders", "internal", "unknown_location", "forbidden", "invalid_arguments"]);

export type ToolOutcome<N extends ToolName> =
  | { ok: true; result: ToolResult<N> }
  | { ok: false; error: { code: string; message: string; details: Record<string, unknown> } };

/**
 * A tool failed for technical reasons (or answered something the registry's result schema rejects); `tool` is
 * "menu" when it was the agent's menu read (`AgentTools.readMenu`).
 */
export class TechnicalFailureError extends Error {
  override readonly name = "TechnicalFailureError";
  readonly tool: ToolName | "menu";
  constructor(tool: ToolName | "menu", message: string, options?: { cause?: unknown }) {
    super(`${tool}: ${message}`, options);
    this.tool = tool;
  }
}

/**
 * Calls a tool through the gateway's dispatch and parses an ok result with the registry's result schema
 * (`TOOLS[name].result`), so the agent never works on a cast. Domain errors (not_on_menu, needs_size, …) come
 * back as values; technical ones throw TechnicalFailureError.
 */
export async function callTool<N extends ToolName>(tools: AgentTools, name: N, args: Record<string, unknown>): Promise<ToolOutcome<N>> {
  let reply: Awaited<ReturnType<AgentTools["call"]>>;
  try {
    reply = await tools.call(name, args);
  } catch (err) {
    throw new TechnicalFailureError(name, err instanceof Error ? err.message : String(err), { cause: err });
  }
  if (!reply.ok) {
    if (TECHNICAL_CODES.has(reply.error.code)) throw new TechnicalFailureError(name, `${reply.error.code}: ${reply.error.message}`);
    const details = (reply.error as { details?: unknown }).details;
    return {
      ok: false,
      error: {
        code: reply.error.code,
        message: reply.error.message,
        details: details && typeof details === "object" ? (details as Record<string, unknown>) : {},
      },
    };
  }
  const parsed = TOOLS[name].result.safeParse(reply.result);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join(".") || "(result)"}: ${i.message}`).join("; ");
    throw new TechnicalFailureError(name, `result does not match the registry: ${where}`);
  }
  return { ok: true, result: parsed.data as ToolResult<N> };
}

/** Like callTool, for tools whose domain errors the agent does not expect: any error is technical. */
export async function callToolOk<N extends ToolName>(tools: AgentTools, name: N, args: Record<string, unknown>): Promise<ToolResult<N>> {
  const out = await callTool(tools, name, args);
  if (!out.ok) throw new TechnicalFailureError(name, `${out.error.code}: ${out.error.message}`);
  return out.result;
}

/** Names listed in an error's details (`alternatives`, `suggestions`, `candidates`, `choices`). */
export function detailNames(details: Record<string, unknown>, key: string): string[] {
  const list = details[key];
  if (!Array.isArray(list)) return [];
  return list
    .map((x) => (x && typeof x === "object" && typeof (x as { name?: unknown }).name === "string" ? (x as { name: string }).name : null))
    .filter((x): x is string => x !== null)
    .slice(0, 4);
}
