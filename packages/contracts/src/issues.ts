import type { z } from "zod";

/**
 * zod issues as one sentence a person (or a model) can act on: `path: message` joined with "; ".
 * `root` names the value itself when an issue has no path (e.g. "arguments", "request").
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], root = "arguments"): string {
  return issues.map((i) => `${i.path.length > 0 ? i.path.map(String).join(".") : root}: ${i.message}`).join("; ");
}
