/**
 * `./scripts/demo.sh`: the full local stack (menu-service, order-service, the telephony gateway, the worker and the
 * dashboard as their own processes on a fresh seeded database) with NO OpenAI key — every call is `<Gather>` speech turns with the
 * local agent — and this phone on the New York location. At a terminal a person orders; piped or in CI the
 * scripted call plays (standard input's lines, else the standard order). Exits non-zero when no order was
 * submitted on a scripted call. After the call it prints the dashboard's address and the demo logins; at a terminal
 * the stack stays up until Enter or Ctrl-C so the dashboard can be looked at.
 */
import { DEMO_DASHBOARD_USERS, DEMO_LOCATIONS } from "@orderline/db";
import { formatCallRecord, PUBLIC_BASE_URL, readCallRecord, startLocalStack } from "@orderline/e2e";
import { runPhone } from "./run-phone.ts";

const log = (s = "") => process.stdout.write(`${s}\n`);

log("Starting a fresh seeded database, menu-service, order-service, telephony-gateway, the worker (no OpenAI key) and the dashboard …");
const stack = await startLocalStack({ gatewayEnv: { OPENAI_API_KEY: "" }, dashboard: true });
let exitCode = 0;
try {
  const ny = DEMO_LOCATIONS.newYork;
  log(`Gateway on :${stack.gatewayPort}. ${ny.name}, ${ny.phone}.\n`);
  const run = await runPhone({
    gatewayUrl: `http://127.0.0.1:${stack.gatewayPort}`,
    publicBaseUrl: PUBLIC_BASE_URL,
    accountSid: stack.cloud.accountSid,
    authToken: stack.cloud.authToken,
    from: process.env.PHONE_FROM ?? "+14155550123",
    to: ny.phone,
    db: stack.db.db,
  });
  if (!run.interactive && run.orders.length === 0) exitCode = 1;
  // The worker stores the call's record once the call has ended (the status callback queues it).
  const record = await readCallRecord(stack.db.db, run.callSid).catch(() => null);
  log("\n── The call's record, as the worker stored it ──");
  if (record) for (const line of formatCallRecord(record)) log(line);
  else log("the call's record did not appear in time");
  const { manager, midtownStaff } = DEMO_DASHBOARD_USERS;
  log("\n── The dashboard ──");
  log(`${stack.dashboardUrl}`);
  log(`  manager (every location): ${manager.email} / ${manager.password}`);
  log(`  staff (${ny.name}): ${midtownStaff.email} / ${midtownStaff.password}`);
  if (run.interactive) {
    log("The stack stays up for the dashboard; press Enter or Ctrl-C to stop it.");
    await untilEnterOrInterrupt();
  }
} catch (err) {
  log(`demo failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  exitCode = 1;
} finally {
  await stack.close();
}
process.exit(exitCode);

/** Resolves on a line of input (Enter), end of input or Ctrl-C. */
function untilEnterOrInterrupt(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    process.stdin.resume();
    process.stdin.once("data", done).once("end", done);
    process.once("SIGINT", done);
  });
}
