/**
 * A reader of Helm (Go text/template) files good enough to check them without helm: block balance, and which
 * `.Values` paths they use, including through variables and `with` / `range` blocks.
 *
 * What it follows: `.Values.a.b`, `$.Values…`, `.root.Values…` / `$root.Values…` (helpers get the root as
 * "root"); variables assigned from a values path (`$c := .Values.x`, `$s := .root.Values.secrets`); `range $k,
 * $v := .Values.map` (then `$v.f` must exist in every entry, or in at least one when the same action tests it
 * with `if`/`with`/`and`); the dot inside `with .Values.x` / `range .Values.x`.
 * What it does not: values reached through `dict`/`set`/`index`/`get` or helper arguments other than "root"
 * (those references are skipped, not guessed), and expressions spanning pipelines into other variables.
 */

export type Action = { text: string; line: number };
export type Ref = { path: string[]; line: number; guarded: boolean };
type Frame = { opener: string; line: number; dot: string[] | null; vars: Map<string, string[] | null>; guards: string[][] };

const OPENERS = new Set(["if", "range", "with", "define", "block"]);

/** Every `{{ … }}` action with its line, comments dropped. Throws on an unclosed action. */
export function actions(text: string): Action[] {
  const out: Action[] = [];
  let i = 0;
  while (true) {
    const start = text.indexOf("{{", i);
    if (start < 0) break;
    const end = text.indexOf("}}", start + 2);
    if (end < 0) throw new Error(`line ${lineOf(text, start)}: "{{" is never closed`);
    const inner = text
      .slice(start + 2, end)
      .replace(/^-\s*/, "")
      .replace(/\s*-$/, "")
      .trim();
    if (!inner.startsWith("/*")) out.push({ text: inner, line: lineOf(text, start) });
    else if (!inner.endsWith("*/")) throw new Error(`line ${lineOf(text, start)}: comment not closed inside its action`);
    i = end + 2;
  }
  const stray = text.replace(/\{\{[\s\S]*?\}\}/g, "").indexOf("}}");
  if (stray >= 0) throw new Error(`a "}}" without its "{{"`);
  return out;
}

const lineOf = (text: string, index: number) => text.slice(0, index).split("\n").length;

/** Problems with block structure: an `end` without an opener, an opener never ended, `else` outside a block. */
export function blockProblems(text: string): string[] {
  const problems: string[] = [];
  const stack: Action[] = [];
  for (const a of actions(text)) {
    const word = a.text.split(/\s+/)[0] ?? "";
    if (OPENERS.has(word)) stack.push(a);
    else if (word === "end") {
      if (!stack.pop()) problems.push(`line ${a.line}: "end" closes nothing`);
    } else if (word === "else" && !stack.some((s) => /^(if|with|range)\b/.test(s.text))) problems.push(`line ${a.line}: "else" outside if/with/range`);
  }
  for (const s of stack) problems.push(`line ${s.line}: "${s.text.split(/\s+/)[0]}" is never ended`);
  return problems;
}

