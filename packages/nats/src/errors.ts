/**
 * Why a tool request got no usable reply.
 * - `no_responders`: nobody subscribes to the subject (instant; the request was certainly not applied).
 * - `timeout`: no reply in time — the handler may still have run, so the effect may have been applied.
 * - `bad_reply`: a reply came but is not a tool reply.
 * - `connection`: the connection is closed or draining, or the request could not be sent.
 */
export type NatsRequestErrorKind = "no_responders" | "timeout" | "bad_reply" | "connection";

export class NatsRequestError extends Error {
  override readonly name = "NatsRequestError";
  readonly kind: NatsRequestErrorKind;
  readonly subject: string;
  constructor(kind: NatsRequestErrorKind, subject: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.kind = kind;
    this.subject = subject;
  }
}
