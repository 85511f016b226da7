import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { parse } from "yaml";

export const repo = join(import.meta.dirname, "..", "..");

// A CommonJS module whose typings claim a default export: load it the way Node hands it to CommonJS callers.
const ignore = createRequire(import.meta.url)("@balena/dockerignore") as (typeof import("@balena/dockerignore"))["default"];

/** Docker's matcher for .dockerignore rules (patterns anchored at the context root, `!` exceptions, last match wins). */
export const dockerignore = (rules: string[]) => ignore().add(rules);
export const dockerignoreRules = () => read(".dockerignore").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
export const read = (path: string) => readFileSync(join(repo, path), "utf8");

/** Deployables: every directory under services/ with an entry point. */
export const deployables = (): string[] =>
  readdirSync(join(repo, "services")).filter((d) => existsSync(join(repo, "services", d, "src", "index.ts"))).sort();

/** A file tree a target copies from another builder stage, made there by `RUN sh <script> /pnpm/store`. */
export type StageCopy = { stage: string; script: string; from: string; to: string };
export type DockerTarget = { name: string; project: string; cmd: string[] | null; copies: StageCopy[] };

/**
 * The Dockerfile's deployable targets: `FROM sources AS build-<name>` + `RUN sh deploy/docker/install-app.sh
 * <project> …`, and `FROM runtime AS <name>` with its exec-form CMD (null when the target has none) and what
 * else it copies from builder stages (`COPY --from=<stage> /app/<path> /app/<path>`, the stage's script).
 */
export function dockerTargets(text = read("deploy/docker/Dockerfile")): DockerTarget[] {
  const builds = new Map<string, string>();
  for (const m of text.matchAll(/^FROM sources AS build-([a-z0-9-]+)\nRUN sh deploy\/docker\/install-app\.sh (\S+) /gm)) builds.set(m[1]!, m[2]!);
  const targets: DockerTarget[] = [];
  for (const m of text.matchAll(/^FROM runtime AS ([a-z0-9-]+)\n([\s\S]*?)(?=^FROM |(?![\s\S]))/gm)) {
    const body = m[2]!;
    const cmd = /^CMD (\[.*\])$/m.exec(body);
    const copies = new RegExp(`^COPY --from=build-${m[1]} /app /app$`, "m").test(body);
    const project = builds.get(m[1]!);
    const extra: StageCopy[] = [];
    for (const c of body.matchAll(/^COPY --from=(\S+) \/app\/(\S+) \/app\/(\S+)$/gm)) {
      const script = new RegExp(`^FROM \\S+ AS ${c[1]}\\n(?:.*\\n)*?RUN sh (deploy/docker/\\S+\\.sh) /pnpm/store$`, "m").exec(text)?.[1];
      if (!script) throw new Error(`target ${m[1]} copies from stage ${c[1]}, which runs no deploy/docker script`);
      extra.push({ stage: c[1]!, script, from: c[2]!, to: c[3]! });
    }
    if (project && copies) targets.push({ name: m[1]!, project, cmd: cmd ? (JSON.parse(cmd[1]!) as string[]) : null, copies: extra });
  }
  return targets;
}

export type ComposeService = {
  image?: string;
  build?: { context: string; dockerfile: string; target?: string };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  profiles?: string[];
  volumes?: string[];
  restart?: string;
};
export type Compose = { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };

export const compose = (): Compose => parse(read("docker-compose.yml"), { merge: true }) as Compose;

/** The build context Docker would send: files git knows of (tracked or new), minus .dockerignore's rules. */
export function buildContextFiles(): string[] {
  const ig = dockerignore(dockerignoreRules());
  const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: repo, maxBuffer: 64 << 20 })
    .toString("utf8")
    .split("\0")
    .filter(Boolean);
  return [...new Set(listed)].filter((f) => existsSync(join(repo, f)) && !ig.ignores(f));
}

/** Names of every prom-client metric registered in services/ and packages/ (not tests), with its kind. */
export function registeredMetrics(): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory() && e.name !== "node_modules" && e.name !== "test") walk(p);
      else if (e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")) {
        const text = readFileSync(p, "utf8");
        for (const m of text.matchAll(/(?:\.(counter|gauge|histogram)(?:<[^>]*>)?\(\{|new (Counter|Gauge|Histogram)(?:<[^>]*>)?\(\{)\s*name:\s*"([a-z_:][a-z0-9_:]*)"/g)) {
          out.set(m[3]!, (m[1] ?? m[2]!).toLowerCase());
        }
      }
    }
  };
  for (const top of ["services", "packages"]) for (const d of readdirSync(join(repo, top))) if (existsSync(join(repo, top, d, "src"))) walk(join(repo, top, d, "src"));
  return out;
}
