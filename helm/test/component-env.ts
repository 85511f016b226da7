/**
 * Which environment variables the chart gives one component's container, read from templates/app.yaml's
 * `env:` block and the helpers it includes, without helm. Conditions are evaluated three-valued: those on the
 * component (`eq $name "worker"`, `has $name $redisUsers`, `with $c.port`, the secrets it lists, the keys of
 * its `env` map) are decided; those on other values (`eq $root.Values.postgres.mode "internal"`) may go either
 * way. So each variable is either certain (set whatever the other values are) or only possible. A construct
 * the reader does not know throws, naming it: extend the reader rather than guess.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chart, type Values } from "./chart-files.ts";

export type ComponentEnv = { certain: Set<string>; possible: Set<string> };

type Tri = boolean | null;
type Node =
  | { kind: "text"; text: string }
  | { kind: "action"; text: string }
  | { kind: "if" | "with"; cond: string; yes: Node[]; no: Node[] }
  | { kind: "range"; over: string; body: Node[] }
  | { kind: "define"; name: string; body: Node[] };

type Ctx = { name: string; component: Values; lists: Map<string, string[]>; params: Record<string, unknown>; dot: unknown; defines: Map<string, Node[]> };

const TOKEN = /\{\{-?\s*([\s\S]*?)\s*-?\}\}/g;

function tokens(text: string): Node[] {
  const out: Node[] = [];
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    out.push({ kind: "text", text: text.slice(last, m.index) });
    if (!m[1]!.startsWith("/*")) out.push({ kind: "action", text: m[1]! });
    last = m.index + m[0].length;
  }
  out.push({ kind: "text", text: text.slice(last) });
  return out;
}

/** Nests if/with/range/define blocks (an `else if` becomes an if inside the else branch). */
function tree(flat: Node[]): Node[] {
  let i = 0;
  const block = (): { body: Node[]; alt: Node[] | null } => {
    const body: Node[] = [];
    while (i < flat.length) {
      const t = flat[i++]!;
      if (t.kind !== "action") {
        body.push(t);
        continue;
      }
      const [word, ...rest] = t.text.split(/\s+/);
      const arg = rest.join(" ");
      if (word === "end") return { body, alt: null };
      if (word === "else") {
        if (arg) {
          // `else if c` / `else with c`: the rest of this block is that nested block, closed by the same end.
          const [w2, ...c] = arg.split(/\s+/);
          const inner = block();
          return { body, alt: [{ kind: w2 as "if" | "with", cond: c.join(" "), yes: inner.body, no: inner.alt ?? [] }] };
        }
        const alt = block();
        return { body, alt: alt.body };
      }
      if (word === "if" || word === "with") {
        const b = block();
        body.push({ kind: word, cond: arg, yes: b.body, no: b.alt ?? [] });
      } else if (word === "range") body.push({ kind: "range", over: arg, body: block().body });
      else if (word === "define") body.push({ kind: "define", name: JSON.parse(arg) as string, body: block().body });
      else body.push(t);
    }
    return { body, alt: null };
  };
  return block().body;
}

/** Splits `a (b c) "d"` into its top-level terms. */
function terms(expr: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of expr.trim()) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === " " && depth === 0) {
      if (cur) out.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out.map((t) => (t.startsWith("(") && t.endsWith(")") ? t.slice(1, -1) : t));
}

const truthy = (v: unknown): boolean => !(v === undefined || v === null || v === false || v === 0 || v === "" || (Array.isArray(v) && v.length === 0) || (typeof v === "object" && Object.keys(v as object).length === 0));

/** A term's value: a string literal, the component's name or fields, a list, the dot or a parameter; undefined = depends on other values. */
function value(term: string, ctx: Ctx): unknown {
  if (/^"[^"]*"$/.test(term)) return term.slice(1, -1);
  if (term === "$name") return ctx.name;
  if (term === ".") return ctx.dot;
  const c = /^\$c\.(\w+)$/.exec(term);
  if (c) return ctx.component[c[1]!] ?? null;
  const list = /^\$(\w+)$/.exec(term);
  if (list && ctx.lists.has(list[1]!)) return ctx.lists.get(list[1]!);
  const param = /^\.(\w+)$/.exec(term);
  if (param && param[1]! in ctx.params) return ctx.params[param[1]!];
  if (/^(\$root|\$|\.root|\$s)\.|^\.Values\./.test(term)) return undefined;
  throw new Error(`the env reader does not know the term ${JSON.stringify(term)}`);
}

