import type { Request, Response } from "express";

/** A TwiML answer to a Twilio webhook. */
export function sendTwiml(res: Response, body: string): void {
  res.status(200).type("text/xml").send(body);
}

/** A parameter of a (signature-checked) Twilio request: the form body first, then the query; empty = absent. */
export function twilioParam(req: Request, name: string): string | undefined {
  const v = (req.body as Record<string, unknown> | undefined)?.[name] ?? req.query[name];
  return typeof v === "string" && v.length > 0 ? v : undefined;
}
