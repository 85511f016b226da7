import type { z } from "zod";
import { type ResponsesRequest, strictSchemaProblem } from "./responses-schemas.ts";

// How the emulated Responses API refuses a request, with the messages, params and codes the real one uses.

/** An HTTP error answered in the API's shape: `{error: {message, type, param, code}}`. */
export class OpenAiHttpError extends Error {
  readonly status: number;
  readonly param: string | null;
  readonly code: string | null;
  readonly type: string;
  constructor(status: number, message: string, param: string | null = null, code: string | null = null, type = "invalid_request_error") {
    super(message);
    this.status = status;
    this.param = param;
    this.code = code;
    this.type = type;
  }
}

function zodPath(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`)).join("");
}

type Issue = z.core.$ZodIssue;

/** For a union that failed, the branch's issue that got furthest into the value (the most telling one). */
function mostSpecific(issue: Issue): Issue {
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return issue;
  const candidates = issue.errors.map((branch) => branch[0]).filter((i): i is Issue => i !== undefined);
  // A branch failing on the discriminating `type`/`role` literal is the wrong branch, not the problem.
  const wrongBranch = (i: Issue) => i.code === "invalid_value" && ["type", "role"].includes(String(i.path.at(-1)));
  const best = [...candidates].sort((a, b) => Number(wrongBranch(a)) - Number(wrongBranch(b)) || b.path.length - a.path.length)[0];
  return best ? mostSpecific({ ...best, path: [...issue.path, ...best.path] }) : issue;
}

function valueAt(body: unknown, path: PropertyKey[]): unknown {
  let v = body;
  for (const p of path) v = typeof v === "object" && v !== null ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

export function schemaError(error: z.ZodError, body: unknown): OpenAiHttpError {
  const issue = mostSpecific(error.issues[0]!);
  if (issue.code === "unrecognized_keys") {
    const key = zodPath([...issue.path, issue.keys[0]!]);
    return new OpenAiHttpError(400, `Unknown parameter: '${key}'.`, key, "unknown_parameter");
  }
  const param = zodPath(issue.path);
  if (issue.code === "invalid_type" && valueAt(body, issue.path) === undefined) {
    return new OpenAiHttpError(400, `Missing required parameter: '${param}'.`, param, "missing_required_parameter");
  }
  return new OpenAiHttpError(400, `Invalid value for '${param}': ${issue.message}`, param, issue.code === "invalid_type" ? "invalid_type" : "invalid_value");
}

export function checkRequestSemantics(body: ResponsesRequest, stored: ReadonlyMap<string, { pendingCallIds: string[] }>): void {
  const tools = body.tools ?? [];
  const names = new Set<string>();
  for (const [i, t] of tools.entries()) {
    if (names.has(t.name)) throw new OpenAiHttpError(400, `Duplicate tool name '${t.name}'.`, `tools[${i}].name`, "invalid_value");
    names.add(t.name);
    if (t.strict !== false) {
      const problem = t.parameters === null ? undefined : strictSchemaProblem(t.parameters);
      if (problem) throw new OpenAiHttpError(400, `Invalid schema for function '${t.name}': ${problem}`, `tools[${i}].parameters`, "invalid_function_parameters");
    }
  }
  const choice = body.tool_choice;
  if (typeof choice === "object" && !names.has(choice.name)) {
    throw new OpenAiHttpError(400, `Tool choice '${choice.name}' not found in 'tools' parameter.`, "tool_choice", "invalid_value");
  }
  const input = typeof body.input === "string" ? [] : body.input;
  if (typeof body.input === "string" ? body.input.length === 0 : input.length === 0) throw new OpenAiHttpError(400, "Invalid 'input': empty input.", "input", "empty_array");
  const prevId = body.previous_response_id;
  const prev = prevId ? stored.get(prevId) : undefined;
  if (prevId && !prev) throw new OpenAiHttpError(400, `Previous response with id '${prevId}' not found.`, "previous_response_id", "previous_response_not_found");
  const calls = new Set<string>(prev?.pendingCallIds ?? []);
  for (const item of input) if (item.type === "function_call") calls.add(item.call_id);
  const answered = new Set<string>();
  for (const item of input) {
    if (item.type !== "function_call_output") continue;
    if (!calls.has(item.call_id)) throw new OpenAiHttpError(400, `No tool call found for function call output with call_id ${item.call_id}.`, "input");
    answered.add(item.call_id);
  }
  const missing = [...calls].find((c) => !answered.has(c));
  if (missing) throw new OpenAiHttpError(400, `No tool output found for function call ${missing}.`, "input");
}
