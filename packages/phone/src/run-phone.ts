import type { Database } from "@orderline/db";
import type { Kysely } from "kysely";
import { type CallOrder, callOrders } from "@orderline/agent/scenario-files";
import { formatOrder } from "./format-order.ts";
import { PhoneCall, type PhoneOptions } from "./phone-call.ts";
import { playScript, readLines, STANDARD_ORDER_LINES, talkInteractively, type Write } from "./terminal-call.ts";

export interface RunPhoneOptions extends PhoneOptions {
  /** Where the orders are read from at the end (by the call's SID). */
  db: Kysely<Database>;
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream;
  write?: Write;
  /** Lines to play instead of reading standard input (a scripted call). */
  script?: readonly string[];
}

export interface PhoneRun {
  callSid: string;
  interactive: boolean;
  orders: CallOrder[];
}

/**
 * One call from this terminal: a person at the keyboard when standard input is a terminal, else the lines of
 * standard input (the built-in standard order when it has none) played as the caller. Ends by printing the
 * orders the call submitted, as stored in Postgres.
 */
export async function runPhone(opts: RunPhoneOptions): Promise<PhoneRun> {
  const input = opts.input ?? process.stdin;
  const write = opts.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const call = new PhoneCall(opts);
  const interactive = !opts.script && input.isTTY === true;
  write(`Calling ${opts.to} from ${opts.from} (call ${call.callSid}) …`);
  if (interactive) {
    write('Type what you would say and press Enter. "bye" or Ctrl-C hangs up.\n');
    await talkInteractively(call, write, input, opts.output ?? process.stdout);
  } else {
    const lines = opts.script ?? (await readLines(input));
    await playScript(call, lines.length > 0 ? lines : STANDARD_ORDER_LINES, write);
  }
  const orders = await callOrders(opts.db, call.callSid);
  write("\n── Order(s) of this call, as stored in Postgres ──");
  if (orders.length === 0) write("no order was submitted");
  for (const o of orders) write(formatOrder(o));
  return { callSid: call.callSid, interactive, orders };
}
