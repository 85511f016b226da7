import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { EscalationReason, OrderType } from "@orderline/contracts";
import { z } from "zod";

/** One caller conversation of the suite (packages/agent/scenarios/*.json) and how it must end. */
export const ExpectedLine = z.strictObject({
  item: z.string(),
  size: z.string().nullable().default(null),
  quantity: z.number().int().min(1),
  /** As stored: "Thin Crust", "no Onions", "extra Cheese" (defaults the order service applied included). */
  modifiers: z.array(z.string()).default([]),
});

export const Scenario = z.strictObject({
  description: z.string(),
  location: z.enum(["newYork", "chicago", "denver"]),
  /** Overrides the location's language for this call (the demo chain's locations are all en-US). */
  language: z.enum(["en-US", "es-US"]).optional(),
  callerPhone: z.string().nullable().default(null),
  customerName: z.string().nullable().default(null),
  /** Menu and order tools sent to subjects nothing serves (real NATS "no responders"): the technical-failure path. */
  toolsDown: z.boolean().default(false),
  turns: z.array(z.union([z.string(), z.strictObject({ text: z.string(), confidence: z.number().min(0).max(1).optional(), repeat: z.number().int().min(1).max(5000).optional() })])).min(1),
  expect: z.union([
    z.strictObject({
      order: z.strictObject({
        type: OrderType,
        name: z.string(),
        phone: z.string(),
        address: z.strictObject({ street: z.string(), unit: z.string().nullable(), postalCode: z.string() }).optional(),
        lines: z.array(ExpectedLine).min(1),
      }),
      /** Words the agent must have said at some point (e.g. Spanish replies, an alternative offered). */
      said: z.array(z.string()).default([]),
    }),
    z.strictObject({ transfer: EscalationReason, said: z.array(z.string()).default([]) }),
    z.strictObject({ noOrder: z.literal(true), said: z.array(z.string()).default([]) }),
  ]),
});
export type Scenario = z.infer<typeof Scenario>;

export const SCENARIO_DIR = join(import.meta.dirname, "..", "scenarios");

export async function loadScenarios(dir = SCENARIO_DIR): Promise<{ name: string; scenario: Scenario }[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".json")).sort();
  return Promise.all(
    files.map(async (f) => {
      const parsed = Scenario.safeParse(JSON.parse(await readFile(join(dir, f), "utf8")));
      if (!parsed.success) throw new Error(`scenario ${f}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
      return { name: f.replace(/\.json$/, ""), scenario: parsed.data };
    }),
  );
}
export * from "./scenario-check.ts";
