/**
 * `./scripts/demo.sh` (`pnpm --filter @orderline/e2e demo`): brings up the full stack (menu-service, order-service,
 * the telephony gateway and the worker as their own processes on local Postgres/Redis/NATS), places one simulated
 * phone call through it (Twilio simulator + Realtime emulator playing the standard order flow) and prints the
 * tool calls, the resulting order and the call's record as the worker stored it (row, redacted transcript, events).
 */
import { formatCents } from "@orderline/contracts";
import { DEMO_LOCATIONS } from "@orderline/db";
import { formatCallRecord } from "../src/call-record.ts";
import { PUBLIC_BASE_URL, startLocalStack } from "../src/local-stack.ts";
import { STANDARD_ORDER_CALLER, STANDARD_ORDER_MODEL } from "../src/standard-order.ts";

const log = (s = "") => process.stdout.write(`${s}\n`);
const timeScale = Number(process.env.DEMO_TIME_SCALE ?? "0.5");

log("Starting Postgres database, menu-service, order-service, telephony-gateway, worker …");
const stack = await startLocalStack({ timeScale });
let exitCode = 0;
try {
  const ny = DEMO_LOCATIONS.newYork;
  log(`Calling ${ny.name} at ${ny.phone} from +14155550123 (gateway on :${stack.gatewayPort}) …\n`);
  stack.realtime.script(STANDARD_ORDER_MODEL);
  const call = stack.cloud.placeCall({
    url: `${PUBLIC_BASE_URL}/voice/incoming`,
    statusCallback: `${PUBLIC_BASE_URL}/voice/status`,
    from: "+14155550123",
    to: ny.phone,
    caller: STANDARD_ORDER_CALLER,
  });
  await call.done;

  log("── Tool calls (over NATS) ──");
  const rt = stack.realtime.sessions[0];
  for (const c of rt?.functionCalls ?? []) {
    const out = rt?.toolOutputs.find((o) => o.callId === c.callId)?.output ?? "";
    const parsed = out ? (JSON.parse(out) as { speech?: string; error?: { message: string } }) : {};
    log(`${c.name}(${c.arguments}) → ${parsed.error ? `error: ${parsed.error.message}` : (parsed.speech ?? "ok")}`);
  }
  log("\n── What the caller heard ──");
  log(`${call.heard.length} assistant turns, ${Math.round(call.heard.reduce((ms, t) => ms + t.playedMs, 0))} ms of audio played`);

  const order = await stack.db.db.selectFrom("orders").selectAll().where("call_sid", "=", call.sid).executeTakeFirst();
  log("\n── Resulting order (Postgres) ──");
  if (!order) {
    log("no order was placed");
    exitCode = 1;
  } else {
    const items = await stack.db.db.selectFrom("order_items").selectAll().where("order_id", "=", order.id).orderBy("position").execute();
    log(`#${order.order_number} ${order.state} ${order.order_type} for ${order.customer_name} (${order.customer_phone})`);
    for (const i of items) log(`  ${i.quantity} × ${i.size_name ?? ""} ${i.product_name}  ${formatCents(i.line_total_cents)}`);
    log(`  subtotal ${formatCents(order.subtotal_cents)}  tax ${formatCents(order.tax_cents)}  total ${formatCents(order.total_cents)}`);
  }
  log("\n── The call's record (stored by the worker in Postgres) ──");
  for (const line of formatCallRecord(await stack.callRecord(call.sid))) log(line);
  if (call.errors.length > 0 || stack.realtime.violations.length > 0) {
    log(`problems: ${JSON.stringify([...call.errors, ...stack.realtime.violations])}`);
    exitCode = 1;
  }
} catch (err) {
  log(`demo failed: ${err instanceof Error ? err.stack : String(err)}`);
  exitCode = 1;
} finally {
  await stack.close();
}
process.exit(exitCode);
