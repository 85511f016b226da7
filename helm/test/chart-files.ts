import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export const repo = join(import.meta.dirname, "..", "..");
export const chart = join(repo, "helm", "orderline");

export type Values = Record<string, unknown>;

export const readYaml = (path: string): Values => parse(readFileSync(path, "utf8")) as Values;
export const defaults = (): Values => readYaml(join(chart, "values.yaml"));
export const schema = (): object => JSON.parse(readFileSync(join(chart, "values.schema.json"), "utf8")) as object;

/** The example values files shipped with the chart. */
export const examples = (): string[] => readdirSync(join(chart, "examples")).filter((f) => /^values-.*\.ya?ml$/.test(f));

export const templates = (): { file: string; text: string }[] =>
  readdirSync(join(chart, "templates"))
    .filter((f) => /\.(ya?ml|tpl|txt)$/.test(f))
    .map((file) => ({ file, text: readFileSync(join(chart, "templates", file), "utf8") }));

const isMap = (v: unknown): v is Values => v !== null && typeof v === "object" && !Array.isArray(v);

/** Helm's merge of a user's values over the chart's: maps merge key by key, anything else replaces, null deletes. */
export function helmMerge(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else if (isMap(v) && isMap(out[k])) out[k] = helmMerge(out[k] as Values, v);
    else out[k] = v;
  }
  return out;
}
