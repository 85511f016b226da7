#!/usr/bin/env bash
# Makes this checkout runnable: Node 24 LTS (installed from the npm registry's `node@24` package into
# .tools/ when the machine's Node is older), the pinned pnpm, and the workspace's dependencies.
# Source it (`. scripts/bootstrap.sh`) to get the right node/pnpm on PATH in the calling shell.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
PNPM_VERSION="$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$ROOT/package.json")"

node_major() { command -v node >/dev/null 2>&1 && node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ -x "$TOOLS/node_modules/.bin/node" ]; then
  export PATH="$TOOLS/node_modules/.bin:$PATH"
fi
if [ "$(node_major)" -lt 24 ]; then
  echo "bootstrap: installing Node 24 LTS into .tools (machine has $(node --version 2>/dev/null || echo none))" >&2
  command -v npm >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null; }
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error node@24 >/dev/null
  export PATH="$TOOLS/node_modules/.bin:$PATH"
fi
[ "$(node_major)" -ge 24 ] || { echo "bootstrap: Node 24 is required, found $(node --version)" >&2; exit 1; }

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  if [ ! -x "$TOOLS/node_modules/.bin/pnpm" ] || [ "$("$TOOLS/node_modules/.bin/pnpm" --version)" != "$PNPM_VERSION" ]; then
    echo "bootstrap: installing pnpm@$PNPM_VERSION into .tools" >&2
    npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error "pnpm@$PNPM_VERSION" >/dev/null
  fi
fi
export PATH="$TOOLS/node_modules/.bin:$PATH"

# The dashboard's browser test drives Debian's Chromium (playwright-core, no browser download).
command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

if [ "${BOOTSTRAP_SKIP_INSTALL:-}" != "1" ]; then
  (cd "$ROOT" && pnpm install --frozen-lockfile --reporter=silent)
fi
