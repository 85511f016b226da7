import twilio from "twilio";

export type TwilioClient = ReturnType<typeof twilio>;

/** Sends staff SMS with the real `twilio` client; tests aim it at the REST emulator through its `httpClient`. */
export interface StaffTexter {
  send(msg: { to: string; from: string; body: string }): Promise<{ sid: string } | { error: string }>;
}

/** A texter over a Twilio client: from the location's number, or through a Messaging Service when given. */
export function twilioTexter(client: TwilioClient, messagingServiceSid?: string): StaffTexter {
  return {
    async send(msg) {
      try {
        const sent = await client.messages.create({
          to: msg.to,
          body: msg.body,
          ...(messagingServiceSid ? { messagingServiceSid } : { from: msg.from }),
        });
        return { sid: sent.sid };
      } catch (err) {
        const e = err as { code?: number; message?: string };
        return { error: `Twilio refused the SMS${e.code ? ` (${e.code})` : ""}: ${e.message ?? String(err)}` };
      }
    },
  };
}

/** No Twilio account configured: every SMS is reported as not sent, with that reason. */
export const NO_TEXTER: StaffTexter = {
  async send() {
    return { error: "no Twilio account is configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)" };
  },
};

/** A `twilio` client whose requests go to `baseUrl` instead of api.twilio.com (local REST emulator). */
export function createTwilioClient(opts: { accountSid: string; authToken: string; apiBaseUrl?: string | undefined }): TwilioClient {
  if (!opts.apiBaseUrl) return twilio(opts.accountSid, opts.authToken);
  const base = opts.apiBaseUrl.replace(/\/$/, "");
  const real = new twilio.RequestClient();
  const httpClient = {
    request: (o: Parameters<typeof real.request>[0]) => real.request({ ...o, uri: o.uri.replace(/^https:\/\/[a-z0-9.-]*twilio\.com/, base) }),
  } as unknown as InstanceType<typeof twilio.RequestClient>;
  return twilio(opts.accountSid, opts.authToken, { httpClient });
}
