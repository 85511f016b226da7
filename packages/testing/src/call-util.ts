import { randomBytes } from "node:crypto";
import { encodeForm, type FormParams } from "./signature.ts";

/** A Twilio-style SID: the prefix (CA, MZ, AC…) and 32 hex digits. */
export function newSid(prefix: string): string {
  return prefix + randomBytes(16).toString("hex");
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

export function isLoopback(host: string): boolean {
  return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
}

export function appendQuery(url: string, params: FormParams): string {
  const qs = encodeForm(params);
  if (!qs) return url;
  return url + (url.includes("?") ? "&" : "?") + qs;
}
