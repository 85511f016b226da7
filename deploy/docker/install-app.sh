#!/bin/sh
# Turns a copy of the build context (the repository minus .dockerignore) into one deployable's production
# tree, in place: production dependencies of the workspace project and of the workspace packages it uses,
# nothing else. Run by deploy/docker/Dockerfile (one RUN per target) and, natively, by the deploy tests
# (deploy/test/bundle.test.ts), so what the tests start is what the image runs.
#
#   sh deploy/docker/install-app.sh <project dir> [pnpm store dir]
#   e.g. sh deploy/docker/install-app.sh services/menu-service /pnpm/store
#
# Why no bundler and no `pnpm deploy`: Node 24 strips TypeScript types itself but refuses to for files under
# node_modules (ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING). `pnpm deploy` copies workspace packages into
# node_modules, so their .ts sources would no longer load. The workspace layout is kept instead:
# node_modules/@orderline/* stay symlinks into packages/*, which Node resolves to their real paths.
set -eu

project="${1:?usage: install-app.sh <project dir, e.g. services/menu-service> [pnpm store dir]}"
store="${2:-/pnpm/store}"
project="${project%/}"

if [ ! -f "$project/package.json" ]; then
  echo "install-app: $project/package.json does not exist (give a workspace project directory such as services/menu-service)" >&2
  exit 1
fi
name="$(node -p "require('./$project/package.json').name")"

# Production dependencies only, from the lockfile, offline (the Dockerfile's `pnpm fetch --prod` layer, or the
# machine's store in the tests). --filter-prod follows only `dependencies` between workspace projects: with
# --filter, devDependencies such as @orderline/testing would be selected and their dependencies installed.
pnpm install --frozen-lockfile --offline --prod --store-dir "$store" --filter-prod "$name..." --reporter=append-only

# The workspace projects the deployable runs: itself and what it depends on (production only).
keep="$(pnpm ls --filter-prod "$name..." --prod --depth -1 --parseable | sed "s#^$(pwd)/##")"

# Every other workspace project goes (its dependencies were never installed), then tests and dev-only files.
for dir in packages/* services/* e2e bench helm; do
  [ -d "$dir" ] || continue
  if ! printf '%s\n' "$keep" | grep -qx "$dir"; then rm -rf "$dir"; fi
done
find . -path ./node_modules -prune -o -name node_modules -prune -o \
  \( -name '*.test.ts' -o -name 'tsconfig*.json' -o -name '*.tsbuildinfo' -o -name '*.md' \) -type f -print \
  | xargs rm -f
find . -path ./node_modules -prune -o -name node_modules -prune -o -type d -name test -print | xargs rm -rf
rm -rf deploy biome.json turbo.json tsconfig.base.json
for dir in services packages; do rmdir "$dir" 2>/dev/null || true; done

echo "install-app: $name ready ($(printf '%s\n' "$keep" | wc -l | tr -d ' ') workspace projects: $(printf '%s ' $keep))"
