import twilio from "twilio";

type TwilioClient = ReturnType<typeof twilio>;
type BaseRequestClient = InstanceType<typeof twilio.RequestClient>;

/**
 * The one boundary where a live call is redirected: Twilio REST `calls(sid).update({ twiml })` with what the
 * handoff seam decided (docs/PROTOCOLS.md).
 */
export interface CallTransferer {
  redirect(callSid: string, twiml: string): Promise<void>;
}

/** A `twilio` RequestClient that sends every request to `baseUrl` instead of api.twilio.com (tests, demo). */
export function rewritingHttpClient(baseUrl: string): BaseRequestClient {
  const base = new URL(baseUrl);
  const client = new twilio.RequestClient();
  const original = client.request.bind(client) as (opts: { uri: string }) => Promise<unknown>;
  (client as unknown as { request: (opts: { uri: string }) => Promise<unknown> }).request = (opts) => {
    const url = new URL(opts.uri);
    url.protocol = base.protocol;
    url.host = base.host;
    url.pathname = base.pathname.replace(/\/$/, "") + url.pathname;
    return original({ ...opts, uri: url.toString() });
  };
  return client;
}

export function createTwilioClient(opts: { accountSid: string; authToken: string; apiBaseUrl?: string | undefined }): TwilioClient {
  return twilio(opts.accountSid, opts.authToken, {
    accountSid: opts.accountSid,
    ...(opts.apiBaseUrl ? { httpClient: rewritingHttpClient(opts.apiBaseUrl) } : {}),
  });
}

export function createTwilioTransferer(opts: { client: TwilioClient }): CallTransferer {
  return {
    async redirect(callSid, twiml) {
      await opts.client.calls(callSid).update({ twiml });
    },
  };
}
