import { z } from "zod";

// Request bodies the emulated `POST /v1/responses` accepts (docs/PROTOCOLS.md §12). Strict: an unknown
// top-level key is a 400 `unknown_parameter`, like the real API.

const InputText = z.strictObject({ type: z.literal("input_text"), text: z.string() });
const OutputText = z.strictObject({
  type: z.literal("output_text"),
  text: z.string(),
  annotations: z.array(z.unknown()).optional(),
  logprobs: z.array(z.unknown()).optional(),
});

const UserMessage = z.strictObject({
  type: z.literal("message").optional(),
  id: z.string().optional(),
  status: z.string().optional(),
  role: z.enum(["user", "system", "developer"]),
  content: z.union([z.string(), z.array(InputText).min(1)]),
});
const AssistantMessage = z.strictObject({
  type: z.literal("message").optional(),
  id: z.string().optional(),
  status: z.string().optional(),
  role: z.literal("assistant"),
  content: z.union([z.string(), z.array(OutputText).min(1)]),
});
const FunctionCall = z.strictObject({
  type: z.literal("function_call"),
  id: z.string().optional(),
  status: z.string().optional(),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
});
const FunctionCallOutput = z.strictObject({
  type: z.literal("function_call_output"),
  id: z.string().optional(),
  status: z.string().optional(),
  call_id: z.string().min(1),
  output: z.string({ error: "function_call_output.output must be a string (JSON-encode objects)" }),
});

export const ResponsesInputItem = z.union([UserMessage, AssistantMessage, FunctionCall, FunctionCallOutput]);
export type ResponsesInputItem = z.infer<typeof ResponsesInputItem>;

export const ResponsesFunctionTool = z.strictObject({
  type: z.literal("function"),
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-zA-Z0-9_-]+$/, "function names are [a-zA-Z0-9_-]{1,64}"),
  description: z.string().nullable().optional(),
  parameters: z.record(z.string(), z.unknown()).nullable(),
  strict: z.boolean().nullable().optional(),
});
export type ResponsesFunctionTool = z.infer<typeof ResponsesFunctionTool>;

export const ResponsesRequest = z.strictObject({
  model: z.string().min(1),
  instructions: z.string().nullable().optional(),
  input: z.union([z.string(), z.array(ResponsesInputItem)]),
  tools: z.array(ResponsesFunctionTool).optional(),
  tool_choice: z.union([z.enum(["auto", "none", "required"]), z.strictObject({ type: z.literal("function"), name: z.string() })]).optional(),
  parallel_tool_calls: z.boolean().nullable().optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z.strictObject({ include_obfuscation: z.boolean().optional() }).nullable().optional(),
  store: z.boolean().nullable().optional(),
  previous_response_id: z.string().nullable().optional(),
  reasoning: z
    .strictObject({
      effort: z.enum(["none", "minimal", "low", "medium", "high", "xhigh"]).nullable().optional(),
      summary: z.enum(["auto", "concise", "detailed"]).nullable().optional(),
    })
    .nullable()
    .optional(),
  prompt_cache_key: z.string().optional(),
  safety_identifier: z.string().optional(),
  user: z.string().optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  max_output_tokens: z.number().int().min(16).nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  truncation: z.enum(["auto", "disabled"]).nullable().optional(),
  text: z
    .strictObject({ format: z.strictObject({ type: z.literal("text") }).optional(), verbosity: z.enum(["low", "medium", "high"]).nullable().optional() })
    .nullable()
    .optional(),
  include: z.array(z.string()).nullable().optional(),
  service_tier: z.enum(["auto", "default", "flex", "priority"]).nullable().optional(),
});
export type ResponsesRequest = z.infer<typeof ResponsesRequest>;

/**
 * With `strict: true` the API requires every object schema to list all its properties in `required` and
 * to set `additionalProperties: false`. Returns the first problem, or undefined.
 */
export function strictSchemaProblem(schema: unknown, path = "()"): string | undefined {
  if (typeof schema !== "object" || schema === null) return undefined;
  const s = schema as Record<string, unknown>;
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    const list = s[key];
    if (Array.isArray(list)) {
      for (const [i, sub] of list.entries()) {
        const p = strictSchemaProblem(sub, `${path}, ${key}, ${i}`);
        if (p) return p;
      }
    }
  }
  if (s["type"] === "object" || (Array.isArray(s["type"]) && s["type"].includes("object")) || "properties" in s) {
    if (s["additionalProperties"] !== false) return `In context=${path}, 'additionalProperties' is required to be supplied and to be false.`;
    const props = (s["properties"] ?? {}) as Record<string, unknown>;
    const required = Array.isArray(s["required"]) ? (s["required"] as unknown[]) : [];
    const missing = Object.keys(props).find((k) => !required.includes(k));
    if (missing !== undefined) return `In context=${path}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing}'.`;
    for (const [name, sub] of Object.entries(props)) {
      const p = strictSchemaProblem(sub, `${path}, 'properties', '${name}'`);
      if (p) return p;
    }
  }
  if (s["items"] !== undefined) return strictSchemaProblem(s["items"], `${path}, 'items'`);
  return undefined;
}
