import assert from "node:assert/strict";
import { test } from "node:test";
import { dashboardInstructions } from "./urls.ts";

test("the dashboard lines give its URL and, when the demo chain's users exist, the demo logins", () => {
  assert.deepEqual(dashboardInstructions(8070, true), [
    "Dashboard (staff and managers): http://127.0.0.1:8070/",
    "  demo logins: manager@tonys.example / demo-manager-pass (manager, every location)",
    "               staff.midtown@tonys.example / demo-staff-pass (staff, Midtown only)",
  ]);
  const own = dashboardInstructions(18070, false);
  assert.equal(own[0], "Dashboard (staff and managers): http://127.0.0.1:18070/");
  assert.ok(!own.join("\n").includes("demo-manager-pass"));
  assert.match(own[1]!, /users add --email .* --role manager/);
});
