// A minimal tool service run through runToolService, for the lifecycle test: it serves nothing, says when
// it starts stopping, and holds its stop until the test closes its stdin — so the test can look at
// /readyz while the shutdown is under way.
import { once } from "node:events";
import { z } from "zod";
import { runToolService, toolServiceEnv } from "../src/index.ts";

const released = once(process.stdin, "end");
process.stdin.resume();

await runToolService({
  name: "fixture-service",
  envSchema: z.object({ ...toolServiceEnv() }),
  start: ({ logger }) => ({
    stop: async () => {
      logger.info("fixture stopping: waiting for stdin to close");
      await released;
      logger.info("fixture stopped serving");
    },
  }),
});
