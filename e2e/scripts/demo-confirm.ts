/**
 * `./scripts/demo-confirm.sh` (`pnpm --filter @orderline/e2e demo-confirm`): an order-confirmation call from a Google
 * Sheet, end to end on this machine. The full local stack (every service its own process) with the Sheets API
 * emulator as the location's sheet; a demo row is added, the worker takes it in through the order service,
 * `POST /orders/call {"row_id"}` triggers its call, the Twilio simulator plays the customer (who changes the order,
 * then confirms), and the row before/after and the order in Postgres are printed. The customer's lines come from
 * standard input when it is piped and not empty, else the script below. Exits non-zero unless the row ends
 * CONFIRMED or UPDATED with the order's final JSON.
 */
import { text } from "node:stream/consumers";
import { FinalOrder, formatCents } from "@orderline/contracts";
import { waitFor } from "@orderline/testing";
import { startSheetStack } from "../src/confirmation-sheet.ts";

const log = (s = "") => process.stdout.write(`${s}\n`);
const ROW = { id: "demo-1", customer_name: "John Smith", phone: "(212) 555-0123", order_text: "2x large pepperoni pizza, 1x 6 piece garlic knots", status: "NEW", notes: "extra napkins" };
const SCRIPT = ["Make it 3 pepperoni pizzas instead.", "Yes, that's right."];

const piped = process.stdin.isTTY ? [] : (await text(process.stdin)).split("\n").map((l) => l.trim()).filter(Boolean);
const answers = piped.length > 0 ? piped : SCRIPT;

const showRow = (row: Record<string, string> | undefined) => {
  if (!row) return log("  (no such row)");
  for (const [k, v] of Object.entries(row)) log(`  ${k.padEnd(16)} ${v}`);
};

log("Starting a fresh seeded database, menu-service, order-service, telephony-gateway, worker and the Google Sheets emulator …");
const s = await startSheetStack();
let exitCode = 0;
try {
  log(`Sheet ${s.spreadsheetId}, tab "${s.tab}" (the New York location's confirmation sheet).\n`);
  s.addRow(ROW);
  log("── The sheet row, as a person added it ──");
  showRow(s.row(ROW.id));
  await waitFor(
    () => s.stack.db.db.selectFrom("orders").select("id").where("external_sheet_id", "=", s.sheetId).where("external_row_id", "=", ROW.id).executeTakeFirst(),
    { timeoutMs: 30_000, message: "the worker to take the row in" },
  );
  const to = "+12125550123";
  s.stack.cloud.nextCallee({ to, answer: "human", gatherAnswers: answers.map((speech) => ({ speech })) });
  const res = await s.client.trigger({ row_id: ROW.id });
  log(`\nPOST /orders/call {"row_id":"${ROW.id}"} → ${res.status} ${JSON.stringify(res.body)}`);
  const call = await s.stack.cloud.waitForCall((c) => c.to === to);
  await call.done;
  log("\n── The call (the Twilio simulator is the customer) ──");
  for (const g of call.gathers) {
    log(`  restaurant: ${g.prompts.join(" ")}`);
    if (typeof g.answer === "object" && "speech" in g.answer) log(`  customer:   ${g.answer.speech}`);
  }
  for (const said of call.said.filter((x) => x.where !== "gather")) log(`  restaurant: ${said.text}`);
  const row = await waitFor(
    () => {
      const r = s.row(ROW.id);
      return r && ["CONFIRMED", "UPDATED", "CANCELLED", "FAILED"].includes(r.status) ? r : undefined;
    },
    { timeoutMs: 30_000, message: "the row to show the call's outcome" },
  ).catch(() => s.row(ROW.id));
  log("\n── The sheet row after the call ──");
  showRow(row);
  const order = await s.stack.db.db.selectFrom("orders").selectAll().where("external_sheet_id", "=", s.sheetId).where("external_row_id", "=", ROW.id).executeTakeFirstOrThrow();
  const items = await s.stack.db.db.selectFrom("order_items").selectAll().where("order_id", "=", order.id).orderBy("position").execute();
  log("\n── The order in Postgres ──");
  log(`  #${order.order_number ?? "—"} ${order.state}, confirmation ${order.confirmation_state}, for ${order.customer_name} (${order.customer_phone})`);
  for (const i of items) log(`  ${i.quantity} × ${i.size_name ?? ""} ${i.product_name}  ${formatCents(i.line_total_cents)}`);
  log(`  subtotal ${formatCents(order.subtotal_cents)}  tax ${formatCents(order.tax_cents)}  total ${formatCents(order.total_cents)}`);
  log(`  final_order_json ${order.final_order_json === null ? "—" : JSON.stringify(FinalOrder.parse(order.final_order_json))}`);
  const done = row && ["CONFIRMED", "UPDATED"].includes(row.status) && row.status === order.confirmation_state?.toUpperCase() && row.final_order_json !== "";
  if (!done) {
    log("\nThe row did not end CONFIRMED or UPDATED with its final order.");
    exitCode = 1;
  }
} catch (err) {
  log(`demo failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  exitCode = 1;
} finally {
  await s.close();
}
process.exit(exitCode);
