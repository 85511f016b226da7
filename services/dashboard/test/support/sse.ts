import type { Json } from "./stack.ts";

/** A server-sent events stream read the way EventSource would: every `event:`/`data:` block parsed as it arrives. */
export async function openEventStream(url: string, cookie: string): Promise<{ status: number; events: { event: string; data: Json }[]; close(): void }> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { cookie, accept: "text/event-stream" }, signal: abort.signal });
  const events: { event: string; data: Json }[] = [];
  if (res.ok && res.body) {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
          end = buffer.indexOf("\n\n");
        }
      }
    })().catch(() => {});
  }
  return { status: res.status, events, close: () => abort.abort() };
}
