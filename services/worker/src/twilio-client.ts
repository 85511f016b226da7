import twilio from "twilio";

export type TwilioClient = ReturnType<typeof twilio>;

/** The real `twilio` client; with `apiBaseUrl` (tests, demo) every request goes there instead of *.twilio.com. */
export function createTwilioClient(opts: { accountSid: string; authToken: string; apiBaseUrl?: string | undefined }): TwilioClient {
  if (!opts.apiBaseUrl) return twilio(opts.accountSid, opts.authToken);
  const base = opts.apiBaseUrl.replace(/\/+$/, "");
  const real = new twilio.RequestClient();
  const httpClient = {
    request: (o: Parameters<typeof real.request>[0]) => real.request({ ...o, uri: o.uri.replace(/^https:\/\/[a-z0-9.-]*twilio\.com/, base) }),
  } as unknown as InstanceType<typeof twilio.RequestClient>;
  return twilio(opts.accountSid, opts.authToken, { httpClient });
}

/** A Twilio REST error that says the request was refused (4xx): nothing was created. */
export function refusedByTwilio(err: unknown): { code: number; message: string } | null {
  if (err instanceof twilio.RestException && err.status >= 400 && err.status < 500) return { code: err.code ?? err.status, message: err.message };
  return null;
}

/** Final CallStatus + AnsweredBy → the attempt's state. */
export function attemptStateOf(callStatus: string, answeredBy: string | null): "answered" | "voicemail" | "busy" | "no_answer" | "failed" | "canceled" | null {
  switch (callStatus) {
    case "completed":
      if (answeredBy?.startsWith("machine")) return "voicemail";
      return answeredBy === "fax" ? "failed" : "answered";
    case "busy":
      return "busy";
    case "no-answer":
      return "no_answer";
    case "failed":
      return "failed";
    case "canceled":
      return "canceled";
    default:
      return null;
  }
}

/**
 * An outbound call with answering-machine detection (docs/PROTOCOLS.md §11): Twilio requests `{base}/voice` with
 * `AnsweredBy` and posts the final status to `{base}/status`. Not idempotent: record the attempt first.
 */
export async function placeAmdCall(client: TwilioClient, c: { to: string; from: string; base: string; ringSeconds: number }): Promise<string> {
  const call = await client.calls.create({
    to: c.to,
    from: c.from,
    url: `${c.base}/voice`,
    statusCallback: `${c.base}/status`,
    statusCallbackEvent: ["completed"],
    machineDetection: "DetectMessageEnd",
    timeout: c.ringSeconds,
  });
  return call.sid;
}
