import { runToolService } from "@orderline/runtime";
import { MenuServiceEnv } from "./env.ts";
import { SERVICE_NAME, startMenuService } from "./service.ts";

await runToolService({
  name: SERVICE_NAME,
  envSchema: MenuServiceEnv,
  start: ({ env, db, nc, logger, metrics }) =>
    startMenuService({
      db,
      nc,
      subjectPrefix: env.NATS_SUBJECT_PREFIX,
      logger,
      metrics,
      databaseUrl: env.DATABASE_URL,
      cacheTtlMs: env.MENU_CACHE_TTL_MS,
      concurrency: env.TOOL_CONCURRENCY,
    }),
});
