import { runToolService } from "@orderline/runtime";
import { WorkerEnv } from "./env.ts";
import { SERVICE_NAME, startWorkerService } from "./service.ts";

await runToolService({
  name: SERVICE_NAME,
  envSchema: WorkerEnv,
  // Job payloads and webhook bodies carry personal data: never logged, and these paths are masked besides.
  redact: ["*.transcript", "*.events", "*.data", "*.phone", "*.customer_phone", "*.from", "*.to", "*.body", "*.Body"],
  start: ({ env, db, nc, logger, metrics }) => startWorkerService({ env, db, nc, logger, metrics }),
});
