import type { EscalationReason } from "@orderline/contracts";
import twilio from "twilio";
import type { CallSession } from "./state/session.ts";
import { langOf, transferDial } from "./twiml.ts";

type TwilioClient = ReturnType<typeof twilio>;
type BaseRequestClient = InstanceType<typeof twilio.RequestClient>;

export interface TransferRequest {
  reason: EscalationReason;
  /** One or two sentences for staff, spoken as the whisper before bridging. */
  summary: string;
  /** What the caller hears before the dial (already in the call's language). */
  sayText: string;
}

export interface TransferOutcome {
  transferred: boolean;
  /** The staff number dialled, or null when none is configured. */
  to: string | null;
  /** When not transferred: why. */
  problem?: string;
}

/**
 * The one boundary where a call leaves the AI: today the gateway redirects the live call with Twilio REST to
 * `<Dial>` the location's staff; the escalation service of a later issue can take over behind this interface.
 */
export interface CallTransferer {
  transfer(session: CallSession, req: TransferRequest): Promise<TransferOutcome>;
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

export function createTwilioTransferer(opts: { client: TwilioClient; publicBaseUrl: string; dialTimeoutSeconds: number }): CallTransferer {
  return {
    async transfer(session, req) {
      const staff = session.location.staffNumbers[0] ?? session.location.publicPhone;
      if (!staff) return { transferred: false, to: null, problem: "no staff number configured" };
      const twiml = transferDial({
        lang: langOf(session.location.language),
        text: req.sayText,
        staffNumber: staff,
        callerId: session.location.dialledNumber,
        publicBaseUrl: opts.publicBaseUrl,
        callSid: session.callSid,
        timeoutSeconds: opts.dialTimeoutSeconds,
      });
      await opts.client.calls(session.callSid).update({ twiml });
      return { transferred: true, to: staff };
    },
  };
}