function cond(expr: string, ctx: Ctx): Tri {
  const [head, ...args] = terms(expr);
  if (args.length === 0 && /^[$.]/.test(head!)) {
    const v = value(head!, ctx);
    return v === undefined ? null : truthy(v);
  }
  if (args.length === 0) return cond(head!, ctx);
  switch (head) {
    case "not": {
      const v = cond(args[0]!, ctx);
      return v === null ? null : !v;
    }
    case "and": {
      const vs = args.map((a) => cond(a, ctx));
      return vs.includes(false) ? false : vs.includes(null) ? null : true;
    }
    case "or": {
      const vs = args.map((a) => cond(a, ctx));
      return vs.includes(true) ? true : vs.includes(null) ? null : false;
    }
    case "eq": {
      const [a, b] = args.map((a) => value(a, ctx));
      return a === undefined || b === undefined ? null : a === b;
    }
    case "has": {
      const [item, list] = args.map((a) => value(a, ctx));
      return item === undefined || list === undefined ? null : (list as unknown[]).includes(item);
    }
    default:
      throw new Error(`the env reader does not know the condition ${JSON.stringify(expr)}`);
  }
}

const ENV_NAME = /-\s*(?:\{\s*)?name:\s*([A-Z][A-Z0-9_]*)\b/g;

function evaluate(nodes: Node[], ctx: Ctx): ComponentEnv {
  const certain = new Set<string>();
  const possible = new Set<string>();
  const set = (name: string) => {
    certain.add(name);
    possible.add(name);
  };
  const add = (r: ComponentEnv, sure: boolean) => {
    for (const n of r.possible) possible.add(n);
    if (sure) for (const n of r.certain) certain.add(n);
  };
  for (const n of nodes) {
    if (n.kind === "text") for (const m of n.text.matchAll(ENV_NAME)) set(m[1]!);
    else if (n.kind === "if" || n.kind === "with") {
      const c = cond(n.cond, ctx);
      const then = evaluate(n.yes, ctx);
      const other = evaluate(n.no, ctx);
      if (c === true) add(then, true);
      else if (c === false) add(other, true);
      else {
        add(then, false);
        add(other, false);
        for (const name of then.certain) if (other.certain.has(name)) certain.add(name);
      }
    } else if (n.kind === "range") {
      const over = value(n.over.replace(/^\$\w+\s*,\s*\$\w+\s*:=\s*/, ""), ctx);
      if (over === undefined) throw new Error(`the env reader cannot range over ${n.over}`);
      // A range over the component's env map sets each key; over a list, the body runs once per item.
      if (/^\$c\.env$/.test(n.over.split(":=").pop()!.trim())) for (const k of Object.keys(over as Values)) set(k);
      else for (const item of over as unknown[]) add(evaluate(n.body, { ...ctx, dot: item }), true);
    } else if (n.kind === "action") {
      const inc = /^include "([\w.]+)" \(dict "root" \$((?: "\w+" \S+?)*)\)/.exec(n.text.replace(/\(has \$name \$(\w+)\)/, "HAS:$1"));
      if (inc) {
        const params: Record<string, unknown> = {};
        for (const m of inc[2]!.matchAll(/"(\w+)" (\S+)/g)) {
          const has = /^HAS:(\w+)$/.exec(m[2]!);
          params[m[1]!] = has ? ctx.lists.get(has[1]!)?.includes(ctx.name) : value(m[2]!, ctx);
        }
        const body = ctx.defines.get(inc[1]!);
        if (!body) throw new Error(`include of unknown helper ${inc[1]}`);
        add(evaluate(body, { ...ctx, params: { ...params, secrets: params["secrets"] } }), true);
      } else if (/^include\b/.test(n.text)) throw new Error(`the env reader does not follow ${n.text}`);
    }
  }
  return { certain, possible };
}

const read = (file: string) => readFileSync(join(chart, "templates", file), "utf8");

/** The chart-set environment of one component (`name` is its key under components). */
export function componentEnv(name: string, values: Values): ComponentEnv {
  const app = read("app.yaml");
  const lists = new Map([...app.matchAll(/\$(\w+) := list((?: "[\w-]+")+)/g)].map((m) => [m[1]!, [...m[2]!.matchAll(/"([\w-]+)"/g)].map((x) => x[1]!)]));
  const defines = new Map<string, Node[]>();
  for (const n of tree(tokens(read("_helpers.tpl")))) if (n.kind === "define") defines.set(n.name, n.body);
  const start = app.indexOf("\n          env:\n", app.indexOf("\n      containers:\n"));
  const end = app.indexOf("startupProbe:", start);
  if (start < 0 || end < 0) throw new Error("templates/app.yaml: the container's env: block was not found");
  const component = (values["components"] as Record<string, Values>)[name];
  if (!component) throw new Error(`no component ${name}`);
  return evaluate(tree(tokens(app.slice(start, end))), { name, component, lists, params: {}, dot: undefined, defines });
}