const ROOT_VALUES = /(?:\$root|\.root|\$)?\.Values((?:\.[A-Za-z_]\w*)+)/g;
const VAR_REF = /\$([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*)+)/g;
const DOT_REF = /(?<![\w$)\].])\.([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)/g;

/** Every values path a template uses (`*` stands for "each entry of a map"). */
export function valuesRefs(text: string): Ref[] {
  const refs: Ref[] = [];
  const stack: Frame[] = [{ opener: "file", line: 1, dot: null, vars: new Map(), guards: [] }];
  const isPrefix = (p: string[], of: string[]) => p.length <= of.length && p.every((s, i) => of[i] === s);
  const underGuard = (path: string[]) => stack.some((f) => f.guards.some((g) => isPrefix(g, path)));
  const lookup = (name: string): string[] | null | undefined => {
    for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.vars.has(name)) return stack[i]!.vars.get(name);
    return undefined;
  };
  /** The values path an expression's head denotes, or null when it is not one this reader follows. */
  const resolve = (expr: string): string[] | null => {
    const e = expr.trim();
    const root = /^(?:\$root|\.root|\$)?\.Values((?:\.\w+)*)$/.exec(e);
    if (root) return split(root[1]!);
    const v = /^\$(\w+)((?:\.\w+)*)$/.exec(e);
    if (v) {
      const base = lookup(v[1]!);
      return base ? [...base, ...split(v[2]!)] : null;
    }
    const dot = /^\.(\w+(?:\.\w+)*)$/.exec(e);
    const top = stack[stack.length - 1]!.dot;
    if (dot && top) return [...top, ...split(`.${dot[1]}`)];
    return null;
  };
  for (const a of actions(text)) {
    const word = a.text.split(/\s+/)[0] ?? "";
    const guarded = word === "if" || word === "with" || (word === "else" && /^else\s+(if|with)\b/.test(a.text)) || /\band\b/.test(a.text);
    const top = stack[stack.length - 1]!;
    const first = refs.length;
    // References first (they are evaluated in the enclosing scope).
    for (const m of a.text.matchAll(ROOT_VALUES)) refs.push({ path: split(m[1]!), line: a.line, guarded });
    for (const m of a.text.matchAll(VAR_REF)) {
      if (m[1] === "root") continue;
      const base = lookup(m[1]!);
      if (base && !m[2]!.startsWith(".Values")) refs.push({ path: [...base, ...split(m[2]!)], line: a.line, guarded });
    }
    if (top.dot && word !== "define") {
      const stripped = a.text.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(ROOT_VALUES, "").replace(VAR_REF, "");
      for (const m of stripped.matchAll(DOT_REF)) refs.push({ path: [...top.dot, ...m[1]!.split(".")], line: a.line, guarded });
    }
    const mine = refs.slice(first);
    for (const r of mine) r.guarded ||= underGuard(r.path);
    const guards = guarded ? mine.map((r) => r.path).filter((p) => p.includes("*")) : [];
    // Then scope changes.
    const assign = /^(?:(?:range|with)\s+)?\$(\w+)\s*:?=\s*(.+)$/.exec(a.text);
    if (word === "define" || word === "block") stack.push({ opener: word, line: a.line, dot: null, vars: new Map(), guards: [] });
    else if (word === "range") {
      const m = /^range\s+(?:\$(\w+)\s*(?:,\s*\$(\w+))?\s*:=\s*)?(\S+)/.exec(a.text);
      const over = m ? resolve(m[3]!) : null;
      const each = over ? [...over, "*"] : null;
      const vars = new Map<string, string[] | null>();
      if (m?.[2]) vars.set(m[2], each);
      else if (m?.[1]) vars.set(m[1], each);
      stack.push({ opener: word, line: a.line, dot: each, vars, guards: [] });
    } else if (word === "with") {
      const m = /^with\s+(?:\$(\w+)\s*:=\s*)?(\S+)/.exec(a.text);
      const subject = m ? resolve(m[2]!) : null;
      const vars = new Map<string, string[] | null>();
      if (m?.[1]) vars.set(m[1], subject);
      stack.push({ opener: word, line: a.line, dot: subject, vars, guards });
    } else if (word === "if") stack.push({ opener: word, line: a.line, dot: top.dot, vars: new Map(), guards });
    else if (word === "end") stack.length > 1 && stack.pop();
    else if (assign) top.vars.set(assign[1]!, resolve(assign[2]!.split(/\s*\|/)[0]!));
  }
  return refs;
}

const split = (dotted: string) => dotted.split(".").filter(Boolean);

/**
 * Whether `path` exists under `node`. A `*` segment means every entry of the map at that point (or, when
 * `someEntry` is true, at least one entry: a field that is optional and tested before use).
 */
export function pathExists(path: readonly string[], node: unknown, someEntry = false): boolean {
  if (path.length === 0) return true;
  if (node === null || typeof node !== "object") return false;
  const [head, ...rest] = path as [string, ...string[]];
  const record = node as Record<string, unknown>;
  if (head === "*") {
    const entries = Object.values(record);
    return entries.length > 0 && (someEntry ? entries.some((e) => pathExists(rest, e, true)) : entries.every((e) => pathExists(rest, e)));
  }
  return Object.hasOwn(record, head) && pathExists(rest, record[head], someEntry);
}
