import type { IncomingMessage } from "node:http";
import type { Logger } from "@orderline/telemetry";
import type { NextFunction, Request, Response } from "express";
import twilio from "twilio";
import type { GatewayConfig } from "./env.ts";
import type { GatewayMetrics } from "./metrics.ts";

/**
 * Twilio request signatures (docs/PROTOCOLS.md §3), checked against PUBLIC_BASE_URL + the request path — never
 * Host or proxy headers. One owner for webhooks and WebSocket upgrades alike.
 */

/** Express middleware: 403 (and nothing done) unless the form post carries a valid X-Twilio-Signature. */
export function twilioSignatureCheck(config: GatewayConfig, metrics: GatewayMetrics, logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const signature = req.header("x-twilio-signature");
    const url = config.PUBLIC_BASE_URL + req.originalUrl;
    const params = req.method === "POST" && req.body && typeof req.body === "object" ? (req.body as Record<string, unknown>) : {};
    if (!signature || !twilio.validateRequest(config.TWILIO_AUTH_TOKEN, signature, url, params)) {
      metrics.errors.inc({ kind: "forged_webhook" });
      logger.warn({ path: req.path, hasSignature: Boolean(signature) }, "webhook rejected: bad Twilio signature");
      res.status(403).type("text/plain").send(signature ? "invalid Twilio signature\n" : "missing X-Twilio-Signature header\n");
      return;
    }
    next();
  };
}

/** A WebSocket upgrade (Media Stream or ConversationRelay) signed over its wss:// URL with no params, with or without a trailing slash. */
export function validUpgradeSignature(config: GatewayConfig, req: IncomingMessage): boolean {
  const signature = req.headers["x-twilio-signature"];
  if (typeof signature !== "string") return false;
  const raw = req.url ?? "";
  const path = raw.split("?")[0] ?? "";
  const query = raw.slice(path.length);
  const base = `${config.PUBLIC_BASE_URL.replace(/^http/, "ws")}${path}`;
  return [base + query, `${base}/${query}`].some((u) => twilio.validateRequest(config.TWILIO_AUTH_TOKEN, signature, u, {}));
}
