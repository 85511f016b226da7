import { runToolService } from "@orderline/runtime";
import { DashboardEnv } from "./env.ts";
import { SERVICE_NAME, startDashboard } from "./service.ts";

await runToolService({
  name: SERVICE_NAME,
  envSchema: DashboardEnv,
  // Request bodies carry passwords; order and call data carry phone numbers: never logged.
  redact: ["*.password", "*.phone", "*.customer_phone", "*.caller_phone", "*.phone_from", "req.headers.cookie"],
  start: ({ env, db, nc, logger, metrics }) => startDashboard({ env, db, nc, logger, metrics }),
});
