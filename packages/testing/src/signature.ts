import { createHash, createHmac } from "node:crypto";

/** Form parameters as Twilio posts them: a value, or several values for a repeated name. */
export type FormParams = Record<string, string | readonly string[]>;

/**
 * Twilio's request signature (docs/PROTOCOLS.md §3): the full URL exactly as requested (with its query), then
 * each POST parameter `name + value` in alphabetical order of name (repeated values de-duplicated, sorted,
 * each appended), HMAC-SHA1 keyed with the auth token, base64.
 */
export function twilioSignature(authToken: string, url: string, params: FormParams = {}): string {
  if (authToken.length === 0) throw new Error("twilioSignature: authToken must not be empty");
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name]!;
    if (typeof value === "string") {
      data += name + value;
    } else {
      for (const v of [...new Set(value)].sort()) data += name + v;
    }
  }
  return createHmac("sha1", authToken).update(Buffer.from(data, "utf8")).digest("base64");
}

/** Hex SHA-256 of a raw request body, as Twilio puts it in `?bodySHA256=` for JSON webhooks. */
export function bodySha256(body: string): string {
  return createHash("sha256").update(body, "utf8").digest("hex");
}

/**
 * Signs a JSON-bodied webhook the way Twilio does: appends `bodySHA256=<hex>` to the URL's query and
 * signs that URL with no parameters. Returns the URL to request and the `X-Twilio-Signature` value.
 */
export function signJsonWebhook(authToken: string, url: string, body: string): { url: string; signature: string } {
  const signedUrl = `${url}${url.includes("?") ? "&" : "?"}bodySHA256=${bodySha256(body)}`;
  return { url: signedUrl, signature: twilioSignature(authToken, signedUrl, {}) };
}

/** Encodes form params as `application/x-www-form-urlencoded`, repeating names for array values. */
export function encodeForm(params: FormParams): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === "string") body.append(name, value);
    else for (const v of value) body.append(name, v);
  }
  return body.toString();
}

/** Decodes a form body into FormParams (names seen more than once become arrays). */
export function decodeForm(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const prev = out[name];
    if (prev === undefined) out[name] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else out[name] = [prev, value];
  }
  return out;
}
