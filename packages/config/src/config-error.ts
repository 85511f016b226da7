/** One thing wrong with the environment: which variable, what was wrong with it, what it should look like. */
export type ConfigIssue = {
  /** Environment variable name, or "(config)" for a rule spanning several variables. */
  variable: string;
  /** What was wrong, e.g. "is not set" or "is not an integer". Never contains the value itself. */
  problem: string;
  /** What a valid value looks like, e.g. "a TCP port 0-65535". Empty when unknown. */
  expected: string;
};

/** Thrown by `parseEnv` with every problem found, one line each. Values are never echoed (they may be secrets). */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[]) {
    super(formatIssues(issues));
    this.issues = issues;
  }
}

function formatIssues(issues: readonly ConfigIssue[]): string {
  const head = `Invalid configuration: ${issues.length} problem${issues.length === 1 ? "" : "s"}`;
  const lines = issues.map((i) => `  ${i.variable}: ${i.problem}${i.expected ? ` (expected ${i.expected})` : ""}`);
  return [head, ...lines].join("\n");
}
