import { createInterface } from "node:readline/promises";
import type { LineEvent, PhoneCall } from "./phone-call.ts";

/** The conversation the phone plays when nobody is at the keyboard and standard input gives no lines. */
export const STANDARD_ORDER_LINES: readonly string[] = ["Hi, I'd like a large pepperoni pizza for pickup", "no thanks, that's it", "Mike, 555-123-4567", "yes"];

/** Words that hang up the phone when typed on their own. */
const HANG_UP_WORDS = new Set(["bye", "goodbye", "/hangup", "/quit"]);

export type Write = (line: string) => void;

export function describeEvent(e: LineEvent): string[] {
  switch (e.kind) {
    case "say":
      return [`Restaurant: ${e.text}`];
    case "transfer":
      return [`→ transferring to ${e.number}`, ...e.whisper.map((w) => `  (whisper to staff: ${w})`)];
    case "unsupported":
      return [`(the gateway answered with <${e.verb}>, which this phone does not play; hanging up)`];
    case "hangup":
      return ["(the restaurant hung up)"];
  }
}

function show(events: LineEvent[], write: Write): void {
  for (const e of events) for (const line of describeEvent(e)) write(line);
}

/**
 * A person at the keyboard: each line typed is what they say. Ctrl-C, Ctrl-D or "bye" hangs up.
 * Returns once the call is over.
 */
export async function talkInteractively(call: PhoneCall, write: Write, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Promise<void> {
  const rl = createInterface({ input, output, terminal: true });
  let hungUp = false;
  const hangUp = async () => {
    if (hungUp || call.isOver) return;
    hungUp = true;
    write("(you hung up)");
    await call.hangUp();
  };
  const interrupted = new Promise<void>((resolve) => rl.once("SIGINT", () => void hangUp().then(resolve)));
  const closed = new Promise<void>((resolve) => rl.once("close", () => void hangUp().then(resolve)));
  try {
    show(await call.dial(), write);
    while (!call.isOver && !hungUp) {
      const line = await Promise.race([rl.question("You: "), interrupted.then(() => null), closed.then(() => null)]);
      if (line === null || hungUp) break;
      if (HANG_UP_WORDS.has(line.trim().toLowerCase())) {
        await hangUp();
        break;
      }
      show(await call.speak(line), write);
    }
    if (call.isOver && !hungUp) await call.hangUp();
  } finally {
    rl.close();
  }
}

/** Plays `lines` as the caller (one per turn, echoed), then hangs up; stops early when the call ends. */
export async function playScript(call: PhoneCall, lines: readonly string[], write: Write): Promise<void> {
  show(await call.dial(), write);
  for (const line of lines) {
    if (call.isOver) break;
    write(`You: ${line}`);
    if (HANG_UP_WORDS.has(line.trim().toLowerCase())) break;
    show(await call.speak(line), write);
  }
  if (!call.isOver) write("(you hung up)");
  await call.hangUp();
}

/** Every non-empty line of a stream (a pipe or a file). */
export async function readLines(input: NodeJS.ReadableStream): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const c of input) chunks.push(typeof c === "string" ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks)
    .toString("utf8")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}
