import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";

const SCRIPT = fileURLToPath(new URL("../scripts/demo-confirm.ts", import.meta.url));

/** Runs the demo as `./scripts/demo-confirm.sh` does, piped: standard input's lines are what the customer says. */
function runDemo(input: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT], { stdio: ["pipe", "pipe", "inherit"], env: process.env });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out }));
    child.stdin.end(input);
  });
}

describe("the order-confirmation demo (./scripts/demo-confirm.sh), piped", () => {
  test("the customer's piped lines change the sheet row's order: the row ends UPDATED with the final JSON, the order in Postgres has the new total, exit 0", async () => {
    const { code, out } = await runDemo("Make it 3 pepperoni pizzas instead.\nYes.\n");
    assert.equal(code, 0, out);
    assert.match(out, /order_text {7}2x large pepperoni pizza, 1x 6 piece garlic knots\n {2}status {11}NEW/);
    assert.match(out, /POST \/orders\/call \{"row_id":"demo-1"\} → 202/);
    assert.match(out, /customer: {3}Make it 3 pepperoni pizzas instead\./);
    // 3 × $22.99 + $5.99 = $74.96; tax 8.875 % = $6.6527 → $6.65; total $81.61.
    assert.match(out, /── The sheet row after the call ──[\s\S]*status {11}UPDATED\n {2}final_order_json \{"action":"modify".*"totalCents":8161/);
    assert.match(out, /── The order in Postgres ──\n {2}#\d+ submitted, confirmation updated[\s\S]*total \$81\.61/);
  });
});
