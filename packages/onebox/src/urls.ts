import { DEMO_DASHBOARD_USERS } from "@orderline/db";
import type { OneboxEnv } from "./env.ts";

/** The webhooks to paste into the Twilio console for each number (docs/OPERATIONS.md "Twilio console"). */
export type WebhookUrls = { voice: string; status: string; sms: string };

export function webhookUrls(env: Pick<OneboxEnv, "PUBLIC_BASE_URL" | "WORKER_PUBLIC_BASE_URL">): WebhookUrls {
  return {
    voice: `${env.PUBLIC_BASE_URL}/voice/incoming`,
    status: `${env.PUBLIC_BASE_URL}/voice/status`,
    sms: `${env.WORKER_PUBLIC_BASE_URL ?? env.PUBLIC_BASE_URL}/twilio/sms/inbound`,
  };
}

/** A routed number and the location it rings (null: no location has it). */
export type RoutedNumber = { e164: string; location: string | null };

/** The console instructions, one block per number, then numbers configured in .env that no location routes. */
export function consoleInstructions(urls: WebhookUrls, numbers: readonly RoutedNumber[]): string[] {
  const lines = ["Twilio console → Phone Numbers → Manage → Active numbers → each number below:"];
  for (const n of numbers) {
    lines.push(
      "",
      `  ${n.e164}${n.location ? `  (${n.location})` : "  — NOT ROUTED: no location has this number; import a chain file that lists it"}`,
      `    Voice Configuration   A call comes in:      Webhook  ${urls.voice}  (HTTP POST)`,
      `                          Call status changes:  ${urls.status}  (HTTP POST)`,
      `    Messaging Configuration  A message comes in:  Webhook  ${urls.sms}  (HTTP POST)`,
    );
  }
  if (numbers.length === 0) lines.push("", "  (no numbers: set TWILIO_PHONE_NUMBERS or import a chain file with locations)");
  return lines;
}

/**
 * Where staff and managers sign in, and — when the demo chain's users exist — the demo logins. The dashboard
 * serves its page and API on its own port; its metrics stay on its ops port.
 */
export function dashboardInstructions(port: number, demoLogins: boolean): string[] {
  const lines = [`Dashboard (staff and managers): http://127.0.0.1:${port}/`];
  if (demoLogins) {
    const { manager, midtownStaff } = DEMO_DASHBOARD_USERS;
    lines.push(`  demo logins: ${manager.email} / ${manager.password} (manager, every location)`, `               ${midtownStaff.email} / ${midtownStaff.password} (staff, Midtown only)`);
  } else {
    lines.push('  add a manager: DATABASE_URL=<as in .env> pnpm --filter @orderline/dashboard users add --email you@example.com --name "Your Name" --role manager');
  }
  return lines;
}
