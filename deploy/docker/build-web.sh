#!/bin/sh
# Builds the dashboard's web page (Vite + React) into services/dashboard/web/dist, in place, in a copy of the
# build context: the dashboard's dependencies with its build tools (devDependencies) and the workspace packages
# the page imports at run time (production dependencies only), offline from the store, then `vite build`. Run by
# deploy/docker/Dockerfile (the dashboard-web stage) and, natively, by deploy/test/bundle.test.ts.
#
#   sh deploy/docker/build-web.sh [pnpm store dir]
set -eu

store="${1:-/pnpm/store}"
# --filter-prod: the dashboard and the workspace packages it depends on for production (the page imports
# @orderline/contracts); devDependencies are installed for the selected projects, not followed to others.
pnpm install --frozen-lockfile --offline --store-dir "$store" --filter-prod "@orderline/dashboard..." --reporter=append-only
pnpm --filter @orderline/dashboard run build
if [ ! -f services/dashboard/web/dist/index.html ]; then
  echo "build-web: the build wrote no services/dashboard/web/dist/index.html" >&2
  exit 1
fi
echo "build-web: services/dashboard/web/dist ready ($(find services/dashboard/web/dist -type f | wc -l | tr -d ' ') files)"
