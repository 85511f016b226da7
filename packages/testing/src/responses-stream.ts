import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { ResponsesAction } from "./responses-script.ts";

/** One output item the emulated model produced (as it appears in `response.output`). */
export type ResponsesOutputItem =
  | { id: string; type: "message"; status: "completed" | "incomplete"; role: "assistant"; content: { type: "output_text"; text: string; annotations: []; logprobs: [] }[] }
  | { id: string; type: "function_call"; status: "completed" | "incomplete"; call_id: string; name: string; arguments: string };

/** How a response's stream ended. */
export type ResponsesOutcome = "completed" | "failed" | "incomplete" | "error" | "cut" | "stall" | "client-aborted";

export const newId = (prefix: string): string => prefix + randomBytes(12).toString("hex");

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

/**
 * Plays a script's actions as the Responses API's server-sent events (docs/PROTOCOLS.md §12): each event
 * is `event: <type>` + `data: {type, sequence_number, …}`. With `res` undefined it only builds the output
 * (the non-streaming shape). `finalize(status)` builds the response object for created/completed events.
 */
export class ResponsesStreamer {
  readonly output: ResponsesOutputItem[] = [];
  outcome: ResponsesOutcome = "completed";
  /** Text and argument characters produced (for output token counts). */
  outputChars = 0;
  private seq = 0;
  private readonly res: ServerResponse | undefined;
  private readonly deltaDelayMs: number;
  private readonly signal: AbortSignal;

  constructor(opts: { res: ServerResponse | undefined; deltaDelayMs: number; signal: AbortSignal }) {
    this.res = opts.res;
    this.deltaDelayMs = opts.deltaDelayMs;
    this.signal = opts.signal;
  }

  private send(type: string, body: Record<string, unknown>): void {
    if (!this.res || this.res.destroyed || this.signal.aborted) return;
    const data = { type, sequence_number: this.seq++, ...body };
    this.res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private async pace(): Promise<void> {
    if (this.res) await sleep(this.deltaDelayMs, this.signal);
  }

  /** `response.created` and `response.in_progress`. */
  begin(response: Record<string, unknown>): void {
    this.send("response.created", { response });
    this.send("response.in_progress", { response });
  }

  /**
   * Runs the actions; stops early at a fault. Returns the terminal event to send (the caller builds the
   * final response object) or undefined when the stream must end without one (cut / stall / abort).
   */
  async run(actions: ResponsesAction[]): Promise<{ type: string; code?: string; message?: string; reason?: string } | undefined> {
    for (const action of actions) {
      if (this.signal.aborted) {
        this.outcome = "client-aborted";
        return undefined;
      }
      switch (action.kind) {
        case "text":
          await this.text(action.text);
          break;
        case "call":
          await this.call(action.name, action.arguments);
          break;
        case "error":
          this.outcome = "error";
          this.send("error", { code: action.code, message: action.message, param: null });
          return undefined;
        case "failed":
          this.outcome = "failed";
          return { type: "response.failed", code: action.code, message: action.message };
        case "incomplete":
          this.outcome = "incomplete";
          return { type: "response.incomplete", reason: action.reason };
        case "cut":
          this.outcome = "cut";
          // Everything written so far is flushed, then the connection ends without the chunked terminator.
          this.res?.socket?.end();
          return undefined;
        case "stall":
          this.outcome = "stall";
          await new Promise<void>((resolve) => {
            if (this.signal.aborted) return resolve();
            this.signal.addEventListener("abort", () => resolve(), { once: true });
          });
          return undefined;
        case "http":
          throw new Error("respondHttp must be the only action of its turn");
      }
    }
    if (this.signal.aborted) {
      this.outcome = "client-aborted";
      return undefined;
    }
    return { type: "response.completed" };
  }

  /** Sends the terminal event carrying the final response object. */
  end(type: string, response: Record<string, unknown>): void {
    this.send(type, { response });
  }

  private async text(text: string): Promise<void> {
    const outputIndex = this.output.length;
    const id = newId("msg_");
    const item: ResponsesOutputItem = { id, type: "message", status: "completed", role: "assistant", content: [] };
    this.send("response.output_item.added", { output_index: outputIndex, item: { ...item, status: "in_progress", content: [] } });
    this.send("response.content_part.added", { item_id: id, output_index: outputIndex, content_index: 0, part: { type: "output_text", annotations: [], logprobs: [], text: "" } });
    let said = "";
    for (const delta of text.split(/(?<=\s)/)) {
      await this.pace();
      if (this.signal.aborted) break;
      said += delta;
      this.outputChars += delta.length;
      this.send("response.output_text.delta", { item_id: id, output_index: outputIndex, content_index: 0, delta, logprobs: [] });
    }
    const part = { type: "output_text" as const, annotations: [] as [], logprobs: [] as [], text: said };
    item.content.push(part);
    this.output.push(item);
    this.send("response.output_text.done", { item_id: id, output_index: outputIndex, content_index: 0, text: said, logprobs: [] });
    this.send("response.content_part.done", { item_id: id, output_index: outputIndex, content_index: 0, part });
    this.send("response.output_item.done", { output_index: outputIndex, item });
  }

  private async call(name: string, args: string): Promise<void> {
    const outputIndex = this.output.length;
    const id = newId("fc_");
    const item: ResponsesOutputItem = { id, type: "function_call", status: "completed", call_id: newId("call_"), name, arguments: args };
    this.send("response.output_item.added", { output_index: outputIndex, item: { ...item, status: "in_progress", arguments: "" } });
    // Arguments arrive in a few slices, like the model's tokens.
    const slices = Math.min(4, Math.max(1, Math.ceil(args.length / 16)));
    const size = Math.ceil(args.length / slices);
    for (let i = 0; i < args.length; i += size) {
      await this.pace();
      this.send("response.function_call_arguments.delta", { item_id: id, output_index: outputIndex, delta: args.slice(i, i + size) });
    }
    this.outputChars += args.length + name.length;
    this.output.push(item);
    this.send("response.function_call_arguments.done", { item_id: id, output_index: outputIndex, arguments: args });
    this.send("response.output_item.done", { output_index: outputIndex, item });
  }
}
