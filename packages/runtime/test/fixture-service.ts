// A minimal tool service run through runToolService, for the lifecycle test: it serves nothing and says
// when it is stopped.
import { z } from "zod";
import { runToolService, toolServiceEnv } from "../src/index.ts";

await runToolService({
  name: "fixture-service",
  envSchema: z.object({ ...toolServiceEnv() }),
  start: ({ logger }) => ({
    stop: async () => {
      logger.info("fixture stopped serving");
    },
  }),
});
