import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { parse } from "yaml";

const chart = join(import.meta.dirname, "..", "orderline");
const values = parse(readFileSync(join(chart, "values.yaml"), "utf8")) as Record<string, unknown>;
const schema = JSON.parse(readFileSync(join(chart, "values.schema.json"), "utf8")) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

test("values.yaml satisfies values.schema.json", () => {
  assert.equal(validate(values), true, JSON.stringify(validate.errors, null, 2));
});

test("the schema rejects bad values with a reason", () => {
  const bad = structuredClone(values) as { components: { menuService: { replicas: unknown }; telephonyGateway: { env: Record<string, string> } } };
  bad.components.menuService.replicas = 0;
  bad.components.telephonyGateway.env.PUBLIC_BASE_URL = "http://insecure.example.com";
  assert.equal(validate(bad), false);
  const paths = (validate.errors ?? []).map((e) => e.instancePath);
  assert.ok(paths.includes("/components/menuService/replicas"), paths.join(", "));
  assert.ok(paths.includes("/components/telephonyGateway/env/PUBLIC_BASE_URL"), paths.join(", "));
});

/** Resolves a dotted path in the values; `components.*` paths are checked against every component. */
function exists(path: string[], node: unknown): boolean {
  if (path.length === 0) return true;
  if (node === null || typeof node !== "object") return false;
  const [head, ...rest] = path as [string, ...string[]];
  return Object.hasOwn(node, head) && exists(rest, (node as Record<string, unknown>)[head]);
}

test("every .Values path a template references exists in values.yaml", () => {
  const templates = readdirSync(join(chart, "templates"));
  const missing: string[] = [];
  let refs = 0;
  for (const file of templates) {
    const text = readFileSync(join(chart, "templates", file), "utf8");
    for (const m of text.matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) {
      refs++;
      const path = m[1]!.slice(1).split(".");
      if (!exists(path, values)) missing.push(`${file}: .Values.${path.join(".")}`);
    }
    // Per-component fields used through `$c.` inside `range $name, $c := .Values.components`.
    for (const m of text.matchAll(/\$c((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) {
      refs++;
      const path = m[1]!.slice(1).split(".");
      for (const [name, component] of Object.entries(values["components"] as Record<string, unknown>)) {
        const optional = path[0] === "port" || path[0] === "secretEnv";
        if (!optional && !exists(path, component)) missing.push(`${file}: components.${name}.${path.join(".")}`);
      }
    }
  }
  assert.ok(refs > 20, `found only ${refs} references: is the pattern still right?`);
  assert.deepEqual(missing, []);
});
