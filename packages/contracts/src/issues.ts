import type { z } from "zod";

/**
 * zod issues → words, the one way OrderLine says what was wrong with a value — whether the words go to the
 * model (invalid_arguments), a staff tool, a log line or a thrown error.
 */

export interface IssueLine {
  /** Dotted path of the offending value ("items.0.quantity"), or the fallback when the issue is at the root. */
  path: string;
  message: string;
}

export interface DescribeIssuesOptions {
  /** Prepended to every path ("args" → "args.quantity"). */
  root?: string;
  /** Said instead of an empty path. Default "(request)". */
  empty?: string;
  /** "dots" (default): `items.0.quantity`; "brackets": `items[0].quantity`, as a person editing a file reads it. */
  indexes?: "dots" | "brackets";
}

/** ["locations", 1, "hours", "mon"] → "locations[1].hours.mon". */
export function bracketPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), "");
}

/** zod issues as `{ path, message }` lines (for `details.issues` and for `issuesMessage`). */
export function describeIssues(issues: readonly z.core.$ZodIssue[], opts: DescribeIssuesOptions = {}): IssueLine[] {
  return issues.map((i) => {
    const parts = [...(opts.root ? [opts.root] : []), ...i.path];
    const path = opts.indexes === "brackets" ? bracketPath(parts) : parts.map(String).join(".");
    return { path: path || (opts.empty ?? "(request)"), message: i.message };
  });
}

/** "quantity: must be at least 1; size: is too long" — the lines of `describeIssues` as one message. */
export function issuesMessage(lines: readonly IssueLine[]): string {
  return lines.map((l) => `${l.path}: ${l.message}`).join("; ");
}

/**
 * zod issues as one sentence a person (or a model) can act on: `path: message` joined with "; ".
 * `root` names the value itself when an issue has no path (e.g. "arguments", "request").
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], root = "arguments"): string {
  return issuesMessage(describeIssues(issues, { empty: root }));
}
