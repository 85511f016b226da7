/** `usage` of a Responses API response (docs/PROTOCOLS.md §12). */
export type ResponsesUsage = {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
};

/** The API caches prompt prefixes of at least 1,024 tokens, in steps of 128. */
const MIN_CACHED = 1024;
const CACHE_STEP = 128;
const KEPT_PROMPTS = 64;

const tokens = (chars: number) => Math.ceil(chars / 4);

/**
 * Token counts the emulated model bills: ~4 characters per token over the whole prompt (instructions,
 * tools, the conversation including what `previous_response_id` brings back) and the output; cached
 * tokens = the longest prefix shared with an earlier prompt, when it is long enough to be cached.
 */
export class ResponsesUsageMeter {
  readonly totals = { requests: 0, input_tokens: 0, cached_tokens: 0, output_tokens: 0, total_tokens: 0 };
  private readonly prompts: string[] = [];

  measure(body: { model: string; instructions?: string | null; tools?: unknown[] }, context: unknown[], outputChars: number): ResponsesUsage {
    const prompt = JSON.stringify([body.model, body.instructions ?? "", body.tools ?? []]) + context.map((c) => JSON.stringify(c)).join("");
    let shared = 0;
    for (const earlier of this.prompts) shared = Math.max(shared, commonPrefix(earlier, prompt));
    this.prompts.push(prompt);
    if (this.prompts.length > KEPT_PROMPTS) this.prompts.shift();
    const input = tokens(prompt.length);
    const sharedTokens = Math.floor(shared / 4);
    const cached = sharedTokens >= MIN_CACHED ? Math.min(input, Math.floor(sharedTokens / CACHE_STEP) * CACHE_STEP) : 0;
    const output = tokens(outputChars);
    const usage: ResponsesUsage = {
      input_tokens: input,
      input_tokens_details: { cached_tokens: cached, cache_write_tokens: 0 },
      output_tokens: output,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: input + output,
    };
    this.totals.requests += 1;
    this.totals.input_tokens += input;
    this.totals.cached_tokens += cached;
    this.totals.output_tokens += output;
    this.totals.total_tokens += input + output;
    return usage;
  }
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}
